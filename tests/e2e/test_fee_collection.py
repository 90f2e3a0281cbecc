"""A cashier collects a fee and prints the receipt; a citizen pays online through the sandbox platform."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.integrations.payment.sandbox_server import SandboxServer
from motcua.payments.fees import compute_fee_lines
from motcua.payments.models import Payment, Receipt
from motcua.payments.tests.factories import ReceiptBookFactory

PASSWORD = "mat-khau-an-toan-1"


@pytest.fixture
def sandbox(settings):
    server = SandboxServer(port=0).start()
    settings.MOTCUA_PAYMENT_GATEWAYS = {"sandbox": {"plugin": "sandbox", "base_url": server.url}}
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    yield server
    server.stop()


@pytest.fixture
def dossier_with_fee():
    procedure = ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")
    FeeFactory(
        procedure=procedure, description="Lệ phí cấp bản sao trích lục", amount=8_000, basis="per_copy"
    )
    ReceiptBookFactory(agency=procedure.resolving_agency, template_no="01BLP0-001", series="GB-26E")
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(name="Ngô Thị Mai")
    dossier = services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    return staff, dossier


def log_in(page, user):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_cashier_collects_a_fee_and_prints_the_receipt(page, transactional_db, dossier_with_fee):
    staff, dossier = dossier_with_fee
    log_in(page, staff.officer)
    page.goto("/thu-phi/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_role("button", name="Tìm hồ sơ").click()
    expect(page.get_by_role("heading", name=f"Phí, lệ phí hồ sơ {dossier.code}")).to_be_visible()

    page.get_by_label("Số lượng").fill("3")  # three copies
    page.get_by_role("button", name="Tính phí, lệ phí").click()
    expect(page.locator("#outstanding")).to_have_text("24.000 đ")
    expect(page.get_by_text("Hai mươi tư nghìn đồng chẵn")).to_be_visible()

    page.get_by_label("Hình thức thanh toán").select_option(label="Tiền mặt")
    page.get_by_role("button", name="Thu tiền và lập biên lai").click()
    expect(page.get_by_role("heading", name="Biên lai GB-26E – số 0000001")).to_be_visible()
    expect(page.locator("#receipt-total")).to_contain_text("24.000 đ")

    href = page.get_by_role("link", name="In biên lai (A4)").get_attribute("href")
    pdf = page.context.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "Ngô Thị Mai" in text
    assert "Hai mươi tư nghìn đồng chẵn" in text and "Số: 0000001" in text
    assert Receipt.objects.get().collector == staff.officer


def test_a_citizen_pays_online_through_the_sandbox_and_the_dossier_moves_on(
    page, transactional_db, dossier_with_fee, sandbox
):
    staff, dossier = dossier_with_fee
    dossier = services.advance(dossier, staff.officer)
    dossier = services.request_financial_obligation(dossier, staff.specialist, note="Nộp lệ phí")
    compute_fee_lines(dossier, by=staff.officer)
    assert dossier.state == State.PAUSED_FINANCIAL

    page.goto("/thanh-toan/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Số điện thoại hoặc số giấy tờ của chủ hồ sơ").fill(dossier.applicant.phone)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Tám nghìn đồng chẵn")).to_be_visible()
    page.get_by_role("button", name="Thanh toán trực tuyến").click()

    expect(page.get_by_role("heading", name="Cổng thanh toán thử nghiệm")).to_be_visible()
    assert page.url.startswith(sandbox.url)
    page.get_by_role("button", name="Xác nhận thanh toán").click()

    expect(page.locator("#payment-status")).to_have_text("Đã thanh toán")
    assert re.search(r"/thanh-toan/ket-qua/MC[0-9A-F]+/$", page.url)
    dossier.refresh_from_db()
    assert dossier.state != State.PAUSED_FINANCIAL
    assert Payment.objects.get().status == Payment.Status.SUCCEEDED
    assert Receipt.objects.get().method == "online"
