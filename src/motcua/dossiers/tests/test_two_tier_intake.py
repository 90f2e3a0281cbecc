"""Two-tier government: one national procedure implemented by many communes; intake picks who resolves it from
the receiving point or the applicant's choice, "phi địa giới" transfers are recorded, and the regime follows
the receipt day (API.md "Procedures" and "Dossiers")."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.catalog.models import ProcedureImplementation
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import bearer
from .factories import ApplicantFactory
from .two_tier import TwoTierProvince

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY_2026 = datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM)
APPLICANT = {"type": "citizen", "name": "Trần Thị Khai", "id_number": "027190000777", "phone": "0912000777"}


@pytest.fixture
def tuesday():
    with time_machine.travel(TUESDAY_2026, tick=False) as traveller:
        yield traveller


@pytest.fixture
def land():
    return TwoTierProvince()


def post(client, user, **body):
    payload = {"procedure": "1.001193", "channel": "counter", "applicant": APPLICANT, **body}
    return client.post("/api/v1/dossiers", payload, content_type="application/json", **bearer(user))


def test_each_commune_resolves_what_it_receives_under_its_own_code_and_the_2025_regime(client, land, tuesday):
    at_a = post(client, land.staff_a.officer)
    at_b = post(client, land.staff_b.officer)
    assert at_a.status_code == 201 and at_b.status_code == 201, (at_a.content, at_b.content)
    a, b = at_a.json(), at_b.json()
    assert a["resolving_agency"] == {"code": land.a.identity_code, "name": land.a.name}
    assert b["resolving_agency"] == {"code": land.b.identity_code, "name": land.b.name}
    assert b["receiving_agency"] == {"code": land.b.identity_code, "name": land.b.name}
    assert a["code"].startswith(f"{land.a.identity_code}-260210-")
    assert b["code"].startswith(f"{land.b.identity_code}-260210-")
    assert a["regime"] == b["regime"] == "2025"
    stored = Dossier.objects.get(code=b["code"])
    assert stored.resolving_agency == land.b and stored.regime == "2025"


def test_the_commune_that_resolves_works_the_dossier_through_its_own_staff(land, tuesday):
    dossier = services.intake(
        procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_b.officer
    )
    dossier = services.advance(dossier, land.staff_b.officer)
    assert dossier.current_agency == land.b
    dossier = services.advance(dossier, land.staff_b.specialist)
    assert dossier.resolving_agency == land.b


def test_a_chosen_agency_the_point_does_not_serve_is_refused_without_phi_dia_gioi(client, land, tuesday):
    response = post(client, land.staff_a.officer, resolving_agency=land.b.identity_code)
    assert response.status_code == 400
    error = response.json()["error"]
    assert "không phụ thuộc địa giới" in error["message"]
    assert "resolving_agency" in error["fields"]
    assert not Dossier.objects.exists()


def test_phi_dia_gioi_receives_at_one_point_and_records_the_transfer_to_the_chosen_agency(
    client, land, tuesday
):
    land.procedure.receive_anywhere = True
    land.procedure.save()
    response = post(client, land.staff_a.officer, resolving_agency=land.b.identity_code)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["receiving_agency"]["code"] == land.a.identity_code
    assert data["resolving_agency"]["code"] == land.b.identity_code
    assert data["code"].startswith(land.a.identity_code)  # the receiving point numbers it
    assert [e["action"] for e in data["events"]] == ["receive", "transfer_to_resolving"]
    transfer = DossierEvent.objects.get(dossier__code=data["code"], action="transfer_to_resolving")
    assert transfer.agency == land.b
    assert transfer.data == {"from_agency": land.a.identity_code, "to_agency": land.b.identity_code}


def test_phi_dia_gioi_stays_within_one_province(client, land, tuesday):
    land.procedure.receive_anywhere = True
    land.procedure.save()
    response = post(client, land.staff_a.officer, resolving_agency=land.c.identity_code)
    assert response.status_code == 400
    assert "cùng tỉnh" in response.json()["error"]["message"]


def test_an_agency_that_does_not_implement_the_procedure_cannot_be_chosen(client, land, tuesday):
    ProcedureImplementation.objects.filter(agency=land.b).update(valid_to=datetime.date(2026, 1, 31))
    response = post(client, land.staff_a.officer, resolving_agency=land.b.identity_code)
    assert response.status_code == 400
    assert "không thực hiện thủ tục 1.001193 vào ngày 10/02/2026" in response.json()["error"]["message"]


def test_an_agency_that_does_not_exist_on_the_receipt_day_answers_400_and_changes_nothing(
    client, land, tuesday
):
    land.b.valid_to = datetime.date(2026, 1, 31)  # merged away at the end of January
    land.b.save()
    response = post(client, land.staff_b.officer, agency=land.b.identity_code)
    assert response.status_code == 400
    assert "không tồn tại vào ngày 10/02/2026" in response.json()["error"]["message"]
    assert not Dossier.objects.exists()
    unknown = post(client, land.superuser, agency="000.00.00.H00")
    assert unknown.status_code == 400 and unknown.json()["error"]["fields"] == {
        "agency": ["Mã định danh cơ quan không tồn tại."]
    }


def test_an_agency_not_yet_created_on_an_imported_receipt_day_answers_400(client, land, tuesday):
    response = post(
        client, land.superuser, agency=land.a.identity_code, received_at="2024-05-06T09:00:00+07:00"
    )
    assert response.status_code == 400
    assert "không tồn tại vào ngày 06/05/2024" in response.json()["error"]["message"]


def test_an_implementation_with_its_own_time_limit_gives_the_due_date(land, tuesday):
    ProcedureImplementation.objects.filter(agency=land.b).update(
        time_limit_value=Decimal("1"), time_limit_unit="working_days"
    )
    at_a = services.intake(procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_a.officer)
    at_b = services.intake(procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_b.officer)
    assert timezone_day(at_a.due_at) == datetime.date(2026, 2, 13)  # 3 working days
    assert timezone_day(at_b.due_at) == datetime.date(2026, 2, 11)  # its own 1 working day
    assert land.procedure.time_limit_value == 3  # the caller's procedure is untouched


def test_several_implementers_served_at_one_center_ask_for_a_choice(land, tuesday):
    """A provincial center serving communes A and B, for a procedure whose default agency it does not serve."""
    from motcua.org.models import Agency, Center
    from motcua.org.tests.factories import AgencyFactory

    hub = AgencyFactory(name="Trung tâm PVHCC tỉnh Mẫu", kind=Agency.Kind.CENTER, unit=land.province)
    center = Center.objects.create(name=hub.name, unit=land.province, agency=hub)
    center.agencies.add(land.a, land.b)
    land.procedure.resolving_agency = land.c
    land.procedure.save()
    with pytest.raises(ValidationError) as raised:
        services.intake(
            procedure=land.procedure, applicant=ApplicantFactory(), actor=land.superuser, agency=hub
        )
    assert "hãy chọn cơ quan giải quyết" in str(raised.value)
    assert not Dossier.objects.exists()
    dossier = services.intake(
        procedure=land.procedure,
        applicant=ApplicantFactory(),
        actor=land.superuser,
        agency=hub,
        resolving_agency=land.b,
    )
    assert (dossier.agency, dossier.resolving_agency) == (hub, land.b)
    assert not dossier.events.filter(action="transfer_to_resolving").exists()  # the center serves B


def timezone_day(instant):
    return instant.astimezone(HCM).date()


def test_an_online_submission_received_later_takes_the_resolving_agencys_own_time_limit(land, tuesday):
    ProcedureImplementation.objects.filter(agency=land.b).update(
        time_limit_value=Decimal("1"), time_limit_unit="working_days"
    )
    pending = services.submit_online(procedure=land.procedure, applicant=ApplicantFactory(), agency=land.b)
    assert pending.resolving_agency == land.b
    received = services.receive(pending, land.staff_b.officer)
    assert timezone_day(received.due_at) == datetime.date(2026, 2, 11)
    assert received.regime == "2025"
