"""Citizens log in through an OpenID Connect provider (authorization code + PKCE); the account is created on the
first login, once the citizen has agreed to the personal-data notice, and counts as having a National Public Service
Portal account."""

import base64
import hashlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from motcua.citizens.models import CitizenProfile
from motcua.citizens.views import OIDC_SESSION_KEY

pytestmark = pytest.mark.django_db


class Provider:
    """A small identity provider over HTTP: a token endpoint that checks the PKCE verifier and returns an RS256
    ID token, its public key (JWKS), and userinfo."""

    def __init__(self, claims):
        self.claims = claims
        self.challenges: dict[str, str] = {}
        self.nonces: dict[str, str] = {}
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.signing_key = self.key  # what signs the ID tokens (another key = a forgery)
        self.id_token_sub = ""
        self.id_token_claims: dict = {}  # more claims in the signed ID token (e.g. the identity level)
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                code, verifier = form["code"][0], form["code_verifier"][0]
                digest = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                )
                if provider.challenges.get(code) != digest or form["client_secret"][0] != "bi-mat":
                    return self._answer(400, {"error": "invalid_grant"})
                now = int(time.time())
                id_token = jwt.encode(
                    {"alg": "RS256", "kid": "k1"},
                    {
                        "iss": provider.url,
                        "aud": "motcua",
                        "sub": provider.id_token_sub or provider.claims["sub"],
                        "nonce": provider.nonces[code],
                        "iat": now,
                        "exp": now + 300,
                        **provider.id_token_claims,
                    },
                    provider.signing_key,
                )
                return self._answer(
                    200, {"access_token": "token-" + code, "token_type": "Bearer", "id_token": id_token}
                )

            def do_GET(self):
                if self.path == "/jwks":
                    return self._answer(200, KeySet([provider.key]).as_dict(private=False))
                if self.headers.get("Authorization", "").startswith("Bearer token-"):
                    return self._answer(200, provider.claims)
                return self._answer(401, {"error": "invalid_token"})

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorize(self, authorization_url: str) -> tuple[str, str]:
        """What the provider's login page does: remember the challenge, hand back a code with the state."""
        query = urllib.parse.parse_qs(urllib.parse.urlparse(authorization_url).query)
        code = "ma-" + query["state"][0][:8]
        self.challenges[code] = query["code_challenge"][0]
        self.nonces[code] = query["nonce"][0]
        return code, query["state"][0]


@pytest.fixture
def provider(settings):
    idp = Provider(
        {
            "sub": "vneid-777",
            "identity_number": "027190000777",
            "name": "Trần Thị Định Danh",
            "phone_number": "0912777777",
        }
    )
    settings.MOTCUA_LOGIN_PROVIDERS = {
        "vneid": {
            "plugin": "oidc",
            "label": "Đăng nhập bằng VNeID",
            "issuer": idp.url,
            "jwks_uri": f"{idp.url}/jwks",
            "authorization_endpoint": f"{idp.url}/authorize",
            "token_endpoint": f"{idp.url}/token",
            "userinfo_endpoint": f"{idp.url}/userinfo",
            "client_id": "motcua",
            "client_secret": "bi-mat",
            "id_number_claim": "identity_number",
        }
    }
    yield idp
    idp.server.shutdown()


def test_first_login_creates_the_account_with_a_national_portal_flag(client, provider):
    assert "Đăng nhập bằng VNeID" in client.get(reverse("citizens:login")).content.decode()
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    assert (
        response.url.startswith(provider.url + "/authorize?") and "code_challenge_method=S256" in response.url
    )
    code, state = provider.authorize(response.url)
    response = client.get(
        reverse("citizens:external_callback", args=["vneid"]), {"code": code, "state": state}
    )
    assert response.url == reverse("citizens:external_consent")
    response = client.post(reverse("citizens:external_consent"), {"consent": "on", "decision": "agree"})
    assert response.url == reverse("citizens:home")
    profile = CitizenProfile.objects.get()
    assert profile.user.username == "027190000777" and not profile.user.has_usable_password()
    assert profile.has_national_portal_account and profile.applicant.name == "Trần Thị Định Danh"
    assert "Trần Thị Định Danh" in client.get(reverse("citizens:home")).content.decode()


def test_a_forged_state_logs_nobody_in(client, provider):
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    code, _state = provider.authorize(response.url)
    response = client.get(
        reverse("citizens:external_callback", args=["vneid"]), {"code": code, "state": "gia-mao"}
    )
    assert response.url == reverse("citizens:login")
    assert not CitizenProfile.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_refused_code_logs_nobody_in(client, provider):
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    _code, state = provider.authorize(response.url)
    response = client.get(
        reverse("citizens:external_callback", args=["vneid"]),
        {"code": "ma-khong-hop-le", "state": state},
        follow=True,
    )
    assert "Đăng nhập không thành công" in response.content.decode()
    assert not CitizenProfile.objects.exists()


def test_unconfigured_providers_do_not_exist(client):
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert OIDC_SESSION_KEY not in client.session  # no login was started


def test_an_id_token_signed_with_another_key_logs_nobody_in(client, provider):
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    code, state = provider.authorize(response.url)
    response = client.get(
        reverse("citizens:external_callback", args=["vneid"]), {"code": code, "state": state}, follow=True
    )
    assert "Không xác thực được thông tin đăng nhập" in response.content.decode()
    assert not CitizenProfile.objects.exists() and "_auth_user_id" not in client.session


