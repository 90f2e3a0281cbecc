import pytest

from motcua.org.tests.factories import AgencyFactory
from motcua.payments import demo
from motcua.payments.models import ReceiptBook

pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_book_per_agency_and_can_run_twice():
    AgencyFactory(short_name="TP")
    AgencyFactory(short_name="UBND-XA")
    demo.load()
    demo.load()
    assert sorted(ReceiptBook.objects.values_list("series", "status")) == [
        ("TP-26E", "open"),
        ("UBND-XA-26E", "open"),
    ]
