"""The reference cache (`motcua.refcache`): with a lifetime, a busy process reads tokens, assignments, procedures
and process templates once per lifetime; a change saved here is seen at once, a change made without signals (or
in another process) once the lifetime has passed; every caller gets its own copies."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua import refcache
from motcua.apitokens.models import ApiToken
from motcua.catalog.models import ProcessStep, procedure_for_intake
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet
from motcua.org import permissions
from motcua.org.models import StaffAssignment

pytestmark = pytest.mark.django_db

APPLICANT = {"type": "citizen", "name": "Trần Văn Bình", "id_number": "027190000777", "phone": "0912345678"}


@pytest.fixture
def clock(settings, monkeypatch):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 2.0
    now = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: now[0])
    refcache.clear_all()
    return now


@pytest.fixture
def monday():
    start = datetime.datetime(2022, 11, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(start, tick=False):
        yield


def intake(client, token, procedure, number):
    body = {
        "procedure": procedure.code,
        "channel": "counter",
        "applicant": {**APPLICANT, "id_number": number},
    }
    return client.post(
        "/api/v1/dossiers", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_second_intake_reads_no_token_assignment_procedure_or_process_rows(client, clock, monday):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    _row, token = ApiToken.issue(staff.officer)
    assert intake(client, token, procedure, "027190000001").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = intake(client, token, procedure, "027190000002")
    assert response.status_code == 201, response.content
    read = " ".join(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    for table in (
        "apitokens_apitoken",
        "org_staffassignment",
        "catalog_procedure",
        "catalog_processstep",
        "notifications_notificationtemplate",
        "catalog_requireddocument",
    ):
        assert table not in read
    assert response.json()["code"].endswith("-0002")


def test_a_revoked_token_stops_at_once_here_and_after_the_lifetime_when_revoked_without_signals(clock):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    row, token = ApiToken.issue(staff.officer)
    assert ApiToken.authenticate(token) == staff.officer
    row.revoke()  # saved here: this process forgets it at once
    assert ApiToken.authenticate(token) is None

    other, other_token = ApiToken.issue(staff.officer)
    assert ApiToken.authenticate(other_token) == staff.officer
    ApiToken.objects.filter(pk=other.pk).update(revoked_at=datetime.datetime.now(datetime.UTC))  # no signal
    clock[0] += 1.5
    assert ApiToken.authenticate(other_token) == staff.officer  # within the lifetime: the reading stands
    clock[0] += 1.0
    assert ApiToken.authenticate(other_token) is None


def test_each_caller_gets_its_own_user_object(clock):
    staff = StaffSet(ProcedureWithProcessFactory())
    _row, token = ApiToken.issue(staff.officer)
    first, second = ApiToken.authenticate(token), ApiToken.authenticate(token)
    assert first == second and first is not second
    first.full_name = "Đã sửa trong một yêu cầu"
    assert second.full_name != first.full_name


def test_a_withdrawn_assignment_takes_effect_at_once_when_deleted_here(clock):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    agency = procedure.resolving_agency
    assert permissions.has_role(_fresh(staff.officer), "reception_officer", agency)
    StaffAssignment.objects.get(user=staff.officer, role="reception_officer").delete()
    assert not permissions.has_role(_fresh(staff.officer), "reception_officer", agency)


def test_an_assignment_withdrawn_without_signals_is_seen_after_the_lifetime(clock):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    agency = procedure.resolving_agency
    assert permissions.primary_agency(_fresh(staff.officer), "reception_officer") == agency
    StaffAssignment.objects.filter(user=staff.officer, role="reception_officer").update(
        valid_to=datetime.date(2000, 1, 1)
    )
    assert permissions.has_role(_fresh(staff.officer), "reception_officer", agency)
    clock[0] += 2.5
    assert not permissions.has_role(_fresh(staff.officer), "reception_officer", agency)
    assert permissions.primary_agency(_fresh(staff.officer), "reception_officer") is None


def test_a_procedure_or_step_saved_here_is_read_again_and_copies_are_the_callers_own(clock):
    procedure = ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")
    first = procedure_for_intake(procedure.code)
    first.name = "Sửa trong một yêu cầu"
    assert procedure_for_intake(procedure.code).name == "Cấp bản sao trích lục hộ tịch"

    procedure.name = "Cấp bản sao trích lục khai sinh"
    procedure.save()
    assert procedure_for_intake(procedure.code).name == "Cấp bản sao trích lục khai sinh"

    template, steps = procedure.process_with_steps(agency=procedure.resolving_agency)
    again, steps_again = procedure.process_with_steps(agency=procedure.resolving_agency)
    assert again == template and again is not template
    assert all(step.template is again for step in steps_again)
    step = ProcessStep.objects.get(pk=steps[0].pk)
    step.name = "Tiếp nhận và kiểm tra"
    step.save()
    _template, steps_now = procedure.process_with_steps(agency=procedure.resolving_agency)
    assert steps_now[0].name == "Tiếp nhận và kiểm tra"


def test_a_step_changed_without_signals_is_read_again_after_the_lifetime(clock):
    procedure = ProcedureWithProcessFactory()
    _template, steps = procedure.process_with_steps(agency=procedure.resolving_agency)
    ProcessStep.objects.filter(pk=steps[0].pk).update(name="Đổi tên hàng loạt")
    assert procedure.process_with_steps(agency=procedure.resolving_agency)[1][0].name == steps[0].name
    clock[0] += 2.5
    assert procedure.process_with_steps(agency=procedure.resolving_agency)[1][0].name == "Đổi tên hàng loạt"


def test_a_cache_starts_again_empty_beyond_its_bound_and_never_keeps_not_found(clock, monkeypatch):
    monkeypatch.setattr(refcache, "MAX_ENTRIES", 3)
    cache = refcache.ReferenceCache("test")
    loads = []
    for key in range(5):
        cache.get(key, lambda key=key: loads.append(key) or key)
    assert len(cache._data) <= 3
    assert cache.get("missing", lambda: loads.append("missing")) is None
    assert cache.get("missing", lambda: loads.append("missing")) is None
    assert loads.count("missing") == 2


def _fresh(user):
    """The user as a new request sees it (no per-request scope cache)."""
    user.__dict__.pop("_motcua_scope_cache", None)
    return user


def test_a_notification_template_edited_here_is_used_at_once(clock):
    from motcua.notifications.models import NotificationTemplate
    from motcua.notifications.services import active_templates

    template = NotificationTemplate.objects.filter(event="received", channel="sms").first()
    assert template is not None, "the migrations seed the texts"
    before = active_templates("received")
    template.body = "Hồ sơ {{ code }} đã được tiếp nhận (mẫu đã sửa)."
    template.save()
    after = {t.channel: t.body for t in active_templates("received")}
    assert after["sms"] == "Hồ sơ {{ code }} đã được tiếp nhận (mẫu đã sửa)."
    assert {t.channel for t in before} == set(after)
