"""The dossier API answers exactly as API.md fixes it: intake, detail, actions, forms, public lookup, errors."""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from motcua.accounts.tests.factories import UserFactory
from motcua.apitokens.models import ApiToken
from motcua.dossiers.models import Applicant, Dossier, DossierEvent
from motcua.org.tests.factories import AgencyFactory

from .conftest import bearer

pytestmark = pytest.mark.django_db

APPLICANT = {
    "type": "citizen",
    "name": "Nguyễn Thị Hằng",
    "id_number": "027190000123",
    "phone": "0912 345 678",
    "address": "Thôn Đông, xã Đại Bái",
}


def post_dossier(client, user, proc, **extra):
    body = {"procedure": proc.code, "channel": "counter", "applicant": APPLICANT, **extra}
    return client.post("/api/v1/dossiers", body, content_type="application/json", **bearer(user))


def act(client, user, code, **body):
    return client.post(
        f"/api/v1/dossiers/{code}/actions", body, content_type="application/json", **bearer(user)
    )


def test_intake_answers_201_with_the_code_and_the_due_instant_in_local_time(
    client, staff, procedure, monday_morning
):
    response = post_dossier(client, staff.officer, procedure)
    assert response.status_code == 201, response.content
    data = response.json()
    identity = procedure.resolving_agency.identity_code
    assert data["code"] == f"{identity}-221107-0001"
    assert data["status"] == 2
    assert data["status_label"] == "Được tiếp nhận"
    assert data["received_at"] == "2022-11-07T09:00:00+07:00"
    # 3 working days from Monday 09:00 -> Thursday 09:00.
    assert data["due_at"] == "2022-11-10T09:00:00+07:00"
    assert data["appointment_at"] == data["due_at"]
    assert data["current_step"]["kind"] == "transfer"
    assert [e["action"] for e in data["events"]] == ["receive"]
    assert data["events"][0]["actor"] == "Lê Thị Tiếp Nhận"
    assert "advance" in data["allowed_actions"]


def test_second_intake_the_same_day_takes_the_next_number(client, staff, procedure, monday_morning):
    post_dossier(client, staff.officer, procedure)
    second = post_dossier(client, staff.officer, procedure).json()
    assert second["code"].endswith("-221107-0002")


def test_without_a_token_the_api_answers_401_in_the_error_shape(client, procedure):
    response = client.post("/api/v1/dossiers", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_revoked_token_no_longer_works(client, staff, procedure):
    row, token = ApiToken.issue(staff.officer)
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"procedure": procedure.code, "applicant": APPLICANT}
    assert client.post("/api/v1/dossiers", body, content_type="application/json", **header).status_code == 201
    call_command("revoke_token", row.prefix, stdout=io.StringIO())
    refused = client.post("/api/v1/dossiers", body, content_type="application/json", **header)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    assert Dossier.objects.count() == 1  # the refused call received nothing


def test_issue_token_prints_a_token_that_authenticates(client, staff):
    out = io.StringIO()
    call_command("issue_token", staff.officer.username, stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    assert ApiToken.authenticate(token) == staff.officer


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "0.000000"}, "procedure"),
        ({"channel": "fax"}, "channel"),
        ({"applicant": {**APPLICANT, "id_number": "12345"}}, "applicant.id_number"),
        ({"applicant": {**APPLICANT, "phone": "12345"}}, "applicant.phone"),
        ({"agency": "999.99.99.X99"}, "agency"),
    ],
)
def test_bad_input_answers_400_with_the_field_and_creates_nothing(client, staff, procedure, change, field):
    response = post_dossier(client, staff.officer, procedure, **change)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert error["message"]
    assert Dossier.objects.count() == 0


def test_a_reception_officer_of_another_agency_may_not_receive(client, procedure):
    from motcua.dossiers.tests.factories import grant

    stranger = UserFactory()
    grant(stranger, "reception_officer", AgencyFactory())
    response = post_dossier(client, stranger, procedure, agency=procedure.resolving_agency.identity_code)
    assert response.status_code == 403
    assert Dossier.objects.count() == 0


def test_received_at_is_only_for_users_with_the_import_permission(client, staff, procedure, superuser):
    body = {"received_at": "2022-11-01T08:00:00+07:00"}
    assert post_dossier(client, staff.officer, procedure, **body).status_code == 403
    response = post_dossier(client, superuser, procedure, **body)
    assert response.status_code == 201
    assert response.json()["code"].endswith("-221101-0001")


def test_unknown_code_and_out_of_scope_dossier_both_answer_404(client, staff, procedure):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    assert (
        client.get("/api/v1/dossiers/000.00.00.H00-000000-0000", **bearer(staff.officer)).status_code == 404
    )
    outsider = UserFactory()
    response = client.get(f"/api/v1/dossiers/{code}", **bearer(outsider))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/dossiers/{code}", **bearer(staff.specialist)).status_code == 200


