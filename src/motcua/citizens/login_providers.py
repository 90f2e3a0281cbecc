"""External login for citizens: OpenID Connect providers (VNeID, the National Public Service Portal) as plugins.

    MOTCUA_LOGIN_PROVIDERS = {
        "vneid": {
            "plugin": "oidc",
            "label": "Đăng nhập bằng VNeID",
            "authorization_endpoint": "https://.../authorize",
            "token_endpoint": "https://.../token",
            "userinfo_endpoint": "https://.../userinfo",
            "client_id": "...", "client_secret": "...",
            "id_number_claim": "identity_number",   # the claim carrying the CCCD number
        },
    }

The authorization-code flow with PKCE (S256), a random state and nonce kept in the session; the identity is read
from the provider's userinfo endpoint over TLS with the access token, so no token signature handling is needed
here. No provider is configured by default (local accounts only).
"""

import base64
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.integrations.registry import BasePlugin, Registry, Setting


class LoginError(Exception):
    """The provider refused or could not be reached; the message is for the log, not the citizen."""


class LoginProvider(BasePlugin):
    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str) -> str:
        raise LoginError("abstract login provider")

    def identity(self, *, code: str, redirect_uri: str, code_verifier: str) -> dict:
        raise LoginError("abstract login provider")


login_providers: Registry[LoginProvider] = Registry("nhà cung cấp đăng nhập")


def _post_form(url: str, data: dict, timeout: float) -> dict:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    return _json(request, timeout)


def _json(request, timeout: float) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured https URLs)
            payload = json.loads(response.read(65536) or b"{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise LoginError(f"{request.full_url}: {exc}") from exc
    if not isinstance(payload, dict):
        raise LoginError(f"{request.full_url}: not a JSON object")
    return payload


@login_providers.register("oidc")
class OpenIdConnectProvider(LoginProvider):
    verbose_name = _("OpenID Connect (VNeID, Cổng Dịch vụ công quốc gia)")
    config_schema = {
        "label": Setting(required=False, default="Đăng nhập bằng tài khoản định danh điện tử"),
        "authorization_endpoint": Setting(kind="url"),
        "token_endpoint": Setting(kind="url"),
        "userinfo_endpoint": Setting(kind="url"),
        "client_id": Setting(),
        "client_secret": Setting(kind="secret", required=False),
        "scope": Setting(required=False, default="openid profile"),
        "id_number_claim": Setting(required=False, default="id_number"),
        "name_claim": Setting(required=False, default="name"),
        "phone_claim": Setting(required=False, default="phone_number"),
        "email_claim": Setting(required=False, default="email"),
        "timeout": Setting(kind="float", default=10.0, min_value=1),
    }

    def authorization_url(self, *, redirect_uri, state, nonce, code_challenge):
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.config["client_id"],
                "redirect_uri": redirect_uri,
                "scope": self.config["scope"],
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        separator = "&" if "?" in self.config["authorization_endpoint"] else "?"
        return f"{self.config['authorization_endpoint']}{separator}{query}"

    def identity(self, *, code, redirect_uri, code_verifier):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.config["client_id"],
            "code_verifier": code_verifier,
        }
        if self.config.get("client_secret"):
            data["client_secret"] = self.config["client_secret"]
        tokens = _post_form(self.config["token_endpoint"], data, self.config["timeout"])
        access_token = tokens.get("access_token")
        if not access_token:
            raise LoginError(f"token endpoint answered without access_token: {sorted(tokens)}")
        request = urllib.request.Request(
            self.config["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
        claims = _json(request, self.config["timeout"])
        return {
            "id_number": str(claims.get(self.config["id_number_claim"]) or ""),
            "full_name": str(claims.get(self.config["name_claim"]) or ""),
            "phone": str(claims.get(self.config["phone_claim"]) or ""),
            "email": str(claims.get(self.config["email_claim"]) or ""),
        }


def configured() -> dict:
    return getattr(settings, "MOTCUA_LOGIN_PROVIDERS", None) or {}


def provider(name: str) -> LoginProvider | None:
    config = dict(configured().get(name) or {})
    if not config:
        return None
    return login_providers.build(config.pop("plugin", "oidc"), config)


def buttons() -> list[tuple[str, str]]:
    """(name, label) of every configured provider, for the login page."""
    return [(name, str(config.get("label") or name)) for name, config in configured().items()]


def new_pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge
