"""The public lookup is served by a plain view (the busiest public read), which must answer exactly as the
documented API operation does: same status, same content type, same bytes, for right pairs, wrong pairs and bad
input alike."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import path

from motcua.api.urls import api
from motcua.dossiers import lookup_throttle, services
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
