"""VNeID is the citizen login: its button comes first, with the label citizens know; the identity level of the
signed ID token is recorded on the account; only level 2 (or a number checked at the counter) opens the dossiers
filed under the identity number; the National Portal sync says truthfully whether the account is VNeID-verified;
a bad token logs nobody in; the simulator's demo client is refused outside demo mode."""

import pytest

from motcua.citizens.models import CitizenProfile
from motcua.national_portal.payloads import dossier_payload

from .conftest import simulator_post
from .factories import received
from .test_portal_login import CONSENT_PAGE, agree, choose_persona, local, logged_in_user

pytestmark = pytest.mark.django_db

VNEID_LABEL = "Đăng nhập bằng tài khoản định danh điện tử VNeID"
PORTAL_LABEL = "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"
LEVEL_2_NUMBER = "027090999902"  # simulator persona "vneid"
LEVEL_1_NUMBER = "027090999904"  # simulator persona "vneid1"


@pytest.fixture
def vneid_on(settings, simulator):
    # The portal login is configured first: the VNeID button must still come first.
    settings.MOTCUA_LOGIN_PROVIDERS = {
        "dvcqg": {
            "plugin": "national_portal",
            "label": PORTAL_LABEL,
            "server_url": simulator.url,
            "client_id": "motcua-simulator",
            "client_secret": "simulator-client-secret",
        },
        "vneid": {
            "plugin": "vneid",
            "server_url": simulator.url,
            "client_id": "motcua-simulator",
            "client_secret": "simulator-client-secret",
        },
    }
    return simulator


def vneid_login(client, persona: str):
    response = client.get("/cong-dan/dang-nhap/ngoai/vneid/")
    assert response.status_code == 302
    return client.get(local(choose_vneid_persona(response["Location"], persona)))


def choose_vneid_persona(authorize_url: str, persona: str) -> str:
    # The simulator serves VNeID and the portal alike; the portal helper also checks its acr_values, which the
    # VNeID login does not send, so add it for the helper's assertion only.
    return choose_persona(authorize_url + "&acr_values=LoA1", persona)


def test_the_vneid_button_comes_first_on_the_citizen_login_page(vneid_on, client):
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert VNEID_LABEL in page and PORTAL_LABEL in page
    assert page.index(VNEID_LABEL) < page.index(PORTAL_LABEL) < page.index('name="password"')


def test_a_level_2_citizen_is_recorded_and_sees_the_counter_dossiers_under_their_number(
    vneid_on, client, procedure, superuser
):
    counter = received(procedure, superuser, id_number=LEVEL_2_NUMBER, name="Trần Thị Định Danh")
    assert vneid_login(client, "vneid")["Location"] == CONSENT_PAGE
    agree(client)
    profile = CitizenProfile.objects.get(user=logged_in_user(client))
    assert profile.identity_level == CitizenProfile.IdentityLevel.LEVEL_2
    assert profile.identity_provider == "vneid" and profile.identity_verified
    assert counter.code in client.get("/cong-dan/").content.decode()
    assert client.get(f"/cong-dan/ho-so-cua-toi/{counter.code}/").status_code == 200


def test_a_level_1_citizen_cannot_open_what_needs_a_verified_identity(vneid_on, client, procedure, superuser):
    counter = received(procedure, superuser, id_number=LEVEL_1_NUMBER, name="Lê Văn Mức Một")
    vneid_login(client, "vneid1")
    agree(client)
    profile = CitizenProfile.objects.get(user=logged_in_user(client))
    assert profile.identity_level == CitizenProfile.IdentityLevel.LEVEL_1 and not profile.identity_verified
    home = client.get("/cong-dan/").content.decode()
    assert counter.code not in home and "mức 1" in home
    assert client.get(f"/cong-dan/ho-so-cua-toi/{counter.code}/").status_code == 404
    assert client.get(f"/cong-dan/ho-so-cua-toi/{counter.code}/giay-tiep-nhan/").status_code == 404


def test_the_level_follows_the_latest_login(vneid_on, client, procedure, superuser):
    """A level-2 login checks the number; the account keeps what the provider said last."""
    vneid_login(client, "vneid")
    agree(client)
    client.logout()
    vneid_login(client, "vneid")  # no notice the second time
    assert logged_in_user(client).username == LEVEL_2_NUMBER
    assert CitizenProfile.objects.get().identity_level == 2


