"""Login throttling (django-axes), for staff and citizens: 20 wrong passwords lock further attempts of that
account from that source for a while, with a Vietnamese page; the account stays open from other sources."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.citizens.tests.factories import CitizenProfileFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-an-toan-1"
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def frozen():
    instant = datetime.datetime(2022, 11, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(instant, tick=False) as traveller:
        yield traveller


@pytest.fixture(params=["staff", "citizen"])
def account(request):
    """(login URL, username) of a staff member or a citizen, whose password is PASSWORD."""
    if request.param == "staff":
        return reverse("login"), UserFactory(username="can-bo-mot-cua").username
    profile = CitizenProfileFactory()
    profile.user.set_password(PASSWORD)
    profile.user.save()
    return reverse("citizens:login"), profile.user.username


def log_in(client, account, password, address):
    url, username = account
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response) -> bool:
    return response.status_code == 302


def test_20_wrong_passwords_lock_that_account_from_that_source(client, account, frozen):
    for attempt in range(19):
        assert log_in(client, account, f"sai-{attempt}", ATTACKER).status_code == 200
    assert log_in(client, account, "sai-20", ATTACKER).status_code == 429  # the 20th locks at once
    locked = log_in(client, account, PASSWORD, ATTACKER)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tạm khóa đăng nhập" in page and "20 lần" in page and "15 phút" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_does_not_shut_the_owner_out_from_their_own_device(client, account, frozen):
    for attempt in range(25):
        log_in(client, account, f"sai-{attempt}", ATTACKER)
    assert logged_in(log_in(client, account, PASSWORD, OWNER))


def test_nineteen_wrong_passwords_then_the_right_one_logs_in_and_starts_the_count_again(
    client, account, frozen
):
    for attempt in range(19):
        log_in(client, account, f"sai-{attempt}", ATTACKER)
    assert logged_in(log_in(client, account, PASSWORD, ATTACKER))
    client.logout()
    for attempt in range(19):
        log_in(client, account, f"sai-{attempt}", ATTACKER)
    assert logged_in(log_in(client, account, PASSWORD, ATTACKER))


def test_the_lock_lifts_after_the_cool_off(client, account, frozen):
    for attempt in range(20):
        log_in(client, account, f"sai-{attempt}", ATTACKER)
    frozen.shift(datetime.timedelta(minutes=14))
    assert log_in(client, account, PASSWORD, ATTACKER).status_code == 429  # tries while locked start it again
    frozen.shift(datetime.timedelta(minutes=14))
    assert log_in(client, account, PASSWORD, ATTACKER).status_code == 429
    frozen.shift(datetime.timedelta(minutes=16))
    assert logged_in(log_in(client, account, PASSWORD, ATTACKER))


def test_other_accounts_from_the_same_source_still_log_in(client, frozen):
    target = (reverse("login"), UserFactory(username="nan-nhan").username)
    colleague = (reverse("login"), UserFactory(username="dong-nghiep").username)
    for attempt in range(20):
        log_in(client, target, f"sai-{attempt}", ATTACKER)
    assert logged_in(log_in(client, colleague, PASSWORD, ATTACKER))


@pytest.mark.parametrize("header_value", ["", "not-an-address", "unknown, 10.0.0.1"])
def test_a_missing_or_malformed_client_address_does_not_break_logging_in(
    client, settings, header_value, frozen
):
    settings.LOOKUP_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="can-bo-mot-cua")
    response = client.post(
        reverse("login"),
        {"username": "can-bo-mot-cua", "password": PASSWORD},
        REMOTE_ADDR="",
        HTTP_X_FORWARDED_FOR=header_value,
    )
    assert logged_in(response)


def test_force_login_without_an_address_serves_that_user_s_home(client):
    user = UserFactory(username="can-bo-mot-cua", first_name="Thu Hà", last_name="Nguyễn")
    client.force_login(user)  # a request with no REMOTE_ADDR at all
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Xin chào {user.get_full_name()}" in page and f'action="{reverse("logout")}"' in page
