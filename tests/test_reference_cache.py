"""The reference cache (`motcua.refcache`): with a lifetime, a busy process reads tokens, assignments, procedures
and process templates once per lifetime; a change saved here is seen at once, a change made without signals (or
in another process) once the lifetime has passed; every caller gets its own copies."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua import refcache
from motcua.apitokens.models import ApiToken
from motcua.catalog.models import ProcedureImplementation, ProcessStep, procedure_for_intake
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
        "org_center",
    ):
        assert table not in read
    assert response.json()["code"].endswith("-0002")


def test_an_agencys_center_is_read_once_and_a_center_serving_it_from_now_on_is_seen_at_once(
    clock, django_assert_num_queries
):
    from motcua.org.tests.factories import AgencyFactory, CenterFactory
    from motcua.workdays.services import center_of

    agency = AgencyFactory()
    refcache.clear_all()
    with django_assert_num_queries(2):  # the stamp, then the agency's center (none: kept too)
        assert center_of(agency) is None
    with django_assert_num_queries(0):
        assert center_of(agency) is None
        assert center_of(agency.pk) is None
    center = CenterFactory()
    assert center_of(agency) is None  # read again after the new center, and kept
    center.agencies.add(agency)  # a many-to-many add sends no post_save: its own signal clears the caches
    assert center_of(agency) == center.pk
    own = CenterFactory(agency=agency)
    assert center_of(agency) == own.pk  # the center that is the agency comes first


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


def test_a_copy_is_what_copy_copy_gives_with_its_own_fields_and_relation_cache(clock):
    import copy

    procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh")
    cached = procedure_for_intake(procedure.code)  # with its resolving agency in the relation cache
    mine, standard = refcache.copied(cached), copy.copy(cached)
    assert type(mine) is type(standard) and mine is not cached
    assert {k: v for k, v in vars(standard).items() if k not in ("_state", "_django_version")} == {
        k: v for k, v in vars(mine).items() if k != "_state"
    }
    assert (
        (mine._state.db, mine._state.adding)
        == (standard._state.db, standard._state.adding)
        == ("default", False)
    )
    assert mine._state is not cached._state and mine._state.fields_cache is not cached._state.fields_cache
    assert mine.resolving_agency is cached.resolving_agency  # related objects are shared, as with copy.copy
    mine.name = "Đổi trong bản sao"
    mine._state.fields_cache.clear()
    assert cached.name == "Đăng ký khai sinh" and "resolving_agency" in cached._state.fields_cache
    mine.save(update_fields=["name"])
    procedure.refresh_from_db()
    assert procedure.name == "Đổi trong bản sao"


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


# --- the change stamp: a row that has not changed is never read again; any change is seen within the bound ----


@pytest.fixture
def another_process(clock, monkeypatch):
    """Changes made here behave as if made by another process: the save/delete signals do not clear this
    process's caches, so only the database's change stamp can tell it."""
    monkeypatch.setattr(refcache, "clear_all", lambda *args, **kwargs: None)
    return clock


def _reads(queries, table):
    return [q["sql"] for q in queries.captured_queries if table in q["sql"]]


def test_rows_that_have_not_changed_are_not_read_again_after_the_bound_only_the_stamp_is(clock):
    procedures = [ProcedureWithProcessFactory() for _ in range(3)]
    staff = StaffSet(procedures[0])
    _row, token = ApiToken.issue(staff.officer)
    for procedure in procedures:
        procedure_for_intake(procedure.code)
    ApiToken.authenticate(token)
    for _ in range(5):
        clock[0] += 10.0
        with CaptureQueriesContext(connection) as queries:
            assert ApiToken.authenticate(token) == staff.officer
            for procedure in procedures:
                assert procedure_for_intake(procedure.code).code == procedure.code
        assert [q["sql"] for q in queries.captured_queries] == _reads(queries, refcache.STAMP_TABLE)
        assert len(queries.captured_queries) == 1


def test_many_keys_cost_one_query_each_once_then_none(clock, django_assert_num_queries):
    procedures = [ProcedureWithProcessFactory() for _ in range(4)]
    refcache.clear_all()
    with django_assert_num_queries(1 + len(procedures)):  # the stamp, then one read per procedure
        for procedure in procedures:
            procedure_for_intake(procedure.code)
    clock[0] += 1.0
    with django_assert_num_queries(0):  # within the bound: not even the stamp
        for procedure in procedures:
            procedure_for_intake(procedure.code)
    clock[0] += 60.0
    with django_assert_num_queries(1):  # past it: the stamp alone
        for procedure in procedures:
            procedure_for_intake(procedure.code)


def test_a_token_revoked_by_another_process_is_refused_within_the_bound(another_process):
    staff = StaffSet(ProcedureWithProcessFactory())
    row, token = ApiToken.issue(staff.officer)
    assert ApiToken.authenticate(token) == staff.officer
    row.revoke()  # saved "elsewhere": this process's signals do not clear it
    another_process[0] += 1.0
    assert ApiToken.authenticate(token) == staff.officer  # within the bound the reading may stand
    another_process[0] += 1.0
    assert ApiToken.authenticate(token) is None


def test_a_change_written_in_raw_sql_is_seen_within_the_bound(another_process):
    procedure = ProcedureWithProcessFactory(name="Tên cũ")
    assert procedure_for_intake(procedure.code).name == "Tên cũ"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_procedure SET name = %s WHERE id = %s", ["Tên mới", procedure.pk])
    another_process[0] += 2.0
    assert procedure_for_intake(procedure.code).name == "Tên mới"


def test_using_a_token_or_logging_in_does_not_count_as_a_change(clock, client):
    staff = StaffSet(ProcedureWithProcessFactory())
    row, token = ApiToken.issue(staff.officer)
    stamp = refcache.read_stamp()
    ApiToken.authenticate(token)  # writes "last used"
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    type(staff.officer).objects.filter(pk=staff.officer.pk).update(
        last_login=datetime.datetime.now(datetime.UTC)
    )
    assert refcache.read_stamp() == stamp
    ApiToken.objects.filter(pk=row.pk).update(label="Máy tiếp nhận")
    assert refcache.read_stamp() != stamp


def test_a_token_used_again_after_a_minute_writes_last_used_once(clock, django_assert_num_queries):
    staff = StaffSet(ProcedureWithProcessFactory())
    _row, token = ApiToken.issue(staff.officer)
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        ApiToken.authenticate(token)
        traveller.shift(datetime.timedelta(seconds=90))
        clock[0] += 1.0
        with django_assert_num_queries(1):  # the "last used" update, not the token
            ApiToken.authenticate(token)
        with django_assert_num_queries(0):
            ApiToken.authenticate(token)


def test_the_catalog_import_is_seen_by_other_processes_within_the_bound(another_process):
    from motcua.catalog.spreadsheet import import_catalog
    from motcua.catalog.tests.test_catalog_spreadsheet import workbook

    procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh")
    assert procedure_for_intake(procedure.code).name == "Đăng ký khai sinh"
    agency = procedure.resolving_agency
    row = [procedure.code, "Đăng ký khai sinh (sửa)", procedure.field.name, agency.short_name or agency.name]
    report = import_catalog(workbook([[*row, 5, "ngày làm việc", "Không", "một phần"]]))
    assert report.ok and report.applied, report.errors
    assert procedure_for_intake(procedure.code).name == "Đăng ký khai sinh"
    another_process[0] += 2.0
    assert procedure_for_intake(procedure.code).name == "Đăng ký khai sinh (sửa)"


def test_a_reorganisation_is_seen_by_other_processes_within_the_bound(another_process, tmp_path):
    import json

    from django.core.management import call_command

    from motcua.catalog.models import implementations_by
    from motcua.dossiers.tests.two_tier import TwoTierProvince

    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=hcm), tick=False):
        land = TwoTierProvince()
        assert implementations_by(land.procedure, land.a.pk)
        before = [(row.pk, row.valid_to) for row in implementations_by(land.procedure, land.b.pk)]
        assert before and all(valid_to is None for _pk, valid_to in before)
        plan = tmp_path / "plan.json"
        merge = {"into": land.a.identity_code, "level": "commune", "from": [land.b.identity_code]}
        plan.write_text(
            json.dumps({"effective": "2026-02-10", "basis": "Nghị quyết thử nghiệm", "merges": [merge]}),
            encoding="utf-8",
        )
        call_command("reorganise", str(plan), stdout=io.StringIO())
        assert [(r.pk, r.valid_to) for r in implementations_by(land.procedure, land.b.pk)] == before
        another_process[0] += 2.0
        after = [(r.pk, r.valid_to) for r in implementations_by(land.procedure, land.b.pk)]
        assert after != before
        assert after == list(
            ProcedureImplementation.objects.filter(procedure=land.procedure, agency=land.b).values_list(
                "pk", "valid_to"
            )
        )


def test_every_model_that_clears_the_caches_has_a_change_stamp_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'refstamp_%'"
            )
        else:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'refstamp_%'")
        with_trigger = {row[0] for row in cursor.fetchall()}
    watched = {model._meta.db_table for model in refcache.watched_models}
    assert watched and not watched - with_trigger


def test_a_row_read_before_a_clear_is_not_kept_after_it(clock):
    cache = refcache.ReferenceCache("test: clear during a load")
    stale = []

    def load():
        cache.clear()  # e.g. the stamp moved while this thread was reading
        stale.append(1)
        return "read before the change"

    assert cache.get("k", load) == "read before the change"
    assert cache.get("k", lambda: "read after it") == "read after it"
