"""The printed e-receipt (A4, A5, 80 mm): read back with pypdf, amount in words, QR link to the check page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.payments.models import FeeKind, PaymentMethod
from motcua.payments.printing import receipt_pdf, verification_url
from motcua.payments.receipts import Item, issue_receipt, replace_receipt

from .factories import ReceiptBookFactory, cashier

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> tuple[str, list]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader.pages


@pytest.fixture
def receipt():
    book = ReceiptBookFactory(template_no="01BLP0-001", series="GB-25E", agency__name="Phòng Tư pháp")
    return issue_receipt(
        book,
        items=[
            Item(FeeKind.SERVICE_FEE, "Phí thẩm định hồ sơ", 20_000),
            Item(FeeKind.ADMIN_CHARGE, "Lệ phí cấp bản sao trích lục", 8_000, quantity=10),
        ],
        payer_name="Nguyễn Thị Hường",
        payer_id_number="027190001234",
        method=PaymentMethod.CARD,
        terminal_reference="POS-778899",
        collector=cashier(book.agency, full_name="Lê Văn Thuận"),
        dossier_code="000.01.99.H06-251128-0007",
    )


@pytest.mark.parametrize("paper", ["a4", "a5", "80mm"])
def test_every_paper_prints_the_facts_of_the_receipt(receipt, paper):
    text, pages = text_of(receipt_pdf(receipt, paper))
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Mẫu số: 01BLP0-001",
        "Ký hiệu: GB-25E",
        "Số: 0000001",
        "PHÒNG TƯ PHÁP",
        "Nguyễn Thị Hường",
        "000.01.99.H06-251128-0007",
        "Phí thẩm định hồ sơ",
        "Lệ phí cấp bản sao trích lục",
        "Cộng phí: 20.000 đ",
        "Cộng lệ phí: 80.000 đ",
        "Tổng cộng: 100.000 đ",
        "Một trăm nghìn đồng chẵn",
        "Thẻ (máy POS) (mã tham chiếu POS-778899)",
        "Lê Văn Thuận",
        receipt.verification_code,
    ):
        assert expected in text, expected
    assert len(pages) == 1


def test_the_paper_sizes_are_a4_a5_and_an_80_mm_roll(receipt):
    widths = {
        paper: float(text_of(receipt_pdf(receipt, paper))[1][0].mediabox.width)
        for paper in ("a4", "a5", "80mm")
    }
    assert round(widths["a4"]) == 595 and round(widths["a5"]) == 420 and round(widths["80mm"]) == 227


def test_the_qr_code_links_to_the_public_check_page(client, receipt):
    url = verification_url(receipt)
    assert url.endswith(f"/bien-lai/{receipt.verification_code}/")
    page = client.get(reverse("payments:verify", args=[receipt.verification_code])).content.decode()
    assert "Biên lai hợp lệ" in page and "GB-25E" in page and "100.000 đ" in page
    assert "Hường" not in page  # the payer's name is masked


def test_a_voided_receipt_prints_as_voided_and_its_replacement_names_it(receipt):
    replacement = replace_receipt(
        receipt, by=receipt.collector, reason="Sai số giấy tờ", payer_id_number="027190001235"
    )
    receipt.refresh_from_db()
    voided_text, _ = text_of(receipt_pdf(receipt))
    assert "BIÊN LAI ĐÃ HỦY" in voided_text and "Sai số giấy tờ" in voided_text
    new_text, _ = text_of(receipt_pdf(replacement, "a5"))
    assert "Thay thế biên lai ký hiệu GB-25E số 0000001" in new_text and "Số: 0000002" in new_text


def test_staff_of_the_agency_print_the_receipt_and_others_cannot(client, receipt):
    url = reverse("payments:receipt_print", args=[receipt.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(cashier(ReceiptBookFactory().agency))
    assert client.get(url).status_code == 404  # like an unknown receipt: it does not tell that it exists
    client.force_login(receipt.collector)
    response = client.get(url + "?kho=80mm")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Tổng cộng: 100.000 đ" in text_of(response.content)[0]
