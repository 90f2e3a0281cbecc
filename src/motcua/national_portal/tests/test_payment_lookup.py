"""The portal's payment platform asks for a dossier's bill (`dptracuuthanhtoanhs`), takes the money on the portal,
and motcua confirms it by the platform's callback or, when none comes, by looking the transaction up (QUERY).
All over real HTTP: the simulator plays the platform and calls motcua's live server."""

import datetime

import pytest
from django.utils import timezone

from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import ApplicantFactory, StaffSet
from motcua.org.tests.factories import AgencyFactory
from motcua.payments.fees import compute_fee_lines, pay_online
from motcua.payments.models import FeeLine, Payment, PaymentCallback
from motcua.payments.online import check_pending_payments
from motcua.payments.tests.factories import ReceiptBookFactory

from .conftest import simulator_post, simulator_state
from .factories import ProcedureWithProcessFactory

SECRET = "khoa-thu-nghiem-tra-cuu-thanh-toan"


@pytest.fixture
def platform(settings, live_server, simulator):
    """motcua's live server answers the look-up; the simulator is the platform (gateway "sandbox")."""
    settings.NATIONAL_PORTAL = {"url": "", "inbound_secret": SECRET}
    settings.NATIONAL_PORTAL_PUBLIC_URL = live_server.url
    settings.MOTCUA_PAYMENT_GATEWAYS = {
        "sandbox": {"plugin": "sandbox", "base_url": simulator.url, "timeout": 5}
    }
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    simulator_post(simulator, "config", {"motcua_url": live_server.url, "inbound_secret": SECRET})
    return simulator


@pytest.fixture
def waiting(db):
    """A dossier paused for its financial obligation, 120,000 + 30,000 đồng due."""
    procedure = ProcedureWithProcessFactory(name="Đăng ký biến động đất đai")
    FeeFactory(procedure=procedure, description="Lệ phí trước bạ", amount=120_000)
    FeeFactory(procedure=procedure, description="Phí thẩm định", amount=30_000, kind="service_fee")
    ReceiptBookFactory(agency=procedure.resolving_agency)
    staff = StaffSet(procedure)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Trần Thị Nộp"), actor=staff.officer
    )
    dossier = services.advance(dossier, staff.officer)
    dossier = services.request_financial_obligation(dossier, staff.specialist)
    compute_fee_lines(dossier, by=staff.officer)
    return dossier


def ask(platform, code, **extra):
    return simulator_post(platform, "lookup-payment", {"MaHoSo": code} | extra)


@pytest.mark.django_db(transaction=True)
def test_a_fee_paid_on_the_portal_is_billed_once_and_resumes_the_dossier(platform, waiting):
    answer = ask(platform, waiting.code)
    assert answer["status"] == 200 and "error" not in answer
    assert answer["reply"]["error_code"] == "1"
    bill = answer["reply"]["message"]
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.PENDING and payment.dossier == waiting
    assert payment.amount == 150_000 and payment.gateway == "sandbox"
    assert bill["transaction_id"] == payment.reference and bill["client_id"] == "MOTCUA-SANDBOX"
    assert bill["MaHoSo"] == waiting.code and bill["SoTien"] == "150000"
    assert bill["MaTraCuuTT"].startswith(waiting.code) and len(bill["MaTraCuuTT"]) == len(waiting.code) + 14
    assert bill["MaTTHC"] == waiting.procedure.code and bill["MaDonVi"] == payment.agency.identity_code
    assert bill["HoTenNguoiNop"] == "Trần Thị Nộp"
    assert sorted((f["TenPhiLePhi"], f["LoaiPhiLePhi"], f["SoTien"]) for f in bill["PhiLePhi"]) == [
        ("Lệ phí trước bạ", "2", "120000"),
        ("Phí thẩm định", "1", "30000"),
    ]
    assert sum(int(k["SoTien"]) for k in bill["DSKhoanNop"]) == 150_000

    again = ask(platform, waiting.code)  # the platform asks again: the same bill, nothing new
    assert again["reply"]["message"]["transaction_id"] == payment.reference
    assert Payment.objects.count() == 1

    settled = platform.app.payments.settle(payment.reference, "success")  # the citizen pays on the portal
    assert settled["deliveries"][0]["status"] == 200
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert set(waiting.fee_lines.values_list("status", flat=True)) == {FeeLine.Status.PAID}
    assert waiting.state != State.PAUSED_FINANCIAL
    assert waiting.receipts.get().payment == payment

    paid = ask(platform, waiting.code)
    assert paid["reply"]["error_code"] == "0" and "đã nộp đủ" in paid["reply"]["message"]
    assert Payment.objects.count() == 1
    assert [row["reply"]["error_code"] for row in simulator_state(platform)["payment_lookups"]] == [
        "1",
        "1",
        "0",
    ]


def give_account(agency, number, bank, name):
    agency.collection_account_number, agency.collection_bank_code, agency.collection_account_name = (
        number,
        bank,
        name,
    )
    agency.full_clean()
    agency.save()


