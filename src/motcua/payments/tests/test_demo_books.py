import pytest
from django.utils import timezone

from motcua.org.tests.factories import AgencyFactory
from motcua.payments import demo
from motcua.payments.models import ReceiptBook

pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_book_per_agency_and_can_run_twice():
    AgencyFactory(short_name="TP")
    AgencyFactory(short_name="UBND-XA")
    demo.load()
    demo.load()
    yy = f"{timezone.localdate().year % 100:02d}"
    # the series follow the e-receipt rules: two of the 20 letters, the year, E
    assert sorted(ReceiptBook.objects.values_list("series", "status")) == [
        (f"TP-{yy}E", "open"),
        (f"UB-{yy}E", "open"),
    ]


def test_agencies_sharing_a_short_name_get_books_with_different_symbols():
    first, second = AgencyFactory(short_name="UBND-XA"), AgencyFactory(short_name="UBND-XA")
    demo.load()
    yy = f"{timezone.localdate().year % 100:02d}"
    series = {book.agency_id: book.series for book in ReceiptBook.objects.all()}
    assert series[first.pk] == f"UB-{yy}E"
    assert series[second.pk] != series[first.pk] and series[second.pk].endswith(f"-{yy}E")
