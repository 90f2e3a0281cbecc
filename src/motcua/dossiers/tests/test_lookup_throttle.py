"""One throttle for every public path that confirms a dossier code and a phone or ID number: the lookup page,
the API (GET and POST), the payment page and the evaluation kiosk share one count per source address."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet

pytestmark = pytest.mark.django_db
PHONE = "0912345678"
ATTACKER, CITIZEN = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def frozen():
    """Half past nine on a Monday, the clock stopped: 35 tries fall in one minute whatever the hour of the run."""
    instant = datetime.datetime(2022, 11, 7, 9, 30, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(instant, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dossier(frozen):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    return services.intake(procedure=procedure, applicant=ApplicantFactory(phone=PHONE), actor=staff.officer)


def page(client, code, secret, address):
    return client.post(reverse("citizens:lookup"), {"code": code, "contact": secret}, REMOTE_ADDR=address)


def api_get(client, code, secret, address):
    return client.get("/api/v1/lookup", {"code": code, "phone": secret}, REMOTE_ADDR=address)


def api_post(client, code, secret, address):
    body = json.dumps({"code": code, "phone": secret})
    return client.post("/api/v1/lookup", body, content_type="application/json", REMOTE_ADDR=address)


def payment_page(client, code, secret, address):
    data = {"ma_ho_so": code, "xac_minh": secret, "tra_cuu": "1"}
    return client.post(reverse("payments:pay_dossier"), data, REMOTE_ADDR=address)


def kiosk(client, code, secret, address):
    return client.post(reverse("feedback:kiosk"), {"code": code, "phone": secret}, REMOTE_ADDR=address)


PATHS = {"page": page, "api_get": api_get, "api_post": api_post, "payment_page": payment_page, "kiosk": kiosk}


@pytest.mark.parametrize("guessed_through", sorted(PATHS))
def test_35_wrong_lookups_through_any_path_answer_429_on_every_path(client, dossier, guessed_through):
    guess = PATHS[guessed_through]
    for attempt in range(35):
        guess(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    answers = {name: path(client, dossier.code, PHONE, ATTACKER).status_code for name, path in PATHS.items()}
    assert answers == dict.fromkeys(PATHS, 429)


def test_an_attacker_does_not_lock_the_citizen_out_of_their_own_dossier(client, dossier):
    for attempt in range(35):
        api_get(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    answers = {name: path(client, dossier.code, PHONE, CITIZEN).status_code for name, path in PATHS.items()}
    assert answers == dict.fromkeys(PATHS, 200)


def test_the_lock_lasts_past_the_minute_and_then_lifts(client, dossier, frozen, settings):
    settings.LOOKUP_LOCK_SECONDS = 300
    for attempt in range(30):
        page(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    frozen.shift(datetime.timedelta(seconds=90))
    assert api_post(client, dossier.code, PHONE, ATTACKER).status_code == 429
    frozen.shift(datetime.timedelta(seconds=220))
    assert api_post(client, dossier.code, PHONE, ATTACKER).status_code == 200


def test_the_api_answers_a_post_like_the_get_and_a_wrong_pair_like_an_unknown_code(client, dossier):
    by_post = api_post(client, dossier.code, PHONE, CITIZEN)
    by_get = api_get(client, dossier.code, PHONE, CITIZEN)
    assert by_post.status_code == by_get.status_code == 200
    assert by_post.json() == by_get.json()
    assert by_post.json()["code"] == dossier.code
    wrong = api_post(client, dossier.code, "0999999999", CITIZEN)
    unknown = api_post(client, "000.00.00.X99-221107-9999", PHONE, CITIZEN)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_the_api_post_refuses_a_body_without_a_code(client, dossier):
    response = client.post(
        "/api/v1/lookup", json.dumps({"phone": PHONE}), content_type="application/json", REMOTE_ADDR=CITIZEN
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
