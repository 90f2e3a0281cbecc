"""Citizens register and log in with their ID number; counter officers open accounts for walk-in citizens."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from motcua.accounts.models import User
from motcua.citizens import services
from motcua.citizens.models import CitizenProfile
from motcua.dossiers.tests.factories import grant
from motcua.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Nguyễn Thị Hoa",
    "id_type": "cccd",
    "id_number": "027190000123",
    "date_of_birth": "12/03/1990",
    "phone": "0912 345 678",
    "email": "hoa@example.vn",
    "address": "Thôn Đông, xã Đại Bái",
    "has_national_portal_account": "on",
    "password": "Hoa-mat-khau-2026",
    "password2": "Hoa-mat-khau-2026",
    "consent": "on",
}


def test_a_citizen_registers_and_logs_in_with_the_id_number(client):
    response = client.post(reverse("citizens:register"), FORM)
    assert response.url == reverse("citizens:home")
    profile = CitizenProfile.objects.get()
    assert profile.user.username == "027190000123"
    assert profile.applicant.phone == "0912345678"
    assert profile.has_national_portal_account is True and profile.created_by is None
    client.logout()
    response = client.post(
        reverse("citizens:login"), {"username": "027190000123", "password": "Hoa-mat-khau-2026"}
    )
    assert response.url == reverse("citizens:home")
    page = client.get(reverse("citizens:home")).content.decode()
    assert "Nguyễn Thị Hoa" in page and "027190000123" not in page  # the ID number is masked


@pytest.mark.parametrize(
    "changes,field_message",
    [
        ({"id_number": "12345"}, "12"),
        ({"phone": "12"}, "điện thoại"),
        ({"password2": "khac"}, "không giống"),
        ({"password": "123", "password2": "123"}, "mật khẩu"),
    ],
)
def test_bad_registrations_change_nothing(client, changes, field_message):
    response = client.post(reverse("citizens:register"), {**FORM, **changes})
    assert response.status_code == 200
    assert field_message.lower() in response.content.decode().lower()
    assert not CitizenProfile.objects.exists() and not User.objects.exists()


def test_one_account_per_id_number(client):
    client.post(reverse("citizens:register"), FORM)
    client.logout()
    response = client.post(reverse("citizens:register"), {**FORM, "full_name": "Người Khác"})
    assert "đã có tài khoản" in response.content.decode()
    assert CitizenProfile.objects.count() == 1


DATA = {**FORM, "date_of_birth": __import__("datetime").date(1990, 3, 12)}


def test_a_counter_officer_creates_an_account_for_a_walk_in_citizen(client):
    officer = User.objects.create_user("tiepnhan", password="x")
    grant(officer, "reception_officer", AgencyFactory())
    client.force_login(officer)
    data = {k: v for k, v in FORM.items() if not k.startswith("password")}
    data["has_national_portal_account"] = ""
    data["registered_national_portal"] = "on"
    response = client.post(reverse("citizens:walk_in"), data)
    page = response.content.decode()
    assert "Mật khẩu lần đầu" in page
    profile = CitizenProfile.objects.get()
    assert profile.created_by == officer
    assert profile.has_national_portal_account and profile.national_portal_registered_at_counter
    password = page.split('id="first-password">')[1].split("<")[0]
    assert profile.user.check_password(password)


def test_only_counter_officers_create_accounts(client):
    someone = User.objects.create_user("khach", password="x")
    with pytest.raises(PermissionDenied):
        services.create_account_for_walk_in(someone, {})
    client.force_login(someone)
    assert client.get(reverse("citizens:walk_in")).status_code == 403


def test_the_registration_rate_counts_national_portal_accounts(client):
    services.register_citizen({**DATA}, FORM["password"])
    services.register_citizen(
        {**DATA, "id_number": "027190000124", "has_national_portal_account": False}, FORM["password"]
    )
    stats = services.registration_stats()
    assert stats["accounts"] == 2 and stats["with_national_portal"] == 1 and stats["rate"] == 50.0


def test_the_profile_keeps_the_identity_and_updates_contacts(client):
    profile = services.register_citizen({**DATA}, FORM["password"])
    client.force_login(profile.user)
    client.post(
        reverse("citizens:profile"),
        {"phone": "0987 654 321", "email": "moi@example.vn", "address": "Mới", "id_number": "999999999999"},
    )
    profile.refresh_from_db()
    profile.applicant.refresh_from_db()
    assert profile.applicant.phone == "0987654321" and profile.applicant.id_number == "027190000123"
    assert profile.has_national_portal_account is False


def test_the_demo_citizen_is_loaded_once_and_can_log_in(client):
    from motcua.citizens import demo
    from motcua.org.demo import DEMO_PASSWORD

    first = demo.load()
    assert demo.load() == first and CitizenProfile.objects.count() == 1
    response = client.post(reverse("citizens:login"), {"username": first[0][0], "password": DEMO_PASSWORD})
    assert response.url == reverse("citizens:home")


def test_a_citizen_landing_on_the_home_page_is_sent_to_their_dossiers(client):
    profile = services.register_citizen({**DATA}, FORM["password"])
    client.force_login(profile.user)
    page = client.get("/").content.decode()
    assert reverse("citizens:home") in page and "chưa được phân công vai trò" not in page
