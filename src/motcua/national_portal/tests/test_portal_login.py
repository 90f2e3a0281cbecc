"""Citizens log in with their National Public Service Portal account (OAuth2 code flow against the simulator);
identity comes only from the server-side exchange."""

import urllib.error
import urllib.parse
import urllib.request

import pytest

from motcua.citizens.models import CitizenProfile

from .factories import citizen_with_an_online_dossier

pytestmark = pytest.mark.django_db


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def choose_persona(authorize_url: str, persona: str) -> str:
    """What the browser does at the identity server: pick a persona; returns the callback URL it is sent to."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))
    assert query["scope"] == "openid" and query["acr_values"] == "LoA1" and query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    with urllib.request.urlopen(authorize_url, timeout=5) as page:
        assert "Đăng nhập thử nghiệm" in page.read().decode()
    base = authorize_url.split("/oauth2/")[0]
    data = urllib.parse.urlencode(
        {
            "persona": persona,
            "client_id": query["client_id"],
            "redirect_uri": query["redirect_uri"],
            "state": query["state"],
            "code_challenge": query["code_challenge"],
            "nonce": query["nonce"],
        }
    ).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(urllib.request.Request(f"{base}/oauth2/authorize", data=data, method="POST"), timeout=5)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        return redirect.headers["Location"]
    raise AssertionError("the identity server did not redirect")


def start(client) -> str:
    response = client.get("/cong-dan/dang-nhap/ngoai/dvcqg/")
    assert response.status_code == 302
    return response["Location"]


def local(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"


def logged_in_user(client):
    from django.contrib.auth import get_user_model

    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk) if pk else None


CONSENT_PAGE = "/cong-dan/dang-nhap/dong-y/"


def agree(client):
    """The first login's personal-data notice: the citizen ticks the box and agrees."""
    return client.post(CONSENT_PAGE, {"consent": "on", "decision": "agree"})


def test_a_new_citizen_gets_a_password_less_account_linked_by_identity_number(portal_login_on, client):
    callback = choose_persona(start(client), "citizen")
    response = client.get(local(callback))
    assert response.status_code == 302 and response["Location"] == CONSENT_PAGE
    assert logged_in_user(client) is None and CitizenProfile.objects.count() == 0  # nothing before consent
    response = agree(client)
    assert response.status_code == 302 and response["Location"] == "/cong-dan/"
    user = logged_in_user(client)
    assert user.username == "027090999901" and not user.has_usable_password()
    profile = CitizenProfile.objects.get(user=user)
    assert profile.applicant.id_number == "027090999901" and profile.applicant.name == "Nguyễn Văn Thử"
    assert profile.has_national_portal_account
    assert client.get("/cong-dan/").status_code == 200


def test_an_existing_citizen_account_is_linked_and_sees_its_dossiers(
    portal_login_on, client, procedure, superuser
):
    user, dossier = citizen_with_an_online_dossier(procedure, superuser, "027090999901")
    response = client.get(local(choose_persona(start(client), "citizen")))
    # The account had no recorded consent to the notice: the first provider login asks for it.
    assert response["Location"] == CONSENT_PAGE and logged_in_user(client) is None
    agree(client)
    assert logged_in_user(client) == user
    assert dossier.code in client.get("/cong-dan/").content.decode()
    assert CitizenProfile.objects.get(user=user).has_national_portal_account


def test_a_forged_or_replayed_callback_logs_nobody_in(portal_login_on, client):
    callback = choose_persona(start(client), "citizen")
    parts = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    forged = client.get(
        "/cong-dan/dang-nhap/ngoai/dvcqg/ve/?"
        + urllib.parse.urlencode({"code": parts["code"], "state": "wrong", "SoDinhDanh": "027090999999"}),
        follow=True,
    )
    assert "Đăng nhập không thành công" in forged.content.decode()
    assert logged_in_user(client) is None
    # The state was used up: the genuine callback afterwards is refused too.
    client.get(local(callback))
    assert logged_in_user(client) is None and CitizenProfile.objects.count() == 0


def test_a_code_is_useless_without_the_pkce_verifier(portal_login_on, client):
    from motcua.citizens.login_providers import LoginError, provider

    callback = choose_persona(start(client), "citizen")
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))["code"]
    redirect_uri = callback.split("?")[0]
    with pytest.raises(LoginError):
        provider("dvcqg").identity(code=code, redirect_uri=redirect_uri, code_verifier="guessed", nonce="any")


def test_a_business_account_cannot_log_in_as_a_citizen(portal_login_on, client):
    response = client.get(local(choose_persona(start(client), "business")), follow=True)
    assert "Đăng nhập không thành công" in response.content.decode()
    assert logged_in_user(client) is None and CitizenProfile.objects.count() == 0


def test_the_login_button_shows_only_when_configured(settings, portal_login_on, client):
    assert (
        "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"
        in client.get("/cong-dan/dang-nhap/").content.decode()
    )
    settings.MOTCUA_LOGIN_PROVIDERS = {}
    assert client.get("/cong-dan/dang-nhap/ngoai/dvcqg/").status_code == 404
    assert (
        "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"
        not in client.get("/cong-dan/dang-nhap/").content.decode()
    )
