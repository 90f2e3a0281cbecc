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


def readable(response) -> str:
    """What the answer says, in lower case: the page's text, or the JSON with its Vietnamese unescaped."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False).lower()
    return response.content.decode().lower()


@pytest.mark.parametrize("guessed_through", sorted(PATHS))
def test_35_wrong_lookups_through_any_path_answer_429_on_every_path(client, dossier, guessed_through):
    guess = PATHS[guessed_through]
    for attempt in range(35):
        guess(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    answers = {name: path(client, dossier.code, PHONE, ATTACKER) for name, path in PATHS.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(PATHS, 429)
    assert all("quá nhiều" in readable(r) for r in answers.values())
    assert not any(dossier.applicant.name.lower() in readable(r) for r in answers.values())


def test_an_attacker_does_not_lock_the_citizen_out_of_their_own_dossier(client, dossier):
    for attempt in range(35):
        api_get(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    answers = {name: path(client, dossier.code, PHONE, CITIZEN) for name, path in PATHS.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(PATHS, 200)
    assert all(
        dossier.code.lower() in readable(r) and "quá nhiều" not in readable(r) for r in answers.values()
    )


def test_the_lock_lasts_past_the_minute_and_then_lifts(client, dossier, frozen, settings):
    settings.LOOKUP_LOCK_SECONDS = 300
    for attempt in range(30):
        page(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    frozen.shift(datetime.timedelta(seconds=90))
    assert refused_without_the_dossier(api_post(client, dossier.code, PHONE, ATTACKER), dossier)
    frozen.shift(datetime.timedelta(seconds=220))
    assert shows_the_dossier(api_post(client, dossier.code, PHONE, ATTACKER), dossier)


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


def shows_the_dossier(response, dossier) -> bool:
    """The API answered with this dossier's public status."""
    return response.status_code == 200 and response.json()["code"] == dossier.code


def refused_without_the_dossier(response, dossier) -> bool:
    """Throttled: the common error shape, and nothing of the dossier (its code, its status, its applicant)."""
    body = response.json()
    return (
        response.status_code == 429
        and body["error"]["code"] == "throttled"
        and "code" not in body
        and dossier.applicant.name not in response.content.decode()
    )


# --- per dossier code: an attacker rotating addresses ----------------------------------------------------------

CALL_THE_CENTER = "Vui lòng gọi điện đến Bộ phận Một cửa"


def rotating_guesses(client, code, count, through=api_post):
    """`count` wrong pairs for `code`, each from a new address (the count per source never trips)."""
    for attempt in range(count):
        through(client, code, f"09000000{attempt:02d}", f"203.0.113.{10 + attempt}")


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]["message"]
    return response.content.decode()


def test_ten_wrong_pairs_from_rotating_addresses_lock_the_code_for_everyone_on_every_path(client, dossier):
    rotating_guesses(client, dossier.code, 9)
    assert api_post(client, dossier.code, PHONE, CITIZEN).status_code == 200  # nine: not yet
    rotating_guesses(client, dossier.code, 1, through=page)
    answers = {name: path(client, dossier.code, PHONE, CITIZEN) for name, path in PATHS.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(PATHS, 429)
    assert all(CALL_THE_CENTER in text_of(r) for r in answers.values())


def test_a_locked_code_does_not_lock_other_dossiers_or_the_source(client, dossier):
    procedure = ProcedureWithProcessFactory()
    other = services.intake(
        procedure=procedure, applicant=ApplicantFactory(phone="0987654321"), actor=StaffSet(procedure).officer
    )
    rotating_guesses(client, dossier.code, 10)
    assert refused_without_the_dossier(api_post(client, dossier.code, PHONE, CITIZEN), dossier)
    assert shows_the_dossier(api_post(client, other.code, "0987654321", "203.0.113.10"), other)


def test_an_unknown_code_locks_and_answers_exactly_like_an_existing_one(client, dossier):
    unknown = "000.00.00.X99-221107-9999"
    rotating_guesses(client, dossier.code, 10)
    rotating_guesses(client, unknown, 10)
    existing_answer = api_post(client, dossier.code, PHONE, CITIZEN)
    unknown_answer = api_post(client, unknown, PHONE, CITIZEN)
    assert existing_answer.status_code == unknown_answer.status_code == 429
    assert existing_answer.json() == unknown_answer.json()


def test_one_address_alone_cannot_lock_a_code(client, dossier, settings):
    settings.LOOKUP_FAILURES_PER_MINUTE = 1000  # only the count per code is under test
    for attempt in range(25):
        api_post(client, dossier.code, f"09000000{attempt:02d}", ATTACKER)
    assert shows_the_dossier(api_post(client, dossier.code, PHONE, CITIZEN), dossier)
    # the address counted as three of the ten: six more addresses do not lock the code, a seventh does
    rotating_guesses(client, dossier.code, 6)
    assert shows_the_dossier(api_post(client, dossier.code, PHONE, CITIZEN), dossier)
    kiosk(client, dossier.code, "0900000099", "203.0.113.99")
    assert refused_without_the_dossier(api_post(client, dossier.code, PHONE, CITIZEN), dossier)


def test_the_code_lock_lifts_after_its_time(client, dossier, frozen, settings):
    settings.LOOKUP_CODE_LOCK_SECONDS = 3600
    rotating_guesses(client, dossier.code, 10)
    frozen.shift(datetime.timedelta(minutes=50))
    locked = api_post(client, dossier.code, PHONE, CITIZEN)
    assert refused_without_the_dossier(locked, dossier) and CALL_THE_CENTER in text_of(locked)
    frozen.shift(datetime.timedelta(minutes=11))
    assert shows_the_dossier(api_post(client, dossier.code, PHONE, CITIZEN), dossier)


def test_right_pairs_do_not_count_towards_the_code_lock(client, dossier):
    for attempt in range(15):
        assert shows_the_dossier(api_post(client, dossier.code, PHONE, f"198.51.100.{attempt + 30}"), dossier)
    assert shows_the_dossier(api_post(client, dossier.code, PHONE, CITIZEN), dossier)


def test_behind_a_proxy_forging_x_forwarded_for_does_not_escape_the_throttle(client, dossier, settings):
    # The proxy appends the address it saw (nginx's $proxy_add_x_forwarded_for) after what the client sent.
    settings.LOOKUP_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "10.0.0.5"
    for attempt in range(35):
        client.get(
            "/api/v1/lookup",
            {"code": dossier.code, "phone": f"09000000{attempt:02d}"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {ATTACKER}",
        )
    forged_again = client.get(
        "/api/v1/lookup",
        {"code": dossier.code, "phone": PHONE},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"192.0.2.200, {ATTACKER}",
    )
    citizen = client.get(
        "/api/v1/lookup",
        {"code": dossier.code, "phone": PHONE},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=CITIZEN,
    )
    assert forged_again.status_code == 429
    assert citizen.status_code == 200 and citizen.json()["code"] == dossier.code