@pytest.mark.django_db(transaction=True)
def test_the_bill_names_the_resolving_agencys_account_and_is_empty_without_one(platform, waiting):
    resolving = AgencyFactory(name="Phòng Tài nguyên và Môi trường")
    Dossier.objects.filter(pk=waiting.pk).update(resolving_agency=resolving)
    # The receiving counter's own account is not the one billed.
    give_account(waiting.agency, "9990007654321", "970415", "TAI KHOAN MAU TRUNG TAM")
    bill = ask(platform, waiting.code)["reply"]["message"]
    assert (bill["TKThuHuong"], bill["MaNHThuHuong"], bill["TenTKThuHuong"]) == ("", "", "")

    give_account(resolving, "9990001234567", "970436", "TAI KHOAN MAU PHONG TAI NGUYEN")
    bill = ask(platform, waiting.code)["reply"]["message"]
    assert (bill["TKThuHuong"], bill["MaNHThuHuong"], bill["TenTKThuHuong"]) == (
        "9990001234567",
        "970436",
        "TAI KHOAN MAU PHONG TAI NGUYEN",
    )
    assert bill["MaDonVi"] == resolving.identity_code
    assert Payment.objects.get().agency == resolving


@pytest.mark.django_db(transaction=True)
def test_a_portal_payment_whose_callback_is_lost_is_confirmed_by_looking_it_up(platform, waiting):
    reference = ask(platform, waiting.code)["reply"]["message"]["transaction_id"]
    platform.app.payments.settle(reference, "success", deliver=False)
    payment = Payment.objects.get(reference=reference)
    assert payment.status == Payment.Status.PENDING
    check_pending_payments(now=timezone.now() + datetime.timedelta(hours=1))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.callbacks.get().source == "query"
    assert set(waiting.fee_lines.values_list("status", flat=True)) == {FeeLine.Status.PAID}


@pytest.mark.django_db(transaction=True)
def test_a_payment_already_opened_in_motcua_is_the_one_billed_to_the_portal(platform, waiting):
    opened = pay_online(waiting)
    bill = ask(platform, waiting.code)["reply"]["message"]
    assert bill["transaction_id"] == opened.reference and Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_unknown_dossier_or_a_body_without_code_is_answered_minus_one_and_creates_nothing(
    platform, waiting
):
    unknown = ask(platform, "000.00.99.H06-261128-9999")
    assert unknown["status"] == 404
    assert unknown["reply"] == {
        "error_code": "-1",
        "message": "Không tìm thấy hồ sơ 000.00.99.H06-261128-9999.",
    }
    empty = simulator_post(platform, "lookup-payment", {"payload": {"MaHoSo": "  "}})
    assert empty["status"] == 400 and empty["reply"] == {"error_code": "-1", "message": "MaHoSo: bắt buộc."}
    wrong = simulator_post(platform, "lookup-payment", {"payload": {"MaHoSo": 12}})
    assert wrong["status"] == 400 and wrong["reply"]["error_code"] == "-1"
    assert not Payment.objects.exists() and "UrlThanhToan" not in unknown


@pytest.mark.django_db(transaction=True)
def test_a_lookup_signed_with_another_key_or_unsigned_is_refused(platform, waiting):
    forged = ask(platform, waiting.code, secret="khoa-khac")
    assert forged["status"] == 401
    assert forged["reply"] == {"error_code": "-1", "message": "Chữ ký của yêu cầu không đúng."}
    unsigned = ask(platform, waiting.code, unsigned=True)
    assert unsigned["status"] == 401 and "Thiếu chữ ký" in unsigned["reply"]["message"]
    assert not Payment.objects.exists()
    assert platform.app.payments.transactions == {}


@pytest.mark.django_db(transaction=True)
def test_a_fee_without_an_amount_is_not_billed(platform, waiting):
    FeeLine.objects.filter(dossier=waiting, description="Phí thẩm định").update(needs_amount=True, amount=0)
    answer = ask(platform, waiting.code)
    assert answer["status"] == 409 and answer["reply"]["error_code"] == "-1"
    assert "chưa có mức thu" in answer["reply"]["message"]
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_payment_platform_the_lookup_says_so(platform, waiting, settings):
    settings.MOTCUA_PAYMENT_GATEWAY = "khong-co"
    answer = ask(platform, waiting.code)
    assert answer["status"] == 503 and answer["reply"]["error_code"] == "-1"
    assert "chưa cấu hình nền tảng thanh toán" in answer["reply"]["message"]
    assert not Payment.objects.exists() and not PaymentCallback.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_dossier_pushed_by_the_portal_is_billed_under_the_portals_code(platform, waiting):
    from motcua.national_portal.models import InboundDossier

    InboundDossier.objects.create(portal_code="G22.99-261128-0042", dossier=waiting, procedure_code="x")
    bill = ask(platform, "G22.99-261128-0042")["reply"]["message"]
    assert bill["MaHoSo"] == "G22.99-261128-0042" and bill["MaTraCuuTT"].startswith("G22.99-261128-0042")
    assert Payment.objects.get().dossier == waiting
