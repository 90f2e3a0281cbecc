"""Citizens log in with their National Public Service Portal account (OAuth2 code flow against the simulator);
identity comes only from the server-side exchange."""

import urllib.error
import urllib.parse
import urllib.request

import pytest

from motcua.citizens.models import CitizenProfile
from motcua.national_portal.models import PortalAccount

from .factories import citizen_with_an_online_dossier

pytestmark = pytest.mark.django_db


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def choose_persona(authorize_url: str, persona: str) -> str:
    """What the browser does at the identity server: pick a persona; returns the callback URL it is sent to."""
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))
    assert query["scope"] == "openid" and query["acr_values"] == "LoA1" and query["response_type"] == "code"
    with urllib.request.urlopen(authorize_url, timeout=5) as page:
        assert "Đăng nhập thử nghiệm" in page.read().decode()
    base = authorize_url.split("/oauth2/")[0]
    data = urllib.parse.urlencode(
        {
            "persona": persona,
            "client_id": query["client_id"],
            "redirect_uri": query["redirect_uri"],
            "state": query["state"],
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
    response = client.get("/cong-dvcqg/dang-nhap/")
    assert response.status_code == 302
    return response["Location"]


def local(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_new_citizen_gets_a_password_less_account_linked_by_identity_number(portal_login_on, client):
    callback = choose_persona(start(client), "citizen")
    response = client.get(local(callback))
    assert response.status_code == 302 and response["Location"] == "/cong-dan/"
    account = PortalAccount.objects.get()
    assert account.identity_number == "027090999901" and account.tech_id == "SIM-TECH-0001"
    assert not account.user.has_usable_password()
    profile = CitizenProfile.objects.get(user=account.user)
    assert profile.applicant.id_number == "027090999901" and profile.has_national_portal_account
    assert client.get("/cong-dan/").status_code == 200


def test_an_existing_citizen_account_is_linked_and_sees_its_dossiers(
    portal_login_on, client, procedure, superuser
):
    user, dossier = citizen_with_an_online_dossier(procedure, superuser, "027090999901")
    callback = choose_persona(start(client), "citizen")
    client.get(local(callback))
    assert PortalAccount.objects.get().user == user
    page = client.get("/cong-dan/").content.decode()
    assert dossier.code in page
    # The next login finds the link by TechID.
    client.logout()
    client.get(local(choose_persona(start(client), "citizen")))
    assert PortalAccount.objects.count() == 1 and "_auth_user_id" in client.session


def test_a_forged_or_replayed_callback_logs_nobody_in(portal_login_on, client):
    callback = choose_persona(start(client), "citizen")
    parts = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    forged = client.get(
        "/cong-dvcqg/dang-nhap/xac-thuc/?"
        + urllib.parse.urlencode({"code": parts["code"], "state": "wrong", "SoDinhDanh": "027090999999"}),
        follow=True,
    )
    assert "Phiên đăng nhập không hợp lệ" in forged.content.decode()
    assert "_auth_user_id" not in client.session
    # The state was used up: the genuine callback afterwards is refused too.
    client.get(local(callback))
    assert "_auth_user_id" not in client.session and PortalAccount.objects.count() == 0


def test_a_business_account_cannot_log_in_as_a_citizen(portal_login_on, client):
    response = client.get(local(choose_persona(start(client), "business")), follow=True)
    assert "Chỉ tài khoản công dân" in response.content.decode()
    assert PortalAccount.objects.count() == 0 and "_auth_user_id" not in client.session


def test_the_login_is_off_without_configuration(settings, client, db):
    settings.NATIONAL_PORTAL_SSO = {"url": ""}
    assert client.get("/cong-dvcqg/dang-nhap/").status_code == 404
    assert (
        "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"
        not in client.get("/cong-dan/dang-nhap/").content.decode()
    )
