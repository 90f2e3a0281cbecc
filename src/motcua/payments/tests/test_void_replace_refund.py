"""Voids, replacements and refunds: reasons are required, nothing is deleted, a leader approves refunds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.payments.models import PaymentMethod, Receipt, Refund
from motcua.payments.receipts import (
    decide_refund,
    issue_receipt,
    replace_receipt,
    request_refund,
    void_receipt,
)

from .factories import ReceiptBookFactory, cashier, items, leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    return ReceiptBookFactory()


@pytest.fixture
def collector(book):
    return cashier(book.agency)


@pytest.fixture
def receipt(book, collector):
    return issue_receipt(
        book, items=items(100_000), payer_name="Nguyễn Văn An", method=PaymentMethod.CASH, collector=collector
    )


def test_a_voided_receipt_keeps_its_number_and_its_reason(receipt, collector):
    void_receipt(receipt, by=collector, reason="Thu nhầm người nộp")
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.VOIDED
    assert (receipt.void_reason, receipt.voided_by) == ("Thu nhầm người nộp", collector)
    assert Receipt.objects.filter(number=receipt.number).exists()


def test_a_void_needs_a_reason_and_happens_once(receipt, collector):
    with pytest.raises(ValidationError):
        void_receipt(receipt, by=collector, reason="  ")
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.ISSUED
    void_receipt(receipt, by=collector, reason="Sai số tiền")
    with pytest.raises(ValidationError, match="đã bị hủy"):
        void_receipt(receipt, by=collector, reason="Lần nữa")
    receipt.refresh_from_db()
    assert receipt.void_reason == "Sai số tiền"


def test_a_replacement_voids_the_original_and_takes_the_next_number(receipt, collector):
    replacement = replace_receipt(
        receipt, by=collector, reason="Sai tên người nộp", payer_name="Nguyễn Văn Anh"
    )
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.VOIDED
    assert (replacement.number, replacement.replaces, replacement.payer_name) == (
        2,
        receipt,
        "Nguyễn Văn Anh",
    )
    assert replacement.total == receipt.total == 100_000


def test_a_replacement_with_bad_items_leaves_the_original_untouched(receipt, collector):
    with pytest.raises(ValidationError):
        replace_receipt(receipt, by=collector, reason="Sai tiền", items=[])
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.ISSUED and Receipt.objects.count() == 1


def test_a_refund_is_paid_only_after_a_leader_approves_it(book, receipt, collector):
    refund = request_refund(receipt, by=collector, amount=40_000, reason="Thu thừa lệ phí")
    assert refund.status == Refund.Status.REQUESTED
    assert receipt.refunded_total == 0
    boss = leader(book.agency)
    decide_refund(refund, by=boss, approve=True, note="Đồng ý")
    refund.refresh_from_db()
    assert (refund.status, refund.decided_by) == (Refund.Status.APPROVED, boss)
    assert Receipt.objects.get(pk=receipt.pk).refunded_total == 40_000


def test_a_cashier_cannot_approve_a_refund_and_a_leader_cannot_approve_their_own(book, receipt, collector):
    refund = request_refund(receipt, by=collector, amount=10_000, reason="Thu thừa")
    with pytest.raises(PermissionDenied):
        decide_refund(refund, by=cashier(book.agency), approve=True)
    boss = leader(book.agency)
    own = request_refund(receipt, by=boss, amount=10_000, reason="Thu thừa")
    with pytest.raises(PermissionDenied):
        decide_refund(own, by=boss, approve=True)
    assert set(Refund.objects.values_list("status", flat=True)) == {Refund.Status.REQUESTED}


def test_refunds_cannot_exceed_the_receipt_and_need_a_reason(book, receipt, collector):
    request_refund(receipt, by=collector, amount=70_000, reason="Thu thừa")
    with pytest.raises(ValidationError, match="30.000 đ"):
        request_refund(receipt, by=collector, amount=30_001, reason="Thu thừa")
    with pytest.raises(ValidationError):
        request_refund(receipt, by=collector, amount=1_000, reason="")
    with pytest.raises(ValidationError):
        request_refund(receipt, by=collector, amount=0, reason="x")
    assert Refund.objects.count() == 1


def test_a_rejected_refund_needs_a_note_and_frees_the_amount(book, receipt, collector):
    refund = request_refund(receipt, by=collector, amount=100_000, reason="Khách đề nghị")
    boss = leader(book.agency)
    with pytest.raises(ValidationError):
        decide_refund(refund, by=boss, approve=False)
    decide_refund(refund, by=boss, approve=False, note="Hồ sơ đã được giải quyết")
    assert request_refund(receipt, by=collector, amount=100_000, reason="Lần hai").status == "requested"


def test_a_refunded_receipt_cannot_be_voided_and_a_voided_one_cannot_be_refunded(book, receipt, collector):
    request_refund(receipt, by=collector, amount=10_000, reason="Thu thừa")
    with pytest.raises(ValidationError):
        void_receipt(receipt, by=collector, reason="Hủy")
    other = issue_receipt(book, items=items(5_000), payer_name="B", method="cash", collector=collector)
    void_receipt(other, by=collector, reason="Hủy")
    with pytest.raises(ValidationError):
        request_refund(other, by=collector, amount=1_000, reason="x")