def test_actions_walk_the_dossier_to_returned(client, staff, procedure, monday_morning):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    assert act(client, staff.officer, code, action="advance", note="Chuyển phòng").json()["status"] == 4
    assert act(client, staff.specialist, code, action="advance", note="Đủ điều kiện").status_code == 200
    assert act(client, staff.leader, code, action="advance", note="Đồng ý").status_code == 200
    data = act(client, staff.clerk, code, action="advance", note="Đã đóng dấu").json()
    assert data["status"] == 9
    assert data["finished_at"] is not None
    data = act(client, staff.officer, code, action="return_result").json()
    assert data["status"] == 10
    assert data["status_label"] == "Đã trả kết quả"
    assert [e["action"] for e in data["events"]] == [
        "receive",
        "advance",
        "advance",
        "advance",
        "advance",
        "return_result",
    ]


def test_the_wrong_role_gets_403_and_the_wrong_state_409_and_nothing_changes(client, staff, procedure):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    events_before = DossierEvent.objects.count()
    forbidden = act(client, staff.specialist, code, action="advance")
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"
    conflict = act(client, staff.officer, code, action="return_result")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "transition_not_allowed"
    assert "Trả kết quả" in conflict.json()["error"]["message"]
    assert DossierEvent.objects.count() == events_before
    assert Dossier.objects.get(code=code).status == 2


def test_unknown_action_and_missing_parameters_answer_400(client, staff, procedure):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    assert act(client, staff.officer, code, action="teleport").status_code == 400
    response = act(client, staff.officer, code, action="request_supplement", items=[])
    assert response.status_code == 400
    assert "items" in response.json()["error"]["fields"]
    response = act(client, staff.officer, code, action="withdraw")
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    response = act(client, staff.officer, code, action="apologize", reason="Chậm")
    assert response.status_code == 400
    assert "new_appointment_at" in response.json()["error"]["fields"]


def test_supplement_pauses_and_resumes_through_the_api(client, staff, procedure, monday_morning):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    data = act(
        client, staff.officer, code, action="request_supplement", items=["Bản sao CCCD"], note="Thiếu"
    ).json()
    assert data["status"] == 5
    assert data["supplement_items"] == ["Bản sao CCCD"]
    monday_morning.shift(60 * 60 * 24)  # Tuesday 09:00: 8 working hours later
    data = act(client, staff.officer, code, action="supplement").json()
    assert data["status"] == 2
    assert data["due_at"] == "2022-11-11T09:00:00+07:00"
    again = act(client, staff.officer, code, action="request_supplement", items=["Giấy khác"])
    assert again.status_code == 409


def test_apology_moves_the_appointment_only(client, staff, procedure, monday_morning):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    act(client, staff.officer, code, action="advance")
    monday_morning.shift(60 * 60 * 24)  # Tuesday 09:00: two working days before the appointment
    data = act(
        client,
        staff.leader,
        code,
        action="apologize",
        reason="Cần xác minh thêm",
        new_appointment_at="2022-11-15T16:00:00+07:00",
    ).json()
    assert data["appointment_at"] == "2022-11-15T16:00:00+07:00"
    assert data["due_at"] == "2022-11-10T09:00:00+07:00"


def test_form_01_is_a_pdf_with_code_name_and_due_date(client, staff, procedure, monday_morning):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    response = client.get(f"/api/v1/dossiers/{code}/forms/01", **bearer(staff.officer))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert code in text
    assert "Nguyễn Thị Hằng" in text
    assert "10/11/2022" in text


def test_unknown_form_is_404_and_an_inapplicable_form_409(client, staff, procedure):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    assert client.get(f"/api/v1/dossiers/{code}/forms/07", **bearer(staff.officer)).status_code == 404
    response = client.get(f"/api/v1/dossiers/{code}/forms/02", **bearer(staff.officer))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "form_not_applicable"


