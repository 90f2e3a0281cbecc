"""GET /api/v1/monitoring/dossiers (API.md "Monitoring")."""

import pytest
import time_machine

from motcua.apitokens.models import ApiToken
from motcua.dossiers import services
from motcua.org.models import AdminUnit

from .factories import Office, at

NOW = at(2022, 11, 16, 10)
URL = "/api/v1/monitoring/dossiers"


def bearer(user) -> dict:
    _row, token = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def office(db):
    return Office()


@pytest.fixture
def dossiers(office):
    overdue = office.receive(at(2022, 11, 10, 9))
    near_due = office.receive(at(2022, 11, 14, 9))
    paused = office.receive(at(2022, 11, 14, 10))
    with time_machine.travel(at(2022, 11, 15, 9), tick=False):
        services.request_supplement(paused, office.admin, ["Bản sao CCCD"])
    return {"overdue": overdue, "near_due": near_due, "paused": paused}


def get(client, user, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(URL, params, **bearer(user))


def test_each_state_filter(client, office, dossiers):
    for state in ("overdue", "near_due", "paused"):
        body = get(client, office.director, state=state).json()
        assert body["count"] == 1, state
        [item] = body["results"]
        assert item["code"] == dossiers[state].code
        assert item["due_state"] == state
    assert get(client, office.director, state="due_today").json()["count"] == 0


def test_summary_fields(client, office, dossiers):
    item = get(client, office.director, state="overdue").json()["results"][0]
    assert item["due_at"] == "2022-11-15T09:00:00+07:00"
    assert item["agency"] == office.agency.identity_code
    assert item["status"] == 4 and item["status_label"] == "Đang xử lý"
    assert item["holder"]["username"] == office.staff.specialist.username
    assert item["current_step"]["name"] and item["current_step"]["overrun"] is True
    assert item["remaining"].startswith("Quá hạn")
    assert item["badly_overdue"] is False


def test_all_open_dossiers_most_urgent_first(client, office, dossiers):
    body = get(client, office.director).json()
    assert [r["code"] for r in body["results"]] == [
        dossiers["overdue"].code,
        dossiers["near_due"].code,
        dossiers["paused"].code,
    ]


def test_agency_and_unit_filters(client, office, dossiers):
    other = Office()
    other.receive(at(2022, 11, 10, 9))
    admin = office.admin
    assert get(client, admin, state="overdue").json()["count"] == 2
    assert get(client, admin, state="overdue", agency=other.agency.identity_code).json()["count"] == 1
    unit = other.agency.unit
    assert isinstance(unit, AdminUnit)
    assert get(client, admin, state="overdue", unit=unit.code).json()["count"] == 1


def test_scope_limits_results(client, office, dossiers):
    other = Office()
    assert get(client, other.director, state="overdue").json()["count"] == 0
    response = get(client, other.director, agency=office.agency.identity_code)
    assert response.status_code == 400


def test_bad_input(client, office, dossiers):
    response = get(client, office.director, state="late")
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid" and "state" in body["error"]["fields"]
    assert get(client, office.director, agency="không-có").status_code == 400
    assert get(client, office.director, unit="99999999").status_code == 400
    assert get(client, office.director, page=0).status_code == 400
    assert get(client, office.director, page="x").status_code == 400


def test_credentials_required(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
