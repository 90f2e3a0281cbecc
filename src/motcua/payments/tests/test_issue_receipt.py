"""Issuing an e-receipt at the counter: items split into phí and lệ phí, payer, collector, method, time."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.org.tests.factories import AgencyFactory
from motcua.payments.models import FeeKind, PaymentMethod, Receipt
from motcua.payments.receipts import Item, issue_receipt

from .factories import ReceiptBookFactory, cashier, items

pytestmark = pytest.mark.django_db


def test_a_receipt_splits_fees_from_charges_and_states_the_total_in_words():
    book = ReceiptBookFactory()
    collector = cashier(book.agency, full_name="Lê Thị Thu")
    receipt = issue_receipt(
        book,
        items=[
            Item(FeeKind.SERVICE_FEE, "Phí thẩm định", 30_000),
            Item(FeeKind.ADMIN_CHARGE, "Lệ phí cấp bản sao", 8_000, quantity=5),
            Item(FeeKind.ADMIN_CHARGE, "Lệ phí đăng ký", 32_000),
        ],
        payer_name="  Nguyễn Văn An ",
        payer_id_number="001090012345",
        method=PaymentMethod.CASH,
        collector=collector,
        dossier_code="000.01.99.H06-251128-0001",
    )
    assert receipt.number == 1
    assert receipt.payer_name == "Nguyễn Văn An"
    assert (receipt.service_fee_total, receipt.admin_charge_total, receipt.total) == (30_000, 72_000, 102_000)
    assert receipt.total_in_words == "Một trăm linh hai nghìn đồng chẵn"
    assert receipt.total_display == "102.000 đ"
    assert [i.amount for i in receipt.items.all()] == [30_000, 40_000, 32_000]
    assert receipt.collector == collector and receipt.issued_at is not None


def test_numbers_follow_each_other_within_a_book_and_restart_in_another_book():
    agency = AgencyFactory()
    first, second = ReceiptBookFactory(agency=agency), ReceiptBookFactory(agency=agency)
    person = cashier(agency)
    numbers = [
        issue_receipt(
            book, items=items(5_000), payer_name="A", method=PaymentMethod.CASH, collector=person
        ).number
        for book in (first, first, second, first)
    ]
    assert numbers == [1, 2, 1, 3]
    first.refresh_from_db()
    assert first.last_number == 3


def test_a_card_payment_needs_the_terminal_reference():
    book = ReceiptBookFactory()
    person = cashier(book.agency)
    with pytest.raises(ValidationError) as error:
        issue_receipt(book, items=items(5_000), payer_name="A", method=PaymentMethod.CARD, collector=person)
    assert "terminal_reference" in error.value.message_dict
    receipt = issue_receipt(
        book,
        items=items(5_000),
        payer_name="A",
        method=PaymentMethod.CARD,
        collector=person,
        terminal_reference="POS-000123",
    )
    assert receipt.number == 1 and receipt.terminal_reference == "POS-000123"


@pytest.mark.parametrize(
    ("bad_items", "payer", "method"),
    [
        ([], "A", PaymentMethod.CASH),
        ([{"kind": "tip", "description": "x", "unit_amount": 1_000}], "A", PaymentMethod.CASH),
        ([{"kind": "admin_charge", "description": " ", "unit_amount": 1_000}], "A", PaymentMethod.CASH),
        ([{"kind": "admin_charge", "description": "x", "unit_amount": 0}], "A", PaymentMethod.CASH),
        ([{"kind": "admin_charge", "description": "x", "unit_amount": -5}], "A", PaymentMethod.CASH),
        ([{"kind": "admin_charge", "description": "x", "unit_amount": 1.5}], "A", PaymentMethod.CASH),
        ([{"kind": "admin_charge", "description": "x", "unit_amount": 1_000, "quantity": 0}], "A", "cash"),
        (items(1_000), "   ", PaymentMethod.CASH),
        (items(1_000), "A", "cheque"),
        (items(1_000), "A", PaymentMethod.ONLINE),  # online receipts come from a confirmed payment only
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_takes_no_number(bad_items, payer, method):
    book = ReceiptBookFactory()
    with pytest.raises(ValidationError) as error:
        issue_receipt(book, items=bad_items, payer_name=payer, method=method, collector=cashier(book.agency))
    assert any(ord(ch) > 127 for ch in str(error.value))  # a Vietnamese sentence
    book.refresh_from_db()
    assert book.last_number == 0 and not Receipt.objects.exists()


def test_only_a_cashier_of_the_agency_collects_for_it():
    book = ReceiptBookFactory()
    outsider = cashier(AgencyFactory())
    with pytest.raises(PermissionDenied):
        issue_receipt(book, items=items(5_000), payer_name="A", method=PaymentMethod.CASH, collector=outsider)
    book.refresh_from_db()
    assert book.last_number == 0
