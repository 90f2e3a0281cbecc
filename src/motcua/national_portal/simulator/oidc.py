"""A minimal OIDC provider (§8) for the portal login and the VNeID login alike, with fake personas."""

import secrets
import time
from urllib.parse import parse_qs, urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from .sample_data import PERSONA_LABELS, PERSONAS


class OidcMixin:
    """The /oauth2/ endpoints of PortalSimulator."""

    # Each endpoint, by (name, HTTP method) or (name, "*") for any method, and the method answering it; every
    # method takes the query string's and the form's parameters and the WSGI environ.
    OIDC_ENDPOINTS = {
        ("authorize", "GET"): "oidc_persona_choice",
        ("authorize", "POST"): "oidc_authorize",
        ("token", "POST"): "oidc_token",
        ("jwks", "GET"): "oidc_jwks",
        ("userinfo", "*"): "oidc_userinfo",
        ("introspect", "*"): "oidc_introspect",
        ("logout", "*"): "oidc_logout",
    }

    def oidc(self, method, path, raw, environ):
        """Route an /oauth2/ request to its endpoint; an unknown one is not found."""
        name = path[len("/oauth2/") :].strip("/")
        handler = self.OIDC_ENDPOINTS.get((name, method)) or self.OIDC_ENDPOINTS.get((name, "*"))
        if handler is None:
            return self._json({"error": "not_found"}, "404 Not Found")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        return getattr(self, handler)(query, form, environ)

    def oidc_persona_choice(self, query, form, environ):
        """GET authorize: the page where the tester picks a persona (after checking the client and scope)."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return (
                "400 Bad Request",
                "text/plain; charset=utf-8",
                "Sai client_id hoặc response_type.".encode(),
            )
        if "openid" not in query.get("scope", "").split():
            return "400 Bad Request", "text/plain; charset=utf-8", "Thiếu scope openid.".encode()
        return "200 OK", "text/html; charset=utf-8", self.persona_page(query).encode()

    def oidc_authorize(self, query, form, environ):
        """POST authorize: the persona was picked; issue a code (valid 5 minutes) and redirect back with it."""
        persona = PERSONAS.get(form.get("persona", ""))
        if persona is None or form.get("client_id") != self.client_id:
            return "400 Bad Request", "text/plain; charset=utf-8", "Sai tài khoản thử nghiệm.".encode()
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = {
                "persona": form["persona"],
                "redirect_uri": form.get("redirect_uri", ""),
                "code_challenge": form.get("code_challenge", ""),
                "nonce": form.get("nonce", ""),
                "expires": time.monotonic() + 300,
            }
        target = (
            form.get("redirect_uri", "") + "?" + urlencode({"code": code, "state": form.get("state", "")})
        )
        return "302 Found", "text/plain", b"", [("Location", target)]

    def oidc_token(self, query, form, environ):
        """The token endpoint: trade a valid code (right client, redirect and PKCE verifier) for tokens."""
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant["expires"] < time.monotonic()
            or grant["redirect_uri"] != form.get("redirect_uri")
            or not _pkce_ok(grant["code_challenge"], form.get("code_verifier", ""))
        ):
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        access = secrets.token_urlsafe(24)
        id_token = self.id_token(grant, environ)
        with self.lock:
            self.tokens[access] = {"persona": grant["persona"], "expires": time.time() + 3600}
        return self._json(
            {"access_token": access, "id_token": id_token, "token_type": "Bearer", "expires_in": 3600}
        )

    def oidc_jwks(self, query, form, environ):
        """The public signing key."""
        return self._json(KeySet([self.signing_key]).as_dict(private=False))

    def access_grant(self, token):
        """The unexpired grant of an access token, or None."""
        with self.lock:
            grant = self.tokens.get(token)
        if grant is None or grant["expires"] < time.time():
            return None
        return grant

    @staticmethod
    def bearer_token(environ) -> str:
        return environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()

    def oidc_userinfo(self, query, form, environ):
        """The persona of the bearer token."""
        grant = self.access_grant(self.bearer_token(environ))
        if grant is None:
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        return self._json(PERSONAS[grant["persona"]])

    def oidc_introspect(self, query, form, environ):
        """Whether a token (the form's, else the bearer one) is active."""
        grant = self.access_grant(form.get("token", self.bearer_token(environ)))
        if grant is None:
            return self._json({"active": False})
        return self._json({"active": True, "client_id": self.client_id, "exp": int(grant["expires"])})

    def oidc_logout(self, query, form, environ):
        """End the session: back to post_logout_redirect_uri when given."""
        target = query.get("post_logout_redirect_uri", "")
        if target:
            return "302 Found", "text/plain", b"", [("Location", target)]
        return "200 OK", "text/plain; charset=utf-8", "Đã đăng xuất.".encode()

    @property
    def signing_key(self) -> RSAKey:
        with self.lock:
            if self._signing_key is None:
                self._signing_key = RSAKey.generate_key(
                    2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
                )
            return self._signing_key

    def issuer_of(self, environ) -> str:
        return self.issuer or f"http://{environ.get('HTTP_HOST', 'localhost')}"

    def id_token(self, grant: dict, environ) -> str:
        """A signed ID token for the grant's persona (or a deliberately bad one, see ``id_token_fault``)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer_of(environ),
            "aud": self.client_id,
            "sub": PERSONAS[grant["persona"]]["sub"],
            "nonce": grant.get("nonce", ""),
            "iat": now,
            "exp": now + 600,
            "acr": PERSONAS[grant["persona"]].get("loAs", "LoA1"),
        }
        if "IAL" in PERSONAS[grant["persona"]]:
            claims["IAL"] = PERSONAS[grant["persona"]]["IAL"]  # the VNeID identity level, signed
        key = self.signing_key
        fault = self.id_token_fault
        if fault == "forged_signature":
            key = RSAKey.generate_key(2048, parameters={"kid": self.signing_key.kid, "use": "sig"})
        elif fault == "wrong_issuer":
            claims["iss"] = "https://dang-nhap-gia-mao.example"
        elif fault == "wrong_audience":
            claims["aud"] = "another-client"
        elif fault == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(24)
        elif fault == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        return jwt.encode({"alg": "RS256", "kid": self.signing_key.kid}, claims, key)

    def persona_page(self, query: dict) -> str:
        import html

        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(query.get(k, ""))}">'
            for k in ("client_id", "redirect_uri", "state", "code_challenge", "nonce")
        )
        buttons = "".join(
            f'<button name="persona" value="{key}">{html.escape(p["HoVaTen"])} ({html.escape(label)})</button> '
            for key, (p, label) in ((k, (PERSONAS[k], PERSONA_LABELS[k])) for k in PERSONAS)
        )
        return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Đăng nhập thử nghiệm – Cổng Dịch vụ công quốc gia</title></head><body>
<h1>Đăng nhập thử nghiệm</h1><p>Môi trường mô phỏng: chọn một tài khoản thử nghiệm (số định danh giả).</p>
<form method="post" action="/oauth2/authorize">{hidden}{buttons}</form></body></html>"""


def _pkce_ok(challenge: str, verifier: str) -> bool:
    """PKCE (S256): when a challenge was given at authorize, the verifier must match it."""
    if not challenge:
        return True
    import base64
    import hashlib

    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return secrets.compare_digest(digest, challenge)
