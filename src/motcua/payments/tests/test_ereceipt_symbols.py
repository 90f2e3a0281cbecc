"""E-receipt books: the template symbol, the series (with the year of the receipts) and the number range follow
the e-receipt rules, in the service and in the admin; a refused book leaves nothing behind."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.org.tests.factories import AgencyFactory
from motcua.payments.models import ReceiptBook
from motcua.payments.receipts import open_book
from motcua.payments.symbols import parse

from .factories import ReceiptBookFactory, leader

pytestmark = pytest.mark.django_db


def yy(offset: int = 0) -> str:
    return f"{(timezone.localdate().year + offset) % 100:02d}"


@pytest.mark.parametrize(
    "template, series",
    [
        ("01BLP0-001", "KT-{yy}E"),  # Circular 78/2021: no face value, electronic
        ("02BLP0-002", "BL-{yy}E"),  # with a face value
        ("01BLP2-001", "HC-{yy}T"),  # self-printed, two copies
        ("EBL01", "{yy}E"),  # Circular 32/2025
    ],
)
def test_real_looking_symbols_open_a_book(template, series):
    agency = AgencyFactory()
    book = open_book(agency, template_no=template, series=series.format(yy=yy()), by=leader(agency))
    assert ReceiptBook.objects.get() == book


def test_a_book_for_next_year_may_be_prepared():
    agency = AgencyFactory()
    open_book(agency, template_no="01BLP0-001", series=f"KT-{yy(1)}E", by=leader(agency))
    assert ReceiptBook.objects.count() == 1


@pytest.mark.parametrize(
    "template, series, field, words",
    [
        ("01BLP0-01", "KT-{yy}E", "template_no", "Ký hiệu mẫu biên lai không đúng quy định"),
        ("03BLP0-001", "KT-{yy}E", "template_no", "Ký hiệu mẫu biên lai không đúng quy định"),
        ("01BLP0/001", "KT-{yy}E", "template_no", "Ký hiệu mẫu biên lai không đúng quy định"),
        ("01BLP0-000", "KT-{yy}E", "template_no", "bắt đầu từ 001"),
        ("01BLP2-001", "KT-{yy}E", "template_no", "không có liên"),
        ("01BLP0-001", "KT{yy}E", "series", "Ký hiệu biên lai không đúng quy định"),
        ("01BLP0-001", "KF-{yy}E", "series", "20 chữ cái"),  # F is not one of the 20 letters
        ("01BLP0-001", "KT-{yy}P", "series", "chữ E"),  # printed to order: not issued by this system
        ("01BLP0-001", "01AB-{yy}E", "series", "Ký hiệu biên lai không đúng quy định"),  # tax-department form
        ("01BLP0-001", "kt-{yy}e", "series", "chữ cái in hoa"),
        ("EBL01", "KT-{yy}E", "series", "gồm ba ký tự"),  # schemes mixed
        ("01BLP0-001", "KT-{old}E", "series", "năm lập biên lai"),
    ],
)
def test_bad_symbols_are_refused_with_the_rule_and_nothing_is_opened(template, series, field, words):
    agency = AgencyFactory()
    with pytest.raises(ValidationError) as refused:
        open_book(agency, template_no=template, series=series.format(yy=yy(), old=yy(-1)), by=leader(agency))
    assert any(words in message for message in refused.value.message_dict[field])
    assert not ReceiptBook.objects.exists()


@pytest.mark.parametrize(
    "first, capacity, field",
    [(10_000_000, None, "first_number"), (9_999_990, 20, "capacity")],
)
def test_a_number_range_beyond_seven_digits_is_refused(first, capacity, field):
    agency = AgencyFactory()
    with pytest.raises(ValidationError) as refused:
        open_book(
            agency,
            template_no="01BLP0-001",
            series=f"KT-{yy()}E",
            by=leader(agency),
            first_number=first,
            capacity=capacity,
        )
    assert "7 chữ số" in " ".join(refused.value.message_dict[field])
    assert not ReceiptBook.objects.exists()


def test_a_range_ending_at_9999999_is_accepted():
    agency = AgencyFactory()
    book = open_book(
        agency,
        template_no="01BLP0-001",
        series=f"KT-{yy()}E",
        by=leader(agency),
        first_number=9_999_990,
        capacity=10,
    )
    assert book.last_allowed_number == 9_999_999


def test_only_the_schemes_a_deployment_chose_are_accepted(settings):
    settings.MOTCUA_RECEIPT_SYMBOL_SCHEMES = ["tt78"]
    with pytest.raises(ValidationError) as refused:
        parse("EBL01", f"{yy()}E")
    assert "01BLP0-001" in refused.value.message_dict["template_no"][0]
    assert "EBL01" not in refused.value.message_dict["template_no"][0]


def test_an_existing_book_keeps_its_symbols_when_renamed():
    book = ReceiptBookFactory(series="GB-20E")  # opened years ago
    book.name = "Quyển cũ"
    book.full_clean()
    book.save()
    assert ReceiptBook.objects.get().name == "Quyển cũ"


def admin_user():
    return UserFactory(is_staff=True, is_superuser=True)


def test_the_admin_refuses_a_bad_series_with_the_rule(client):
    agency = AgencyFactory()
    client.force_login(admin_user())
    url = reverse("admin:payments_receiptbook_add")
    data = {"agency": agency.pk, "template_no": "01BLP0-001", "first_number": 1, "status": "open"}
    refused = client.post(url, data | {"series": "ABC-2026"})
    assert refused.status_code == 200
    assert "Ký hiệu biên lai không đúng quy định" in refused.content.decode()
    assert not ReceiptBook.objects.exists()
    accepted = client.post(url, data | {"series": f"KT-{yy()}E"})
    assert accepted.status_code == 302
    assert ReceiptBook.objects.get().series == f"KT-{yy()}E"
