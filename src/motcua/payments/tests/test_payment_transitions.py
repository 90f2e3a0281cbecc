"""Money changes state through one transition table (`payments.workflow`): every change of a fee line, online
payment, receipt or refund appends a history row and an audit row; a transition the table does not allow is
refused with a Vietnamese message and changes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from motcua.audit.models import AuditEntry
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.payments import workflow
from motcua.payments.fees import adjust_fee_line, collect_at_counter, compute_fee_lines
from motcua.payments.models import FeeLine, Payment, PaymentEvent, PaymentMethod, Receipt, Refund
from motcua.payments.online import cancel_payment
from motcua.payments.receipts import decide_refund, issue_receipt, request_refund, void_receipt

from .factories import PaymentFactory, ReceiptBookFactory, cashier, items, leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    procedure = ProcedureWithProcessFactory()
    FeeFactory(procedure=procedure, position=1, description="Lệ phí cấp giấy", amount=50_000)
    ReceiptBookFactory(agency=procedure.resolving_agency)
    staff = StaffSet(procedure)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Vũ Thị Lan"), actor=staff.officer
    )
    dossier.staff = staff
    return dossier


@pytest.fixture
def receipt():
    book = ReceiptBookFactory()
    return issue_receipt(
        book,
        items=items(100_000),
        payer_name="Nguyễn Văn An",
        method=PaymentMethod.CASH,
        collector=cashier(book.agency),
    )


def history(obj):
    return [(e.action, e.from_status, e.to_status) for e in workflow.history(obj)]


def audited_updates(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk), action="update"
    )


def test_collecting_a_fee_line_appends_its_history_and_an_audit_row(dossier):
    officer = dossier.staff.officer
    [line] = compute_fee_lines(dossier, by=officer)
    adjust_fee_line(line, by=officer, amount=40_000, reason="Giảm theo quyết định của UBND tỉnh")
    receipt = collect_at_counter(dossier, by=officer, method="cash")
    line.refresh_from_db()
    assert history(line) == [("compute", "", "due"), ("adjust", "due", "due"), ("collect", "due", "paid")]
    [collected] = workflow.history(line).filter(action="collect")
    assert (collected.actor, collected.dossier, collected.note) == (officer, dossier, receipt.number_display)
    assert any(row.after.get("status") == "paid" for row in audited_updates(line))


def test_an_online_payment_s_changes_are_in_its_history_and_the_audit_trail():
    payment = PaymentFactory(status=Payment.Status.INITIATED)
    workflow.transition(payment, "open", redirect_url="https://thanhtoan.example.vn/p/1")
    cancel_payment(payment, reason="Người nộp chuyển sang nộp tại quầy")
    workflow.transition(
        payment, "confirm", transaction_id="GD123", failure_reason=""
    )  # a late success counts
    payment.refresh_from_db()
    assert payment.status == "succeeded" and payment.transaction_id == "GD123"
    assert history(payment) == [
        ("open", "initiated", "pending"),
        ("cancel", "pending", "cancelled"),
        ("confirm", "cancelled", "succeeded"),
    ]
    assert [row.after["status"] for row in audited_updates(payment).order_by("id")] == [
        "pending",
        "cancelled",
        "succeeded",
    ]


def test_voids_and_refund_decisions_are_in_the_history(receipt):
    agency = receipt.book.agency
    refund = request_refund(receipt, by=cashier(agency), amount=20_000, reason="Thu thừa")
    decide_refund(refund, by=leader(agency), approve=False, note="Không có căn cứ")
    assert history(refund) == [("reject", "requested", "rejected")]
    void_receipt(receipt, by=cashier(agency, username="thu2"), reason="Thu nhầm người nộp")
    assert history(receipt) == [("void", "issued", "voided")]


def test_computed_fee_lines_start_their_history_with_the_computation(dossier):
    officer = dossier.staff.officer
    FeeFactory(procedure=dossier.procedure, position=2, description="Phí miễn", amount=0)
    lines = compute_fee_lines(dossier, by=officer, exempt={})
    assert [history(line) for line in lines] == [[("compute", "", "due")], [("compute", "", "exempt")]]
    [computed] = workflow.history(lines[0])
    assert (computed.actor, computed.dossier) == (officer, dossier)


def test_opening_and_closing_a_receipt_book_go_through_the_table(dossier):
    from motcua.payments.receipts import close_book, open_book

    agency = dossier.procedure.resolving_agency
    boss = leader(agency)
    book = open_book(agency, template_no="01BLP0-001", series="AB-26E", by=boss)
    close_book(book, by=boss, note="Hết năm tài chính")
    book.refresh_from_db()
    assert book.status == "closed" and book.closed_by == boss
    assert history(book) == [("open", "", "open"), ("close", "open", "closed")]
    assert [e.actor for e in workflow.history(book)] == [boss, boss]
    assert workflow.history(book).last().note == "Hết năm tài chính"
    with pytest.raises(ValidationError, match="khóa sổ"):
        close_book(book, by=boss)
    assert len(history(book)) == 2
    assert any(row.after.get("status") == "closed" for row in audited_updates(book))
    refused(book, "close")


def test_a_row_cannot_be_made_in_a_status_its_creation_does_not_give():
    from motcua.payments.models import ReceiptBook

    events = PaymentEvent.objects.count()
    with pytest.raises(ValueError):
        workflow.create(ReceiptBook(status=ReceiptBook.Status.CLOSED), "open")
    assert PaymentEvent.objects.count() == events and not ReceiptBook.objects.exists()


def refused(obj, action, **kwargs):
    """The transition is refused with a Vietnamese message, and neither the row nor its history changes."""
    model = type(obj)
    before = model.objects.values().get(pk=obj.pk)
    events = PaymentEvent.objects.count()
    with pytest.raises(ValidationError) as failure:
        workflow.transition(obj, action, **kwargs)
    assert "Không thể" in failure.value.messages[0] and "trạng thái" in failure.value.messages[0]
    assert model.objects.values().get(pk=obj.pk) == before
    assert PaymentEvent.objects.count() == events


def test_a_paid_fee_line_cannot_be_collected_again_or_adjusted(dossier):
    officer = dossier.staff.officer
    [line] = compute_fee_lines(dossier, by=officer)
    collect_at_counter(dossier, by=officer, method="cash")
    line.refresh_from_db()
    refused(line, "collect")
    refused(line, "paid_online")
    refused(line, "adjust", to=FeeLine.Status.DUE, amount=1)


def test_a_succeeded_payment_cannot_be_cancelled_failed_expired_or_confirmed_twice():
    payment = PaymentFactory(status=Payment.Status.SUCCEEDED, transaction_id="GD1")
    refused(payment, "cancel", failure_reason="x")
    refused(payment, "fail", to=Payment.Status.FAILED)
    refused(payment, "expire")
    refused(payment, "confirm", transaction_id="GD2")
    refused(payment, "open")


def test_a_voided_receipt_and_a_decided_refund_stay_as_they_are(receipt):
    agency = receipt.book.agency
    refund = request_refund(receipt, by=cashier(agency), amount=20_000, reason="Thu thừa")
    decide_refund(refund, by=leader(agency), approve=True)
    refund.refresh_from_db()
    refused(refund, "reject")
    refused(refund, "approve")
    other = issue_receipt(
        receipt.book,
        items=items(5_000),
        payer_name="Trần Văn Bình",
        method=PaymentMethod.CASH,
        collector=receipt.collector,
    )
    void_receipt(other, by=cashier(agency, username="thu3"), reason="Sai số tiền")
    other.refresh_from_db()
    refused(other, "void")
    assert Refund.objects.get(pk=refund.pk).status == "approved"
    assert Receipt.objects.get(pk=other.pk).status == "voided"


def test_an_action_cannot_lead_to_a_status_outside_its_targets():
    payment = PaymentFactory(status=Payment.Status.PENDING)
    with pytest.raises(ValueError):
        workflow.transition(payment, "cancel", to=Payment.Status.SUCCEEDED)
    with pytest.raises(ValueError):
        workflow.transition(payment, "pay_twice")
    assert Payment.objects.get(pk=payment.pk).status == "pending" and not workflow.history(payment).exists()


def test_the_table_covers_every_status_of_money():
    for model, kind in workflow.KIND_OF.items():
        reached = {status for step in workflow.TRANSITIONS[kind].values() for status in step.targets}
        left = {status for step in workflow.TRANSITIONS[kind].values() for status in step.sources}
        assert {choice for choice, _label in model.Status.choices} <= reached | left, model
