"""Splitting one agency into several successors (`splits` in a reorganisation plan): each open dossier, staff
assignment, counter, procedure implementation and receipt book goes to the successor the plan places it with;
anything the plan cannot place makes the whole plan fail and nothing changes; a dry run changes nothing."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from motcua.catalog.models import ProcedureImplementation
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.dossiers.tests.two_tier import TwoTierProvince
from motcua.org.models import AdminLevel, AdminUnit, Agency, StaffAssignment
from motcua.org.tests.factories import CenterFactory
from motcua.org.tests.test_reorganise import snapshot
from motcua.payments.models import ReceiptBook
from motcua.payments.tests.factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BASIS = "Nghị quyết 9998/NQ-UBTVQH15 (thử nghiệm chia tách)"
EAST, WEST = "000.77.11.H27", "000.77.12.H27"


@pytest.fixture
def land():
    """Commune B of the two-tier province, with three open dossiers (an applicant of Xã Bình Đông, one named in
    the plan, one with no address), a closed one, two receipt books and two counters; new units Xã Bình Đông and
    Xã Bình Tây for its successors; then the clock moves to 10/02/2026."""
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0, tzinfo=HCM), tick=False) as clock:
        land = TwoTierProvince()
        commune = AdminLevel.objects.get(code="commune")
        for code, name in (("T0103", "Xã Bình Đông"), ("T0104", "Xã Bình Tây")):
            AdminUnit.objects.create(
                code=code, name=name, kind=AdminUnit.Kind.COMMUNE, level=commune, parent=land.province
            )

        def received_at_b(address):
            return services.intake(
                procedure=land.procedure,
                applicant=ApplicantFactory(address=address),
                actor=land.staff_b.officer,
            )

        land.east_address = services.advance(
            received_at_b("Thôn Đông, xã Bình Đông, tỉnh Mẫu"), land.staff_b.officer
        )
        land.named = received_at_b("Thôn Giữa, tỉnh Mẫu")
        land.other = received_at_b("")
        land.closed = services.withdraw(received_at_b(""), land.staff_b.officer, "Công dân xin rút")
        land.book_east = ReceiptBookFactory(agency=land.b, series="BD-26E")
        land.book_west = ReceiptBookFactory(agency=land.b, series="BT-26E")
        center = CenterFactory(unit=land.province)
        land.counter1 = center.counters.create(number=1, name="Quầy 1")
        land.counter2 = center.counters.create(number=2, name="Quầy 2")
        for counter in (land.counter1, land.counter2):
            counter.agencies.add(land.b)
        clock.move_to(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=HCM))
        yield land


def split_plan(land, *, default=WEST, **assign):
    rules = {
        "dossiers": {land.named.code: WEST},
        "staff": {land.staff_b.officer.username: EAST},
        "counters": {"1": EAST},
        "receipt_books": {"BD-26E": EAST},
        **assign,
    }
    entry = {
        "from": land.b.identity_code,
        "into": [
            {"code": EAST, "name": "Ủy ban nhân dân xã Bình Đông", "level": "commune", "unit": "T0103"},
            {"code": WEST, "name": "Ủy ban nhân dân xã Bình Tây", "level": "commune", "unit": "T0104"},
        ],
        "assign": {k: v for k, v in rules.items() if v is not None},
    }
    if default:
        entry["default"] = default
    return {"effective": "2026-02-10", "basis": BASIS, "splits": [entry]}


def write(tmp_path, plan):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_split_moves_each_kind_of_object_to_the_successor_the_plan_places_it_with(tmp_path, land, capsys):
    call_command("reorganise", write(tmp_path, split_plan(land)))
    out = capsys.readouterr().out
    east, west = Agency.objects.get(identity_code=EAST), Agency.objects.get(identity_code=WEST)
    assert east.unit.code == "T0103" and east.valid_from == datetime.date(2026, 2, 10)
    # dossiers: by the applicant's address, by the plan's code, by default; codes unchanged, closed ones stay
    expected = {
        land.east_address: (east, "Xã Bình Đông"),
        land.named: (west, "mã hồ sơ"),
        land.other: (west, "mặc định"),
    }
    for dossier, (into, basis) in expected.items():
        moved = Dossier.objects.get(pk=dossier.pk)
        assert moved.code == dossier.code and moved.resolving_agency == into
        event = moved.events.get(action="reorganise")
        assert BASIS in event.note and basis in event.note and event.data["to_agency"] == into.identity_code
        assert f"{dossier.code} → {into.identity_code}" in out
    assert Dossier.objects.get(pk=land.closed.pk).agency == land.b
    # staff: the officer by name to the east, everybody else to the default
    officer = StaffAssignment.objects.get(user=land.staff_b.officer, agency=east)
    assert officer.valid_from == datetime.date(2026, 2, 10)
    assert not StaffAssignment.objects.filter(user=land.staff_b.officer, agency=west).exists()
    assert StaffAssignment.objects.filter(user=land.staff_b.specialist, agency=west).count() == 3
    assert not StaffAssignment.objects.valid_on(datetime.date(2026, 2, 10)).filter(agency=land.b).exists()
    # counters by number, receipt books by series, implementations at both successors
    assert list(land.counter1.agencies.all()) == [east] and list(land.counter2.agencies.all()) == [west]
    assert ReceiptBook.objects.get(pk=land.book_east.pk).agency == east
    assert ReceiptBook.objects.get(pk=land.book_west.pk).agency == west
    implementing = ProcedureImplementation.objects.valid_on(datetime.date(2026, 2, 10)).filter(
        procedure=land.procedure
    )
    assert {east, west} <= {row.agency for row in implementing} and land.b not in {
        r.agency for r in implementing
    }
    land.b.refresh_from_db()
    assert land.b.valid_to == datetime.date(2026, 2, 9) and land.b.successor == west
    assert services.lookup(land.named.code, phone=land.named.applicant.phone).resolving_agency == west


def test_procedures_rule_limits_who_implements_and_places_dossiers_by_procedure(tmp_path, land):
    plan = split_plan(land, default=None, dossiers={}, procedures={land.procedure.code: EAST}, staff=None)
    plan["splits"][0]["assign"]["staff"] = {
        u.username: WEST
        for u in (land.staff_b.officer, land.staff_b.specialist, land.staff_b.leader, land.staff_b.clerk)
    }
    plan["splits"][0]["assign"]["counters"] = {"1": EAST, "2": WEST}
    plan["splits"][0]["assign"]["receipt_books"] = {"BD-26E": EAST, "BT-26E": EAST}
    call_command("reorganise", write(tmp_path, plan))
    east = Agency.objects.get(identity_code=EAST)
    assert set(Dossier.objects.filter(resolving_agency=east).values_list("pk", flat=True)) == {
        land.east_address.pk,
        land.named.pk,
        land.other.pk,
    }
    rows = ProcedureImplementation.objects.valid_on(datetime.date(2026, 2, 10)).filter(
        procedure=land.procedure
    )
    assert EAST in {r.agency.identity_code for r in rows} and WEST not in {
        r.agency.identity_code for r in rows
    }


def test_a_plan_that_cannot_place_an_object_changes_nothing(tmp_path, land):
    before = snapshot()
    with pytest.raises(CommandError) as failed:
        call_command("reorganise", write(tmp_path, split_plan(land, default=None)))
    message = str(failed.value)
    assert "không xếp được" in message and land.other.code in message and "BT-26E" in message
    assert "Quầy 2" in message or "quầy số 2" in message
    assert snapshot() == before
    assert not Agency.objects.filter(identity_code__in=[EAST, WEST]).exists()


def test_a_dry_run_of_a_split_prints_what_would_move_and_the_refusals_and_changes_nothing(
    tmp_path, land, capsys
):
    before = snapshot()
    call_command("reorganise", write(tmp_path, split_plan(land)), "--dry-run")
    out = capsys.readouterr().out
    assert "THỬ" in out and f"{land.named.code} → {WEST}" in out and "hồ sơ đang giải quyết: 1" in out
    assert snapshot() == before
    with pytest.raises(CommandError, match="không xếp được"):
        call_command("reorganise", write(tmp_path, split_plan(land, default=None)), "--dry-run")
    out = capsys.readouterr().out
    assert "KHÔNG XẾP ĐƯỢC" in out and land.other.code in out
    assert snapshot() == before


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda e: e.update(into=e["into"][:1]), "ít nhất hai"),
        (lambda e: e.update(default="000.00.00.X00"), "không có trong “into”"),
        (lambda e: e["assign"].update(counters={"1": "000.00.00.X00"}), "phải chỉ tới"),
        (lambda e: e["assign"].update(colours={}), "không được hỗ trợ"),
        (lambda e: e.update({"from": "000.99.99.X99"}), "Không có cơ quan"),
        (lambda e: e["into"][0].update(code=e["from"]), "chính nó"),
        (lambda e: e["assign"].update(places={"X999": EAST}), "Không có đơn vị hành chính"),
    ],
)
def test_a_bad_split_is_refused_in_vietnamese_and_changes_nothing(tmp_path, land, change, message):
    plan = split_plan(land)
    change(plan["splits"][0])
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("reorganise", write(tmp_path, plan))
    assert snapshot() == before


def test_an_agency_both_merged_and_split_is_refused(tmp_path, land):
    plan = split_plan(land)
    plan["merges"] = [{"into": land.a.identity_code, "from": [land.b.identity_code]}]
    with pytest.raises(CommandError, match="nhiều mục"):
        call_command("reorganise", write(tmp_path, plan))
