"""Fee lines of a dossier from the catalog's rules; adjustments need a reason; collection resumes a paused dossier."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.audit.models import AuditEntry
from motcua.catalog.models import Fee
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.payments.fees import adjust_fee_line, collect_at_counter, compute_fee_lines, outstanding
from motcua.payments.models import FeeLine, Receipt

from .factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    procedure = ProcedureWithProcessFactory()
    FeeFactory(
        procedure=procedure,
        position=1,
        kind=Fee.Kind.ADMIN_CHARGE,
        description="Lệ phí cấp giấy",
        amount=50_000,
        online_amount=25_000,
    )
    FeeFactory(
        procedure=procedure,
        position=2,
        kind=Fee.Kind.SERVICE_FEE,
        description="Phí sao y",
        amount=2_000,
        basis=Fee.Basis.PER_PAGE,
        max_amount=15_000,
    )
    FeeFactory(
        procedure=procedure,
        position=3,
        kind=Fee.Kind.ADMIN_CHARGE,
        description="Lệ phí đăng ký đúng hạn",
        amount=0,
    )
    return procedure


@pytest.fixture
def staff(procedure):
    ReceiptBookFactory(agency=procedure.resolving_agency)
    return StaffSet(procedure)


def intake(procedure, staff, channel="counter"):
    return services.intake(
        procedure=procedure,
        applicant=ApplicantFactory(name="Vũ Thị Lan"),
        actor=staff.officer,
        channel=channel,
    )


def amounts(lines):
    return [(line.description, line.quantity, line.amount, line.status) for line in lines]


def test_lines_follow_the_rules_fixed_per_page_with_a_cap_and_free(procedure, staff):
    fees = list(procedure.fees.all())
    dossier = intake(procedure, staff)
    lines = compute_fee_lines(dossier, by=staff.officer, quantities={fees[1].pk: 10})
    assert amounts(lines) == [
        ("Lệ phí cấp giấy", 1, 50_000, "due"),
        ("Phí sao y", 10, 15_000, "due"),  # 10 pages × 2.000 đ capped at 15.000 đ
        ("Lệ phí đăng ký đúng hạn", 1, 0, "exempt"),  # free by the rule
    ]
    assert outstanding(dossier) == 65_000


def test_an_online_dossier_gets_the_online_reduction(procedure, staff):
    dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
    dossier = services.receive(dossier, staff.officer)
    line = compute_fee_lines(dossier, by=staff.officer)[0]
    assert (line.unit_amount, line.amount, line.online_reduction) == (25_000, 25_000, True)


def test_an_exempt_payer_pays_nothing_on_that_line_and_the_reason_is_kept(procedure, staff):
    first = procedure.fees.first()
    dossier = intake(procedure, staff)
    line = compute_fee_lines(dossier, by=staff.officer, exempt={first.pk: "Người có công với cách mạng"})[0]
    assert (line.amount, line.rule_amount, line.status) == (0, 50_000, "exempt")
    assert line.exemption_reason == "Người có công với cách mạng"


def test_a_rule_priced_by_the_provincial_council_must_be_priced_before_collection(procedure, staff):
    FeeFactory(procedure=procedure, position=4, description="Lệ phí theo nghị quyết HĐND", amount=None)
    dossier = intake(procedure, staff)
    lines = compute_fee_lines(dossier, by=staff.officer)
    with pytest.raises(ValidationError, match="chưa có mức thu"):
        collect_at_counter(dossier, by=staff.officer, method="cash")
    adjust_fee_line(lines[3], by=staff.officer, amount=30_000, reason="Nghị quyết 12/2024 của HĐND tỉnh")
    assert collect_at_counter(dossier, by=staff.officer, method="cash").total == 50_000 + 2_000 + 30_000


def test_an_adjustment_needs_a_reason_and_the_audit_trail_keeps_it(procedure, staff):
    dossier = intake(procedure, staff)
    line = compute_fee_lines(dossier, by=staff.officer)[0]
    with pytest.raises(ValidationError):
        adjust_fee_line(line, by=staff.officer, amount=40_000, reason=" ")
    with pytest.raises(ValidationError):
        adjust_fee_line(line, by=staff.officer, amount=-1, reason="x")
    line.refresh_from_db()
    assert line.amount == 50_000
    adjust_fee_line(line, by=staff.officer, amount=40_000, reason="Giảm 20% theo chính sách hỗ trợ")
    entry = AuditEntry.objects.filter(object_id=str(line.pk), action="update").latest("pk")
    assert entry.reason == "Giảm 20% theo chính sách hỗ trợ"
    assert entry.actor == staff.officer
    assert entry.before["amount"] == 50_000 and entry.after["amount"] == 40_000


def test_only_a_cashier_of_the_receiving_agency_computes_adjusts_and_collects(procedure, staff):
    dossier = intake(procedure, staff)
    with pytest.raises(PermissionDenied):
        compute_fee_lines(dossier, by=staff.specialist)
    line = compute_fee_lines(dossier, by=staff.officer)[0]
    with pytest.raises(PermissionDenied):
        adjust_fee_line(line, by=staff.specialist, amount=1, reason="x")
    with pytest.raises(PermissionDenied):
        collect_at_counter(dossier, by=staff.specialist, method="cash")
    assert not Receipt.objects.exists()


def test_lines_are_computed_once(procedure, staff):
    dossier = intake(procedure, staff)
    compute_fee_lines(dossier, by=staff.officer)
    with pytest.raises(ValidationError):
        compute_fee_lines(dossier, by=staff.officer)
    assert FeeLine.objects.filter(dossier=dossier).count() == 3


def test_collecting_at_the_counter_issues_one_receipt_and_marks_the_lines_paid(procedure, staff):
    dossier = intake(procedure, staff)
    compute_fee_lines(dossier, by=staff.officer)
    receipt = collect_at_counter(dossier, by=staff.officer, method="cash")
    assert (receipt.total, receipt.payer_name, receipt.dossier, receipt.collector) == (
        52_000,
        "Vũ Thị Lan",
        dossier,
        staff.officer,
    )
    assert (receipt.service_fee_total, receipt.admin_charge_total) == (2_000, 50_000)
    assert set(dossier.fee_lines.values_list("status", flat=True)) == {"paid", "exempt"}
    with pytest.raises(ValidationError, match="không còn khoản"):
        collect_at_counter(dossier, by=staff.officer, method="cash")


def test_paying_at_the_counter_resumes_a_dossier_waiting_for_its_financial_obligation(procedure, staff):
    dossier = intake(procedure, staff)
    dossier = services.advance(dossier, staff.officer)  # to the specialist's appraisal
    dossier = services.request_financial_obligation(dossier, staff.specialist, note="Nộp lệ phí")
    assert dossier.state == State.PAUSED_FINANCIAL
    compute_fee_lines(dossier, by=staff.officer)
    receipt = collect_at_counter(dossier, by=staff.officer, method="card", terminal_reference="POS-1")
    dossier.refresh_from_db()
    assert dossier.state != State.PAUSED_FINANCIAL
    event = dossier.events.latest("pk")
    assert event.action == "fulfil_financial_obligation" and receipt.book.series in event.note


def test_the_centers_counter_collects_into_the_resolving_agencys_book(procedure):
    from motcua.org.tests.factories import CenterFactory

    from .factories import cashier

    center = CenterFactory()
    center.agencies.add(procedure.resolving_agency)
    own_book = ReceiptBookFactory(agency=procedure.resolving_agency, series="TP-26E")
    ReceiptBookFactory(agency=center.agency, series="TTHCC-26E")
    officer = cashier(center.agency)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(), actor=officer, agency=center.agency
    )
    assert dossier.agency == center.agency
    compute_fee_lines(dossier, by=officer)
    receipt = collect_at_counter(dossier, by=officer, method="cash")
    assert receipt.book == own_book and receipt.collector == officer
