"""The public lookup is served by a plain view (the busiest public read), which must answer exactly as the
documented API operation does: same status, same content type, same bytes, for right pairs, wrong pairs and bad
input alike."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from motcua.api.urls import api
from motcua.dossiers import lookup_throttle, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.public_lookup import _public_status_rows
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet

pytestmark = pytest.mark.django_db
PHONE = "0912345678"
ID_NUMBER = "027199000123"

# The API framework alone, without the plain view in front of it (the reference the view must match).
urlpatterns = [path("api/v1/", api.urls)]


@pytest.fixture
def code():
    instant = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(instant, tick=False):
        procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh")
        staff = StaffSet(procedure)
        applicant = ApplicantFactory(phone=PHONE, id_number=ID_NUMBER)
        yield services.intake(procedure=procedure, applicant=applicant, actor=staff.officer).code


def _queries(code):
    return [
        {"code": code, "phone": PHONE},
        {"code": code, "id_number": ID_NUMBER},
        {"code": f"  {code.lower()} ", "phone": f" {PHONE}"},
        {"code": code, "phone": "0999999999"},
        {"code": code},
        {"phone": PHONE},
        {},
        {"code": "x" * 41, "phone": PHONE},
        {"code": code, "phone": PHONE, "other": "1"},
        {"code": "", "phone": PHONE},
    ]


def _bodies(code):
    objects = [
        *_queries(code),
        [],
        "x",
        5,
        None,
        {"code": 5, "phone": PHONE},
        {"code": code, "phone": 912345678},
        {"code": None, "phone": PHONE},
        {"code": "x" * 41},
        {"code": code, "id_number": "1" * 31},
    ]
    return [json.dumps(body).encode() for body in objects] + [b"not json", b"{", b"\xff\xfe"]


def _answer(response):
    return response.status_code, response["Content-Type"], response.content


def _both(make_request):
    """(the plain view's answer, the API framework's answer) to one request."""
    cache.clear()  # the throttle's counts start the same for both
    served = _answer(make_request(Client()))
    cache.clear()
    with override_settings(ROOT_URLCONF=__name__):
        reference = _answer(make_request(Client()))
    return served, reference


def test_the_lookup_by_get_answers_as_the_documented_operation_byte_for_byte(code):
    for query in _queries(code):
        served, reference = _both(lambda client, query=query: client.get("/api/v1/lookup", query))
        assert served == reference, query
    assert _both(lambda client: client.get("/api/v1/lookup", {"code": code, "phone": PHONE}))[0][0] == 200


def test_the_lookup_by_post_answers_as_the_documented_operation_byte_for_byte(code):
    for body in _bodies(code):
        served, reference = _both(
            lambda client, body=body: client.post("/api/v1/lookup", body, content_type="application/json")
        )
        assert served == reference, body
    answer = json.loads(
        Client().post("/api/v1/lookup", {"code": code, "phone": PHONE}, "application/json").content
    )
    assert (answer["code"], answer["procedure_name"]) == (code, "Đăng ký khai sinh")
    assert [event["action"] for event in answer["timeline"]] == ["receive"]


def test_an_empty_body_asks_for_the_code_rather_than_naming_the_frameworks_parameter(client):
    response = client.post("/api/v1/lookup", b"", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["Trường này là bắt buộc."]}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused_in_the_common_error_shape_with_the_allowed_ones(client, method):
    response = getattr(client, method)("/api/v1/lookup")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_lookup_needs_no_csrf_token_even_from_a_browser_with_a_session(code):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["sessionid"] = "anything"
    response = browser.post("/api/v1/lookup", {"code": code, "phone": PHONE}, "application/json")
    assert response.status_code == 200


def test_both_operations_stay_documented_in_the_openapi_schema(client):
    operations = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/lookup"]
    assert set(operations) == {"get", "post"}
    assert {"200", "400", "404", "429"} <= set(operations["post"]["responses"])


# --- the throttle's own read of the database cache -----------------------------------------------------------


def test_the_throttles_read_gives_what_the_cache_gives_ignoring_expired_entries():
    instant = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(instant, tick=False) as clock:
        cache.set("motcua:test:lock", 1, timeout=60)
        cache.set("motcua:test:count", 29, timeout=3600)
        cache.set("motcua:test:gone", 5, timeout=10)
        keys = ["motcua:test:lock", "motcua:test:count", "motcua:test:gone"]
        assert lookup_throttle._get_many(keys) == {
            "motcua:test:lock": 1,
            "motcua:test:count": 29,
            "motcua:test:gone": 5,
        }
        clock.shift(datetime.timedelta(seconds=61))
        assert lookup_throttle._get_many(keys) == {"motcua:test:count": 29} == cache.get_many(keys)
        assert lookup_throttle._get_many(["motcua:test:count", "motcua:test:missing"]) == {
            "motcua:test:count": 29
        }
        assert lookup_throttle._get_many(["motcua:test:missing"]) == {}


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_the_throttle_still_counts_with_another_cache_backend(code, settings):
    settings.LOOKUP_FAILURES_PER_MINUTE = 3
    client = Client()
    for _try in range(3):
        assert client.get("/api/v1/lookup", {"code": code, "phone": "0999999999"}).status_code == 404
    refused = client.get("/api/v1/lookup", {"code": code, "phone": PHONE})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"


# --- the counts read beside the dossier (PostgreSQL: one statement) ------------------------------------------


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def test_the_counts_read_beside_the_dossier_are_what_the_cache_and_the_dossier_read_give(code):
    instant = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    dossier = Dossier.objects.get(code=code)
    # events out of their insertion order, two at one instant: the rows keep the query's own order
    for minutes, action in [(30, "transfer"), (5, "note"), (5, "supplement"), (90, "return")]:
        DossierEvent.objects.create(
            dossier=dossier, at=instant + datetime.timedelta(minutes=minutes), action=action, to_status=2
        )
    keys = ["motcua:test:lock", "motcua:test:count", "motcua:test:gone"]
    with time_machine.travel(instant, tick=False) as clock:
        assert len(_public_status_rows(code)) == 5  # the intake's event and these four
        expected_rows = _public_status_rows(code) if _on_postgresql() else None  # SQLite: read apart
        assert lookup_throttle._get_many_and_read(keys, _public_status_rows, (code,)) == ({}, expected_rows)
        cache.set("motcua:test:lock", 1, timeout=60)
        cache.set("motcua:test:count", 29, timeout=3600)
        cache.set("motcua:test:gone", 5, timeout=10)
        found, rows = lookup_throttle._get_many_and_read(keys, _public_status_rows, (code,))
        assert (
            found
            == cache.get_many(keys)
            == {"motcua:test:lock": 1, "motcua:test:count": 29, "motcua:test:gone": 5}
        )
        assert rows == expected_rows
        clock.shift(datetime.timedelta(seconds=61))  # two entries expired, still in the table
        found, rows = lookup_throttle._get_many_and_read(keys, _public_status_rows, (code,))
        assert found == cache.get_many(keys) == {"motcua:test:count": 29}
        assert rows == expected_rows
        found, rows = lookup_throttle._get_many_and_read(keys[1:2], _public_status_rows, ("HS-UNKNOWN",))
        assert found == {"motcua:test:count": 29}
        assert rows == ([] if _on_postgresql() else None)


@pytest.mark.parametrize("lock", ["source", "code"])
def test_a_locked_source_or_code_is_refused_with_a_right_pair_and_nothing_of_the_dossier_shown(code, lock):
    client = Client()
    right = {"code": code, "phone": PHONE}
    assert client.get("/api/v1/lookup", right).status_code == 200
    if lock == "source":
        cache.set(lookup_throttle._lock_key("127.0.0.1"), 1, timeout=300)
    else:
        cache.set(lookup_throttle._code_lock_key(code), 1, timeout=300)
    refused = [
        client.get("/api/v1/lookup", right),
        client.post("/api/v1/lookup", right, content_type="application/json"),
        client.get("/api/v1/lookup", {"code": code, "phone": "0999999999"}),
    ]
    assert {response.status_code for response in refused} == {429}
    assert len({response.content for response in refused}) == 1
    assert code not in refused[0].content.decode()
    # the count of the source is still read with the dossier: at the limit, refused whatever the pair
    cache.clear()
    cache.set(lookup_throttle._key("127.0.0.1"), lookup_throttle.limit(), timeout=120)
    assert client.get("/api/v1/lookup", right).status_code == 429


def test_a_right_lookup_reads_the_counts_and_the_dossier_in_one_statement_on_postgresql(code):
    client = Client()
    right = {"code": code, "phone": PHONE}
    client.get("/api/v1/lookup", right)  # the statements are prepared on the first calls
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/lookup", right).status_code == 200
        assert client.post("/api/v1/lookup", right, content_type="application/json").status_code == 200
    assert len(queries) == (2 if _on_postgresql() else 4), [query["sql"] for query in queries]
    with CaptureQueriesContext(
        connection
    ) as queries:  # a wrong pair: the same read, then the failure's writes
        assert client.get("/api/v1/lookup", {"code": code, "phone": "0999999999"}).status_code == 404
    reads = 1 if _on_postgresql() else 2
    assert all(query["sql"].lstrip().upper().startswith("SELECT") for query in queries[:reads])
    assert any(query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) for query in queries[reads:])


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_with_a_replica_the_dossier_is_read_there_and_the_counts_on_the_primary(code, settings):
    if not settings.MOTCUA_DATABASE_REPLICAS:
        settings.MOTCUA_DATABASE_REPLICAS = ["replica_test"]  # a mirror of the test database (test_settings)
    replica = settings.MOTCUA_DATABASE_REPLICAS[0]
    client = Client()
    right = {"code": code, "phone": PHONE}
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(connections[replica]) as read:
        answer = client.get("/api/v1/lookup", right)
    assert answer.status_code == 200 and answer.json()["code"] == code
    assert len(primary) == 1 and "cache" in primary[0]["sql"] and "dossier" not in primary[0]["sql"]
    assert len(read) == 1 and "dossier" in read[0]["sql"]
    cache.set(lookup_throttle._lock_key("127.0.0.1"), 1, timeout=300)
    assert client.get("/api/v1/lookup", right).status_code == 429
