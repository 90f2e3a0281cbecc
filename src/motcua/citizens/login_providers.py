"""External login for citizens: OpenID Connect providers (VNeID, the National Public Service Portal) as plugins.

    MOTCUA_LOGIN_PROVIDERS = {
        "vneid": {
            "plugin": "oidc",
            "label": "Đăng nhập bằng VNeID",
            "issuer": "https://...",                  # the "iss" of its ID tokens
            "authorization_endpoint": "https://.../authorize",
            "token_endpoint": "https://.../token",
            "userinfo_endpoint": "https://.../userinfo",
            "jwks_uri": "https://.../jwks",            # the provider's public signing keys
            "client_id": "...", "client_secret": "...",
            "id_number_claim": "identity_number",   # the claim carrying the CCCD number
            "identity_level_claim": "IAL",          # the claim carrying the identity level (1 or 2)
        },
        "vneid": {"plugin": "vneid", "server_url": "https://...", "client_id": "...", "client_secret": "..."},
    }

The "vneid" plugin is the citizen login of the national electronic identification system (VNeID, Decree
69/2024/NĐ-CP): its claims are ``SoDinhDanh``, ``HoVaTen``, ``LoaiTaiKhoan`` and ``IAL`` (the identity level, 1 or
2). Its button comes first on the login page. Every provider reports the identity level it vouches for
(`identity_level`: the level claim of the validated ID token, else of userinfo; ``acr``/``loAs`` values such as
"LoA2" count too; 0 when the provider says nothing), which the citizen account records.

The authorization-code flow with PKCE (S256), a random state and nonce kept in the session. The ID token that the
token endpoint returns is validated before anything else is believed (`validate_id_token`): its signature against
the provider's published keys (JWKS, asymmetric algorithms only), the issuer, the audience (our client id), the
nonce sent with this login, and its expiry. The identity is then read from the userinfo endpoint with the access
token, and its ``sub`` must be the ID token's. JOSE handling is joserfc's (a maintained, dependency-light JOSE
library); nothing here parses or verifies a JWT by hand. No provider is configured by default (local accounts only).
"""

import base64
import hashlib
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from motcua import safety
from motcua.integrations.registry import BasePlugin, Registry, Setting

# Asymmetric signatures only: "none" and HMAC (keyed with the client secret) are refused.
ID_TOKEN_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
# Clock difference tolerated between the provider and this server, in seconds.
CLOCK_LEEWAY = 60
# The highest identity level an account records (VNeID has levels 1 and 2).
MAX_IDENTITY_LEVEL = 2
# How a level is written: 2, "2", "LoA2", "IAL2" (anything else, e.g. an acr URI, says nothing about the level).
LEVEL_VALUE = re.compile(r"(?:loa|ial)?\s*(\d)", re.IGNORECASE)


class LoginError(Exception):
    """The provider refused or could not be reached; the message is for the log, not the citizen.
    `user_message` (Vietnamese), when set, is what the citizen is told."""

    user_message = ""


class IdTokenError(LoginError):
    """The ID token is missing, forged, for another client or login, from another issuer, or expired."""

    @property
    def user_message(self) -> str:
        return gettext(
            "Không xác thực được thông tin đăng nhập do nhà cung cấp định danh gửi về (chữ ký, nơi cấp, "
            "thời hạn hoặc phiên đăng nhập không hợp lệ). Chưa đăng nhập; vui lòng đăng nhập lại từ đầu."
        )


class LoginProvider(BasePlugin):
    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str) -> str:
        raise LoginError("abstract login provider")

    def identity(self, *, code: str, redirect_uri: str, code_verifier: str, nonce: str) -> dict:
        raise LoginError("abstract login provider")


login_providers: Registry[LoginProvider] = Registry("nhà cung cấp đăng nhập")