def test_a_bad_vneid_token_logs_nobody_in(vneid_on, client):
    simulator_post(vneid_on, "config", {"id_token_fault": "forged_signature"})
    response = client.get("/cong-dan/dang-nhap/ngoai/vneid/")
    response = client.get(local(choose_vneid_persona(response["Location"], "vneid")), follow=True)
    assert "Không xác thực được thông tin đăng nhập" in response.content.decode()
    assert logged_in_user(client) is None and CitizenProfile.objects.count() == 0


def test_the_sync_sends_vneid_verified_only_for_a_level_2_account(vneid_on, client, procedure, superuser):
    level_2 = received(procedure, superuser, id_number=LEVEL_2_NUMBER, name="Trần Thị Định Danh")
    level_1 = received(procedure, superuser, id_number=LEVEL_1_NUMBER, name="Lê Văn Mức Một")
    other = received(procedure, superuser, id_number="027090123456", name="Người Không Tài Khoản")
    assert dossier_payload(level_2)["TaiKhoanDuocXacThucVoiVNeID"] == "0"  # no account yet
    for persona in ("vneid", "vneid1"):
        vneid_login(client, persona)
        agree(client)
        client.logout()
    assert dossier_payload(level_2)["TaiKhoanDuocXacThucVoiVNeID"] == "1"
    assert dossier_payload(level_1)["TaiKhoanDuocXacThucVoiVNeID"] == "0"
    assert dossier_payload(other)["TaiKhoanDuocXacThucVoiVNeID"] == "0"


def test_the_simulators_vneid_is_refused_outside_demo_mode(settings, vneid_on, client):
    settings.DEBUG = False
    settings.MOTCUA_DEMO_MODE = False
    assert VNEID_LABEL not in client.get("/cong-dan/dang-nhap/").content.decode()
    assert client.get("/cong-dan/dang-nhap/ngoai/vneid/").status_code == 404


def test_vneid_is_configured_from_the_environment(monkeypatch):
    import importlib

    import motcua.settings as production_settings

    monkeypatch.setenv("VNEID_SSO_URL", "https://vneid.example.vn")
    monkeypatch.setenv("VNEID_SSO_CLIENT_ID", "motcua-tinh")
    monkeypatch.setenv("VNEID_SSO_CLIENT_SECRET", "bi-mat-that")
    monkeypatch.delenv("NATIONAL_PORTAL_SSO_URL", raising=False)
    try:
        reloaded = importlib.reload(production_settings)
        assert reloaded.MOTCUA_LOGIN_PROVIDERS["vneid"]["plugin"] == "vneid"
        assert reloaded.MOTCUA_LOGIN_PROVIDERS["vneid"]["server_url"] == "https://vneid.example.vn"
    finally:
        monkeypatch.undo()
        importlib.reload(production_settings)


def test_a_vneid_only_deployment_has_no_citizen_passwords(settings, vneid_on, client):
    from motcua.accounts.tests.factories import UserFactory
    from motcua.citizens.tests.factories import CitizenProfileFactory

    settings.MOTCUA_CITIZEN_PASSWORDS = False
    profile = CitizenProfileFactory(user=UserFactory(username="027090111111"))
    profile.user.set_password("mat-khau-du-dai-1")
    profile.user.save()
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert VNEID_LABEL in page and 'name="password"' not in page and "/cong-dan/dang-ky/" not in page
    response = client.post(
        "/cong-dan/dang-nhap/", {"username": "027090111111", "password": "mat-khau-du-dai-1"}, follow=True
    )
    assert "vui lòng đăng nhập bằng tài khoản định danh điện tử VNeID" in response.content.decode()
    assert logged_in_user(client) is None
    response = client.get("/cong-dan/dang-ky/", follow=True)
    assert response.redirect_chain[-1][0] == "/cong-dan/dang-nhap/"
    # VNeID still logs citizens in.
    vneid_login(client, "vneid")
    agree(client)
    assert logged_in_user(client).username == LEVEL_2_NUMBER


def test_a_deployment_with_neither_passwords_nor_vneid_is_warned(settings):
    from motcua.citizens.login_providers import citizens_can_log_in

    settings.MOTCUA_CITIZEN_PASSWORDS = False
    settings.MOTCUA_LOGIN_PROVIDERS = {}
    assert [m.id for m in citizens_can_log_in()] == ["motcua.W050"]
    settings.MOTCUA_CITIZEN_PASSWORDS = True
    assert citizens_can_log_in() == []
