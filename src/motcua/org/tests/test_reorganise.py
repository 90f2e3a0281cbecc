"""`motcua reorganise PLAN.json [--dry-run]`: one audited operation that moves a merged agency's open work to its
successor, keeps every old code working, refuses new intake at the merged agency, and changes nothing on a dry
run or a failure."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, ManagementUtility, call_command

from motcua.catalog.models import ProcedureImplementation
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.conftest import bearer
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.dossiers.tests.two_tier import TwoTierProvince
from motcua.org.models import Agency, Counter, StaffAssignment
from motcua.org.tests.factories import CenterFactory
from motcua.payments.models import ReceiptBook
from motcua.payments.tests.factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BASIS = "Nghị quyết 9999/NQ-UBTVQH15 (thử nghiệm)"
PHONE = "0912000888"


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def land(clock):
    """Communes A and B with work at B: two open dossiers (one in a step, one paused), one closed; an open and a
    closed receipt book; a counter; then the clock moves to Tuesday 10/02/2026."""
    land = TwoTierProvince()

    def received_at_b():
        return services.intake(
            procedure=land.procedure, applicant=ApplicantFactory(phone=PHONE), actor=land.staff_b.officer
        )

    land.in_step = services.advance(received_at_b(), land.staff_b.officer)
    land.paused = services.request_supplement(received_at_b(), land.staff_b.officer, ["Bản sao CCCD"])
    land.closed = services.withdraw(received_at_b(), land.staff_b.officer, "Công dân xin rút")
    land.at_a = services.intake(
        procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_a.officer
    )
    land.open_book = ReceiptBookFactory(agency=land.b, series="BN-26E")
    land.closed_book = ReceiptBookFactory(agency=land.b, series="BN-25E", closed=True)
    land.counter = CenterFactory(unit=land.province).counters.create(number=1, name="Quầy 1")
    land.counter.agencies.add(land.b)
    clock.move_to(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=HCM))
    return land


def plan_file(tmp_path, land, **overrides):
    plan = {
        "effective": "2026-02-10",
        "basis": BASIS,
        "merges": [{"into": land.a.identity_code, "level": "commune", "from": [land.b.identity_code]}],
        **overrides,
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return str(path)


def snapshot():
    """Everything a reorganisation may change, to compare before and after a dry run or a failure."""
    return (
        sorted(Dossier.objects.values_list("code", "agency_id", "resolving_agency_id", "current_agency_id")),
        DossierEvent.objects.count(),
        sorted(Agency.objects.values_list("identity_code", "valid_to", "successor_id")),
        sorted(StaffAssignment.objects.values_list("user_id", "role", "agency_id", "valid_to")),
        sorted(ProcedureImplementation.objects.values_list("agency_id", "valid_from", "valid_to")),
        sorted(ReceiptBook.objects.values_list("series", "agency_id")),
        sorted(Counter.agencies.through.objects.values_list("counter_id", "agency_id")),
    )


def test_merging_a_commune_moves_its_open_work_to_the_successor(tmp_path, land, capsys):
    call_command("reorganise", plan_file(tmp_path, land))
    out = capsys.readouterr().out
    assert "ĐÃ THỰC HIỆN" in out and "hồ sơ đang giải quyết: 2" in out
    for dossier in (land.in_step, land.paused):
        moved = Dossier.objects.get(pk=dossier.pk)
        assert moved.code == dossier.code and moved.code.startswith(land.b.identity_code)  # code unchanged
        assert (moved.agency, moved.resolving_agency) == (land.a, land.a)
        event = moved.events.get(action="reorganise")
        assert BASIS in event.note and event.agency == land.a
        assert event.data["from_agency"] == land.b.identity_code and event.to_state == moved.state
        assert services.lookup(dossier.code, phone=PHONE) == moved  # the old code still finds it
    closed = Dossier.objects.get(pk=land.closed.pk)
    assert closed.agency == land.b and not closed.events.filter(action="reorganise").exists()
    land.b.refresh_from_db()
    assert land.b.valid_to == datetime.date(2026, 2, 9) and land.b.successor == land.a
    old = StaffAssignment.objects.get(user=land.staff_b.officer, agency=land.b)
    assert old.valid_to == datetime.date(2026, 2, 9)
    new = StaffAssignment.objects.get(user=land.staff_b.officer, agency=land.a, role="reception_officer")
    assert new.valid_from == datetime.date(2026, 2, 10) and new.valid_to is None
    assert list(land.counter.agencies.all()) == [land.a]
    assert ProcedureImplementation.objects.get(agency=land.b).valid_to == datetime.date(2026, 2, 9)
    assert ReceiptBook.objects.get(pk=land.open_book.pk).agency == land.a
    assert ReceiptBook.objects.get(pk=land.closed_book.pk).agency == land.b


def test_the_successor_works_a_moved_dossier_to_the_end(tmp_path, land):
    call_command("reorganise", plan_file(tmp_path, land))
    dossier = Dossier.objects.get(pk=land.in_step.pk)
    dossier = services.advance(dossier, land.staff_a.specialist)
    assert dossier.current_agency == land.a


def test_new_intake_at_the_merged_agency_after_the_date_is_refused(client, tmp_path, land):
    call_command("reorganise", plan_file(tmp_path, land))
    body = {
        "procedure": "1.001193",
        "agency": land.b.identity_code,
        "applicant": {"type": "citizen", "name": "Lý Thị Mới", "id_number": "027190000999"},
    }
    response = client.post(
        "/api/v1/dossiers", body, content_type="application/json", **bearer(land.superuser)
    )
    assert response.status_code == 400
    assert "không tồn tại vào ngày 10/02/2026" in response.json()["error"]["message"]
    # the moved staff now receive at the successor
    dossier = services.intake(
        procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_b.officer
    )
    assert dossier.agency == land.a and dossier.resolving_agency == land.a


def test_a_dry_run_prints_what_would_move_and_changes_nothing(tmp_path, land, capsys):
    before = snapshot()
    call_command("reorganise", plan_file(tmp_path, land), "--dry-run")
    out = capsys.readouterr().out
    assert "THỬ" in out and land.in_step.code in out and land.paused.code in out
    assert land.closed.code not in out
    assert snapshot() == before


def test_merging_into_a_new_agency_creates_it_from_the_effective_date(tmp_path, land):
    plan = plan_file(
        tmp_path,
        land,
        merges=[
            {
                "into": "000.77.01.H27",
                "name": "Ủy ban nhân dân xã An Bình",
                "level": "commune",
                "from": [land.a.identity_code, land.b.identity_code],
            }
        ],
    )
    call_command("reorganise", plan)
    new = Agency.objects.get(identity_code="000.77.01.H27")
    assert new.valid_from == datetime.date(2026, 2, 10) and new.kind == Agency.Kind.PEOPLES_COMMITTEE
    assert set(Dossier.objects.filter(agency=new).values_list("pk", flat=True)) == {
        land.in_step.pk,
        land.paused.pk,
        land.at_a.pk,
    }
    land.procedure.refresh_from_db()
    assert land.procedure.resolving_agency == new  # the default agency follows
    assert (
        ProcedureImplementation.objects.valid_on(datetime.date(2026, 2, 10)).filter(agency=new).count() == 1
    )


def test_a_failure_halfway_changes_nothing(tmp_path, land):
    ReceiptBookFactory(agency=land.a, series="BN-26E")  # the successor already has that series
    before = snapshot()
    with pytest.raises(CommandError, match="trùng ký hiệu"):
        call_command("reorganise", plan_file(tmp_path, land))
    assert snapshot() == before


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"basis": ""}, "căn cứ pháp lý"),
        ({"effective": "10/02/2026"}, "YYYY-MM-DD"),
        ({"effective": "2026-03-01"}, "chưa đến"),
        ({"merges": [{"into": "000.00.01.H99", "from": ["000.99.99.X99"]}]}, "Không có cơ quan"),
        ({"merges": [{"into": "000.77.02.H27", "from": ["000.00.01.H99"]}]}, "Không có cơ quan"),
        ({"merges": []}, "không có gì để sắp xếp"),
        ({"reshuffle": []}, "Khóa không được hỗ trợ"),
    ],
)
def test_a_bad_plan_is_refused_in_vietnamese_and_changes_nothing(tmp_path, land, overrides, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("reorganise", plan_file(tmp_path, land, **overrides))
    assert snapshot() == before


def test_merging_an_agency_into_itself_or_twice_is_refused(tmp_path, land):
    with pytest.raises(CommandError, match="chính nó"):
        call_command(
            "reorganise",
            plan_file(
                tmp_path, land, merges=[{"into": land.a.identity_code, "from": [land.a.identity_code]}]
            ),
        )
    twice = [
        {"into": land.a.identity_code, "from": [land.b.identity_code]},
        {"into": land.c.identity_code, "from": [land.b.identity_code]},
    ]
    with pytest.raises(CommandError, match="nhiều mục"):
        call_command("reorganise", plan_file(tmp_path, land, merges=twice))


@pytest.mark.django_db(transaction=True)  # the command line closes the database connections when it ends
def test_the_command_line_exits_0_on_success_and_non_zero_with_a_message(tmp_path, land, capsys):
    with pytest.raises(SystemExit) as failed:
        ManagementUtility(["motcua", "reorganise", str(tmp_path / "missing.json")]).execute()
    assert failed.value.code != 0
    assert "Không tìm thấy tệp kế hoạch" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(SystemExit) as failed:
        ManagementUtility(["motcua", "reorganise", str(broken)]).execute()
    assert failed.value.code != 0 and "không phải JSON" in capsys.readouterr().err
    ManagementUtility(
        ["motcua", "reorganise", plan_file(tmp_path, land)]
    ).execute()  # no SystemExit: status 0
    assert Dossier.objects.get(pk=land.in_step.pk).agency == land.a