def post_form(url: str, data: dict, timeout: float) -> dict:
    """POST a form to a provider endpoint and return its JSON object answer (LoginError otherwise)."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    return fetch_json(request, timeout)


def fetch_json(request: urllib.request.Request | str, timeout: float) -> dict:
    """GET (or send `request`) and return the JSON object answer (LoginError otherwise)."""
    if isinstance(request, str):
        request = urllib.request.Request(request, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured https URLs)
            payload = json.loads(response.read(65536) or b"{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise LoginError(f"{request.full_url}: {exc}") from exc
    if not isinstance(payload, dict):
        raise LoginError(f"{request.full_url}: not a JSON object")
    return payload


def validate_id_token(
    id_token: str, *, issuer: str, audience: str, nonce: str, jwks_uri: str, timeout: float = 10.0
) -> dict:
    """The ID token's claims once its signature (against the provider's JWKS), issuer, audience, nonce and
    expiry are checked (OpenID Connect Core §3.1.3.7); IdTokenError otherwise."""
    if not id_token or not isinstance(id_token, str):
        raise IdTokenError("token endpoint answered without id_token")
    if not (issuer and audience and nonce and jwks_uri):
        raise IdTokenError("provider configuration lacks issuer, client id or jwks_uri, or no nonce was sent")
    keys = fetch_json(jwks_uri, timeout)
    try:
        key_set = KeySet.import_key_set(keys)
        token = jwt.decode(id_token, key_set, algorithms=list(ID_TOKEN_ALGORITHMS))
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise IdTokenError(f"ID token refused: {exc!r}") from exc
    claims = token.claims
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"], nonce):
        raise IdTokenError("ID token nonce does not match this login")
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != audience:
        raise IdTokenError("ID token for several audiences without our client as authorized party")
    return claims


@login_providers.register("oidc")
class OpenIdConnectProvider(LoginProvider):
    verbose_name = _("OpenID Connect (VNeID, Cổng Dịch vụ công quốc gia)")
    config_schema = {
        "label": Setting(required=False, default=_("Đăng nhập bằng tài khoản định danh điện tử")),
        "issuer": Setting(),
        "authorization_endpoint": Setting(kind="url"),
        "token_endpoint": Setting(kind="url"),
        "userinfo_endpoint": Setting(kind="url"),
        "jwks_uri": Setting(kind="url"),
        "client_id": Setting(),
        "client_secret": Setting(kind="secret", required=False),
        "scope": Setting(required=False, default="openid profile"),
        "id_number_claim": Setting(required=False, default="id_number"),
        "name_claim": Setting(required=False, default="name"),
        "phone_claim": Setting(required=False, default="phone_number"),
        "email_claim": Setting(required=False, default="email"),
        "identity_level_claim": Setting(required=False, default="IAL"),
        "timeout": Setting(kind="float", default=10.0, min_value=1),
    }

    def identity_level(self, claims: dict) -> int:
        """The identity level (0 unknown, 1, 2) the claims vouch for: the configured level claim, else an
        ``acr``/``loAs`` value such as "LoA2"; anything unreadable counts as unknown."""
        candidates = [claims.get(self.config.get("identity_level_claim") or "IAL"), claims.get("acr")]
        candidates.append(claims.get("loAs"))
        for value in candidates:
            if isinstance(value, bool) or value is None:
                continue
            match = LEVEL_VALUE.fullmatch(str(value).strip())
            if match and int(match.group(1)) > 0:
                return min(int(match.group(1)), MAX_IDENTITY_LEVEL)
        return 0

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

    def exchange_code(self, *, code, redirect_uri, code_verifier, nonce) -> tuple[dict, dict]:
        """(tokens, validated ID-token claims) for an authorization code."""
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.config["client_id"],
            "code_verifier": code_verifier,
        }
        if self.config.get("client_secret"):
            data["client_secret"] = self.config["client_secret"]
        tokens = post_form(self.config["token_endpoint"], data, self.config["timeout"])
        if not tokens.get("access_token"):
            raise LoginError(f"token endpoint answered without access_token: {sorted(tokens)}")
        id_claims = validate_id_token(
            tokens.get("id_token"),
            issuer=self.config["issuer"],
            audience=self.config["client_id"],
            nonce=nonce,
            jwks_uri=self.config["jwks_uri"],
            timeout=self.config["timeout"],
        )
        return tokens, id_claims

    def userinfo(self, tokens: dict, id_claims: dict) -> dict:
        """The userinfo claims of the ID token's subject (OpenID Connect Core §5.3.2: same ``sub``)."""
        request = urllib.request.Request(
            self.config["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"},
        )
        claims = fetch_json(request, self.config["timeout"])
        if str(claims.get("sub", "")) != str(id_claims["sub"]):
            raise LoginError("userinfo is about another subject than the ID token")
        return {**id_claims, **claims}

    def identity_from_claims(self, claims: dict) -> dict:
        return {
            "id_number": str(claims.get(self.config["id_number_claim"]) or ""),
            "full_name": str(claims.get(self.config["name_claim"]) or ""),
            "phone": str(claims.get(self.config["phone_claim"]) or ""),
            "email": str(claims.get(self.config["email_claim"]) or ""),
        }

    def identity(self, *, code, redirect_uri, code_verifier, nonce):
        tokens, id_claims = self.exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier, nonce=nonce
        )
        claims = self.userinfo(tokens, id_claims)
        identity = self.identity_from_claims(claims)
        # The level comes from the signed ID token when it carries one; userinfo only fills a gap.
        identity["identity_level"] = self.identity_level(id_claims) or self.identity_level(claims)
        return identity


CITIZEN_ACCOUNT = "1"  # the ``LoaiTaiKhoan`` of a citizen's account (not a business's or an organisation's)