def test_public_lookup_needs_the_right_pair_and_hides_staff_names(client, staff, procedure):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    ok = client.get("/api/v1/lookup", {"code": code, "phone": "0912345678"})
    assert ok.status_code == 200
    data = ok.json()
    assert data["status"] == 2
    assert data["procedure_name"] == "Cấp bản sao trích lục hộ tịch"
    assert "Lê Thị Tiếp Nhận" not in ok.content.decode()
    assert client.get("/api/v1/lookup", {"code": code, "id_number": "027190000123"}).status_code == 200
    wrong = client.get("/api/v1/lookup", {"code": code, "phone": "0987654321"})
    unknown = client.get("/api/v1/lookup", {"code": "000.00.00.H00-000000-0000", "phone": "0912345678"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_organisation_applicant_uses_its_tax_code(client, staff, procedure):
    body = {
        "type": "organisation",
        "name": "Công ty TNHH Gốm Đông Bình",
        "id_number": "2300123456",
        "phone": "0222381234" + "5",
    }
    response = post_dossier(client, staff.officer, procedure, applicant=body)
    assert response.status_code == 201, response.content
    assert Applicant.objects.get(name="Công ty TNHH Gốm Đông Bình").tax_code == "2300123456"
    assert re.match(r"^.+-\d{6}-\d{4}$", response.json()["code"])


def test_the_dossier_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/{code}/actions",
        "/api/v1/dossiers/{code}/forms/{form}",
        "/api/v1/lookup",
    ):
        assert path in paths
    assert "security" not in paths["/api/v1/lookup"]["get"] or not paths["/api/v1/lookup"]["get"]["security"]


def test_2025_stop_notice_through_the_forms_endpoint(
    client, staff, procedure, rules_2025_since_2022, monday_morning
):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    act(client, staff.officer, code, action="advance")
    assert act(client, staff.specialist, code, action="refuse", reason="Hồ sơ giả mạo").status_code == 200
    response = client.get(f"/api/v1/dossiers/{code}/forms/stop_notice", **bearer(staff.officer))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert code in text and "Nguyễn Thị Hằng" in text and "07/11/2022" in text and "Hồ sơ giả mạo" in text


def test_stop_notice_of_a_2018_dossier_is_409(client, staff, procedure):
    code = post_dossier(client, staff.officer, procedure).json()["code"]
    response = client.get(f"/api/v1/dossiers/{code}/forms/stop_notice", **bearer(staff.officer))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "form_not_applicable"


# --- the online channel (API.md: "channel": "counter" | "online" | "postal") ---------------------------------


def test_online_dossier_is_received_by_the_officers_agency_with_the_online_time_limit(
    client, staff, procedure, monday_morning
):
    procedure.online_time_limit_value, procedure.online_time_limit_unit = 2, "working_days"
    procedure.save()
    response = post_dossier(client, staff.officer, procedure, channel="online", return_method="online")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["channel"], data["status"], data["return_method"]) == ("online", 2, "online")
    assert data["agency"] == procedure.resolving_agency.identity_code
    assert data["code"].endswith("-221107-0001")
    assert data["received_at"] == "2022-11-07T09:00:00+07:00"
    assert data["due_at"] == "2022-11-09T09:00:00+07:00"  # 2 working days online (3 at the counter)
    dossier = Dossier.objects.get(code=data["code"])
    assert dossier.channel == "online" and dossier.events.get().action == "receive"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "Online"}, "channel"),
        ({"channel": "web"}, "channel"),
        ({"channel": None}, "channel"),
        ({"channel": "online", "return_method": "email"}, "return_method"),
    ],
)
def test_bad_online_input_answers_400_and_creates_nothing(client, staff, procedure, change, field):
    response = post_dossier(client, staff.officer, procedure, **change)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]
    assert any(field in key for key in error["fields"]), error
    assert Dossier.objects.count() == 0 and Applicant.objects.count() == 0


def test_online_dossier_for_a_procedure_without_online_service_is_400(client, staff, procedure):
    procedure.online_level = "none"
    procedure.save()
    response = post_dossier(client, staff.officer, procedure, channel="online")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "channel" in error["fields"]
    assert "trực tuyến" in error["message"]
    assert Dossier.objects.count() == 0 and Applicant.objects.count() == 0
    # The same procedure is still received at the counter.
    assert post_dossier(client, staff.officer, procedure).status_code == 201


def test_a_refused_intake_leaves_no_applicant_behind(client, procedure):
    from motcua.dossiers.tests.factories import grant

    stranger = UserFactory()
    grant(stranger, "reception_officer", AgencyFactory())
    response = post_dossier(client, stranger, procedure, agency=procedure.resolving_agency.identity_code)
    assert response.status_code == 403
    assert Applicant.objects.count() == 0


def test_no_token_prefix_starts_with_a_dash_so_revoke_token_always_takes_it(staff, monkeypatch):
    tokens = iter(["-starts-with-a-dash-" + "a" * 24, "Abc-" + "b" * 39])
    monkeypatch.setattr("motcua.apitokens.models.secrets.token_urlsafe", lambda n: next(tokens))
    row, token = ApiToken.issue(staff.officer)
    assert token.startswith("Abc-") and row.prefix == token[:8]
    call_command("revoke_token", row.prefix, stdout=io.StringIO())
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_public_lookup_shows_the_deadline_functions_appointment_in_one_query(
    client, staff, procedure, django_assert_num_queries
):
    import datetime

    from motcua.dossiers import services
    from motcua.dossiers.api import iso
    from motcua.dossiers.deadlines import deadlines

    code = post_dossier(client, staff.officer, procedure).json()["code"]
    # no appointment written on the row: the screens show the legal due instant as the appointment
    Dossier.objects.filter(code=code).update(appointment_at=None)
    dossier = Dossier.objects.get(code=code)
    shown = deadlines(dossier)
    assert dossier.due_at and shown.appointment.at == dossier.due_at
    with django_assert_num_queries(1):
        found = services.public_status(code, phone="0912345678")
    assert (found["appointment_at"], found["due_at"]) == (shown.appointment.at, shown.legal.at)
    assert client.get("/api/v1/lookup", {"code": code, "phone": "0912345678"}).json()[
        "appointment_at"
    ] == iso(shown.appointment.at)
    # an apology moved the appointment: the lookup shows the new one, as deadlines() does
    moved = dossier.due_at + datetime.timedelta(days=2)
    Dossier.objects.filter(code=code).update(appointment_at=moved)
    found = services.public_status(code, phone="0912345678")
    assert found["appointment_at"] == deadlines(Dossier.objects.get(code=code)).appointment.at == moved
    assert found["due_at"] == dossier.due_at
