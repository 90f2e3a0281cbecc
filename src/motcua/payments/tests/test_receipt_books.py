"""Receipt books: opened and closed by a leader; numbers run per book with no gap and are never reused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from motcua.org.tests.factories import AgencyFactory
from motcua.payments.models import AppendOnlyError, PaymentMethod, Receipt, ReceiptBook
from motcua.payments.receipts import close_book, issue_receipt, open_book, open_book_for

from .factories import ReceiptBookFactory, cashier, items, leader

pytestmark = pytest.mark.django_db

SERIES = f"GB-{timezone.localdate().year % 100:02d}E"  # the year the receipts are made


def test_a_leader_opens_a_book_whose_first_receipt_has_the_first_number():
    agency = AgencyFactory()
    book = open_book(agency, template_no="01BLP0-001", series=SERIES, by=leader(agency), first_number=51)
    receipt = issue_receipt(
        book,
        items=items(50_000),
        payer_name="Trần Thị Bình",
        method=PaymentMethod.CASH,
        collector=cashier(agency),
    )
    assert (book.status, receipt.number) == (ReceiptBook.Status.OPEN, 51)


def test_a_cashier_may_not_open_a_book():
    agency = AgencyFactory()
    with pytest.raises(PermissionDenied):
        open_book(agency, template_no="01BLP0-001", series=SERIES, by=cashier(agency))
    assert not ReceiptBook.objects.exists()


def test_the_same_series_cannot_be_opened_twice_for_one_agency():
    agency = AgencyFactory()
    boss = leader(agency)
    open_book(agency, template_no="01BLP0-001", series=SERIES, by=boss)
    with pytest.raises(ValidationError):
        open_book(agency, template_no="01BLP0-001", series=SERIES, by=boss)
    # another agency may use the same symbols
    other = AgencyFactory()
    open_book(other, template_no="01BLP0-001", series=SERIES, by=leader(other))
    assert ReceiptBook.objects.count() == 2


@pytest.mark.parametrize("series", ["", "GB 25E", "GB-25É"])
def test_a_series_with_blank_spaces_or_diacritics_is_refused(series):
    agency = AgencyFactory()
    with pytest.raises(ValidationError):
        open_book(agency, template_no="01BLP0-001", series=series, by=leader(agency))
    assert not ReceiptBook.objects.exists()


def test_a_closed_book_issues_no_more_receipts():
    book = ReceiptBookFactory()
    close_book(book, by=leader(book.agency), note="Hết năm tài chính")
    with pytest.raises(ValidationError, match="khóa sổ"):
        issue_receipt(
            book,
            items=items(10_000),
            payer_name="A",
            method=PaymentMethod.CASH,
            collector=cashier(book.agency),
        )
    book.refresh_from_db()
    assert (book.status, book.last_number, Receipt.objects.count()) == (ReceiptBook.Status.CLOSED, 0, 0)


def test_a_book_that_ran_out_of_numbers_refuses_and_the_next_open_book_is_used():
    agency = AgencyFactory()
    full = ReceiptBookFactory(agency=agency, capacity=2)
    person = cashier(agency)
    for _ in range(2):
        issue_receipt(full, items=items(10_000), payer_name="A", method=PaymentMethod.CASH, collector=person)
    with pytest.raises(ValidationError, match="hết số"):
        issue_receipt(full, items=items(10_000), payer_name="A", method=PaymentMethod.CASH, collector=person)
    assert open_book_for(agency) is None
    spare = ReceiptBookFactory(agency=agency)
    assert open_book_for(agency) == spare


def test_books_and_receipts_are_never_deleted():
    book = ReceiptBookFactory()
    receipt = issue_receipt(
        book, items=items(10_000), payer_name="A", method=PaymentMethod.CASH, collector=cashier(book.agency)
    )
    with pytest.raises(AppendOnlyError):
        receipt.delete()
    with pytest.raises(AppendOnlyError):
        Receipt.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        book.delete()
    assert Receipt.objects.count() == 1