def national_identity(claims: dict) -> dict:
    """The identity in the claims of the national identity platform, which VNeID and the National Public
    Service Portal name alike (``SoDinhDanh``, ``HoVaTen``, ``SoDienThoai``, ``ThuDienTu``, the address);
    refuses an account that is not a citizen's."""
    if str(claims.get("LoaiTaiKhoan", CITIZEN_ACCOUNT)) != CITIZEN_ACCOUNT:
        raise LoginError(f"account type {claims.get('LoaiTaiKhoan')!r} is not a citizen account")
    return {
        "id_number": str(claims.get("SoDinhDanh") or ""),
        "full_name": str(claims.get("HoVaTen") or ""),
        "phone": str(claims.get("SoDienThoai") or ""),
        "email": str(claims.get("ThuDienTu") or ""),
        "address": str(claims.get("DiaChi") or claims.get("NoiOHienNay") or ""),
    }


class ServerRelativeOpenIdConnect(OpenIdConnectProvider):
    """An OpenID Connect provider configured by its server's address and the paths of its endpoints under it
    (VNeID, the National Public Service Portal): the issuer is the server's address unless set."""

    ENDPOINT_SETTINGS = {
        "server_url": Setting(kind="url"),
        "issuer": Setting(required=False, default=""),
        "authorize_path": Setting(default="/oauth2/authorize"),
        "token_path": Setting(default="/oauth2/token"),
        "userinfo_path": Setting(default="/oauth2/userinfo"),
        "jwks_path": Setting(default="/oauth2/jwks"),
    }

    @classmethod
    def clean_config(cls, config: dict) -> dict:
        base = config["server_url"].rstrip("/")
        return config | {
            "issuer": config.get("issuer") or base,
            "authorization_endpoint": base + config["authorize_path"],
            "token_endpoint": base + config["token_path"],
            "userinfo_endpoint": base + config["userinfo_path"],
            "jwks_uri": base + config["jwks_path"],
        }


@login_providers.register("vneid")
class VNeIDLogin(ServerRelativeOpenIdConnect):
    """The VNeID citizen login: endpoints under the identity server's URL, VNeID's claim names, citizens only."""

    verbose_name = _("Tài khoản định danh điện tử VNeID")
    config_schema = {
        "label": Setting(
            required=False, default=gettext_noop("Đăng nhập bằng tài khoản định danh điện tử VNeID")
        ),
        **ServerRelativeOpenIdConnect.ENDPOINT_SETTINGS,
        "client_id": Setting(),
        "client_secret": Setting(kind="secret", required=False),
        "scope": Setting(default="openid"),
        "identity_level_claim": Setting(required=False, default="IAL"),
        "timeout": Setting(kind="float", default=10.0, min_value=1),
    }

    def identity_from_claims(self, claims: dict) -> dict:
        return national_identity(claims)


def configured() -> dict:
    return getattr(settings, "MOTCUA_LOGIN_PROVIDERS", None) or {}


def passwords_enabled() -> bool:
    """Local citizen passwords (self-registration, password login, counter-opened password accounts): only where
    the deployment switches them on (MOTCUA_CITIZEN_PASSWORDS; on by default in the demo)."""
    return bool(getattr(settings, "MOTCUA_CITIZEN_PASSWORDS", False))


def _usable(config: dict) -> bool:
    """A provider set up with a demo secret (the simulator's) exists only where demos are allowed."""
    return bool(config) and (safety.demo_allowed() or not safety.is_demo_secret(config.get("client_secret")))


def provider(name: str) -> LoginProvider | None:
    config = dict(configured().get(name) or {})
    if not _usable(config):
        return None
    return login_providers.build(config.pop("plugin", "oidc"), config)


DEFAULT_LABELS = {"vneid": _("Đăng nhập bằng tài khoản định danh điện tử VNeID")}


def buttons() -> list[tuple[str, str]]:
    """(name, label) of every usable provider, for the login page: VNeID first (the login citizens know); a label
    of the catalog is translated."""
    rows = [
        (config.get("plugin", "oidc") != "vneid", index, name, config)
        for index, (name, config) in enumerate(configured().items())
        if _usable(dict(config or {}))
    ]
    return [
        (name, gettext(str(config.get("label") or DEFAULT_LABELS.get(config.get("plugin", "oidc")) or name)))
        for _rest, _index, name, config in sorted(rows, key=lambda row: row[:2])
    ]


def new_pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@checks.register(checks.Tags.security)
def citizens_can_log_in(app_configs=None, **kwargs):
    """A deployment without local citizen passwords needs a login provider (VNeID), or citizens cannot log in."""
    if passwords_enabled() or any(_usable(dict(config or {})) for config in configured().values()):
        return []
    return [
        checks.Warning(
            "Citizens cannot log in: MOTCUA_CITIZEN_PASSWORDS is off and no login provider is configured.",
            hint="Set VNEID_SSO_URL (and its client id and secret), or MOTCUA_CITIZEN_PASSWORDS=1.",
            id="motcua.W050",
        )
    ]