def test_userinfo_about_another_subject_than_the_id_token_logs_nobody_in(client, provider):
    provider.id_token_sub = "someone-else"
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    code, state = provider.authorize(response.url)
    response = client.get(
        reverse("citizens:external_callback", args=["vneid"]), {"code": code, "state": state}, follow=True
    )
    assert "Đăng nhập không thành công" in response.content.decode()
    assert not CitizenProfile.objects.exists() and "_auth_user_id" not in client.session


# --- the first login asks consent (Decree 13/2023/NĐ-CP) ---------------------------------------------------------


def provider_callback(client, provider):
    response = client.get(reverse("citizens:external_login", args=["vneid"]))
    code, state = provider.authorize(response.url)
    return client.get(reverse("citizens:external_callback", args=["vneid"]), {"code": code, "state": state})


def nothing_stored():
    from django.contrib.auth import get_user_model

    from motcua.dossiers.models import Applicant
    from motcua.privacy.models import Consent

    return not (
        CitizenProfile.objects.exists()
        or get_user_model().objects.exists()
        or Applicant.objects.exists()
        or Consent.objects.exists()
    )


def test_the_first_login_shows_the_notice_and_stores_nothing_before_consent(client, provider):
    response = provider_callback(client, provider)
    assert response.url == reverse("citizens:external_consent")
    page = client.get(response.url).content.decode()
    assert "Thông báo xử lý dữ liệu cá nhân" in page and "Nghị định 13/2023/NĐ-CP" in page
    assert "Trần Thị Định Danh" in page
    assert nothing_stored() and "_auth_user_id" not in client.session
    # Elsewhere the account cannot be used yet.
    assert client.get(reverse("citizens:home")).status_code == 302


def test_agreeing_records_the_consent_and_logs_in(client, provider):
    from motcua.privacy.models import Consent

    provider_callback(client, provider)
    response = client.post(reverse("citizens:external_consent"), {"consent": "on", "decision": "agree"})
    assert response.url == reverse("citizens:home")
    consent = Consent.objects.get()
    assert consent.purpose == Consent.Purpose.EXTERNAL_LOGIN and consent.reference == "vneid"
    assert consent.user.username == "027190000777" and consent.withdrawn_at is None
    assert "_auth_user_id" in client.session
    # The next login goes straight in: the consent stands.
    client.logout()
    assert provider_callback(client, provider).url == reverse("citizens:home")
    assert Consent.objects.count() == 1


def test_refusing_logs_out_and_stores_nothing(client, provider):
    provider_callback(client, provider)
    response = client.post(reverse("citizens:external_consent"), {"decision": "refuse"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("citizens:login")
    assert "đã không đồng ý xử lý dữ liệu cá nhân" in response.content.decode()
    assert nothing_stored() and "_auth_user_id" not in client.session
    assert "motcua_oidc_pending" not in client.session
    # The identity cannot be used afterwards by posting "agree" to the same page.
    response = client.post(reverse("citizens:external_consent"), {"consent": "on", "decision": "agree"})
    assert response.url == reverse("citizens:login") and nothing_stored()


def test_agreeing_without_ticking_the_box_is_refused_and_stores_nothing(client, provider):
    provider_callback(client, provider)
    response = client.post(reverse("citizens:external_consent"), {"decision": "agree"})
    assert response.status_code == 200
    assert "Vui lòng đọc thông báo và đánh dấu đồng ý" in response.content.decode()
    assert nothing_stored() and "_auth_user_id" not in client.session


def test_a_pending_login_expires(client, provider):
    import time_machine

    provider_callback(client, provider)
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        response = client.post(
            reverse("citizens:external_consent"), {"consent": "on", "decision": "agree"}, follow=True
        )
    assert "Phiên đăng nhập đã hết hạn" in response.content.decode() and nothing_stored()


def test_the_identity_level_comes_from_the_signed_id_token(client, provider):
    provider.id_token_claims = {"IAL": 2}
    provider.claims["IAL"] = 1  # userinfo does not override what the signed token says
    provider_callback(client, provider)
    client.post(reverse("citizens:external_consent"), {"consent": "on", "decision": "agree"})
    profile = CitizenProfile.objects.get()
    assert profile.identity_level == 2 and profile.identity_verified


def test_a_provider_that_states_no_level_leaves_the_identity_unverified(client, provider):
    provider_callback(client, provider)
    client.post(reverse("citizens:external_consent"), {"consent": "on", "decision": "agree"})
    profile = CitizenProfile.objects.get()
    assert profile.identity_level == 0 and not profile.identity_verified and not profile.identity_checked


@pytest.mark.parametrize(
    ("claims", "level"),
    [
        ({"IAL": 2}, 2),
        ({"IAL": "1"}, 1),
        ({"acr": "LoA2"}, 2),
        ({"loAs": "LoA1"}, 1),
        ({"IAL": 3}, 2),
        ({"acr": "urn:example:loa:high-2"}, 0),
        ({"IAL": True}, 0),
        ({}, 0),
    ],
)
def test_identity_levels_are_read_only_from_values_that_state_one(settings, claims, level):
    from motcua.citizens.login_providers import provider

    settings.MOTCUA_LOGIN_PROVIDERS = {
        "vneid": {"plugin": "vneid", "server_url": "https://vneid.example.vn", "client_id": "motcua"}
    }
    assert provider("vneid").identity_level(claims) == level
