"""Online payment through the sandbox platform over HTTP: create → redirect → signed callback → confirmation.

Callbacks are idempotent whatever their number and order; forged, replayed, unknown and wrong-amount callbacks
are refused and change nothing.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from motcua.integrations.payment import protocol
from motcua.payments.models import Payment, PaymentCallback, Receipt
from motcua.payments.online import check_payment, check_pending_payments, start_online_payment

from .factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db
SECRET = "sandbox-secret-not-for-production"


@pytest.fixture
def book():
    return ReceiptBookFactory()


@pytest.fixture
def payment(payment_sandbox, book):
    return start_online_payment(
        agency=book.agency,
        items=[
            {"kind": "service_fee", "description": "Phí thẩm định", "unit_amount": 50_000},
            {"kind": "admin_charge", "description": "Lệ phí cấp giấy", "unit_amount": 25_000, "quantity": 2},
        ],
        payer_name="Nguyễn Văn An",
        dossier_code="000.01.99.H06-251128-0001",
    )


def deliver(client, callback):
    response = client.post(
        reverse("payments:callback", args=["sandbox"]),
        data=json.dumps(callback),
        content_type="application/json",
    )
    return response.status_code, response.json()


def callback_of(sandbox, payment, outcome="success"):
    return sandbox.app.settle(payment.reference, outcome, deliver=False)["callback"]


def state(payment):
    payment.refresh_from_db()
    return (payment.status, payment.transaction_id, Receipt.objects.filter(payment=payment).count())


def test_creating_a_payment_opens_it_at_the_platform_and_gives_the_payers_page(payment, payment_sandbox):
    assert payment.status == Payment.Status.PENDING
    assert payment.amount == 100_000
    assert payment.redirect_url == f"{payment_sandbox.url}/thanh-toan/{payment.reference}"
    kept = payment_sandbox.app.transactions[payment.reference]
    assert kept["amount"] == 100_000 and kept["callback_url"].endswith("/thanh-toan/thong-bao/sandbox/")
    assert [p["LoaiPhiLePhi"] for p in kept["init"]["ThongTinBienLai"]["PhiLePhi"]] == [1, 2]


def test_the_platform_is_told_the_collecting_agencys_account_or_nothing(payment_sandbox, book, payment):
    kept = payment_sandbox.app.transactions[payment.reference]["init"]["ThongTinBienLai"]
    assert (kept["TKThuHuong"], kept["MaNHThuHuong"], kept["TenTKThuHuong"]) == ("", "", "")
    agency = book.agency
    agency.collection_account_number = "9990000123456"
    agency.collection_bank_code = "970405"
    agency.collection_account_name = "TAI KHOAN MAU KHONG CO THAT"
    agency.save()
    second = start_online_payment(
        agency=agency,
        items=[{"kind": "service_fee", "description": "Phí thẩm định", "unit_amount": 50_000}],
        payer_name="Nguyễn Văn An",
        dossier_code="000.01.99.H06-251128-0002",
    )
    kept = payment_sandbox.app.transactions[second.reference]["init"]["ThongTinBienLai"]
    assert (kept["TKThuHuong"], kept["MaNHThuHuong"], kept["TenTKThuHuong"]) == (
        "9990000123456",
        "970405",
        "TAI KHOAN MAU KHONG CO THAT",
    )


def test_a_valid_callback_delivered_three_times_records_the_payment_once(client, payment, payment_sandbox):
    callback = callback_of(payment_sandbox, payment)
    replies = [deliver(client, callback) for _ in range(3)]
    assert [(status, reply["MaLoi"]) for status, reply in replies] == [(200, "00")] * 3
    assert state(payment) == (Payment.Status.SUCCEEDED, callback["MaGiaoDich"], 1)
    receipt = Receipt.objects.get(payment=payment)
    assert (receipt.total, receipt.method, receipt.terminal_reference) == (
        100_000,
        "online",
        callback["MaGiaoDich"],
    )
    assert (receipt.service_fee_total, receipt.admin_charge_total) == (50_000, 50_000)
    outcomes = list(payment.callbacks.values_list("outcome", flat=True))
    assert outcomes == ["accepted", "duplicate", "duplicate"]


def test_our_reply_is_signed_with_the_partner_secret(client, payment, payment_sandbox):
    _, reply = deliver(client, callback_of(payment_sandbox, payment))
    assert protocol.verify(reply, protocol.REPLY_FIELDS, SECRET)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cb: cb | {"SoTien": 1},  # amount changed after signing
        lambda cb: cb | {"MaLoi": "00", "MaGiaoDich": "FORGED"},
        lambda cb: cb | {"MaXacThuc": "0" * 64},
        lambda cb: {k: v for k, v in cb.items() if k != "MaXacThuc"},
        lambda cb: protocol.sign(cb, protocol.CALLBACK_FIELDS, "not-the-secret"),
    ],
)
def test_a_forged_callback_is_refused_and_changes_nothing(client, payment, payment_sandbox, tamper):
    forged = tamper(callback_of(payment_sandbox, payment))
    status, reply = deliver(client, forged)
    assert (status, reply["MaLoi"]) == (400, "01")
    assert state(payment) == (Payment.Status.PENDING, "", 0)
    assert PaymentCallback.objects.get().outcome == "bad_signature"


def test_a_callback_for_an_unknown_payment_is_refused(client, payment, payment_sandbox):
    callback = callback_of(payment_sandbox, payment)
    unknown = protocol.sign(callback | {"MaThamChieu": "MCNOTOURS"}, protocol.CALLBACK_FIELDS, SECRET)
    status, reply = deliver(client, unknown)
    assert (status, reply["MaLoi"]) == (400, "02")
    assert state(payment) == (Payment.Status.PENDING, "", 0)


def test_a_signed_callback_with_another_amount_is_refused(client, payment, payment_sandbox):
    callback = callback_of(payment_sandbox, payment)
    cheaper = protocol.sign(callback | {"SoTien": 1_000}, protocol.CALLBACK_FIELDS, SECRET)
    status, reply = deliver(client, cheaper)
    assert (status, reply["MaLoi"]) == (400, "03")
    assert state(payment) == (Payment.Status.PENDING, "", 0)


def test_a_replayed_callback_is_refused_and_changes_nothing(client, payment, payment_sandbox):
    callback = callback_of(payment_sandbox, payment)
    before_payment = protocol.format_time(payment.created_at - timedelta(hours=2))
    old = protocol.sign(callback | {"ThoiGianGD": before_payment}, protocol.CALLBACK_FIELDS, SECRET)
    assert deliver(client, old)[1]["MaLoi"] == "04"
    assert state(payment) == (Payment.Status.PENDING, "", 0)
    # accepted once, then captured and replayed days later
    assert deliver(client, callback)[1]["MaLoi"] == "00"
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        status, reply = deliver(client, callback)
    assert (status, reply["MaLoi"]) == (400, "04")
    assert state(payment) == (Payment.Status.SUCCEEDED, callback["MaGiaoDich"], 1)


def test_a_success_wins_whatever_the_order_of_callbacks(client, payment, payment_sandbox):
    success = callback_of(payment_sandbox, payment)
    failure = protocol.sign(success | {"MaLoi": "51"}, protocol.CALLBACK_FIELDS, SECRET)
    for callback in (failure, success, failure, success):
        deliver(client, callback)
    assert state(payment) == (Payment.Status.SUCCEEDED, success["MaGiaoDich"], 1)
    assert list(payment.callbacks.values_list("outcome", flat=True)) == [
        "accepted",
        "accepted",
        "duplicate",
        "duplicate",
    ]


def test_a_second_success_with_another_transaction_is_a_conflict(client, payment, payment_sandbox):
    success = callback_of(payment_sandbox, payment)
    deliver(client, success)
    other = protocol.sign(success | {"MaGiaoDich": "SBOTHER"}, protocol.CALLBACK_FIELDS, SECRET)
    status, reply = deliver(client, other)
    assert (status, reply["MaLoi"]) == (400, "06")
    assert state(payment) == (Payment.Status.SUCCEEDED, success["MaGiaoDich"], 1)


def test_a_cancelled_payment_issues_no_receipt(client, payment, payment_sandbox):
    deliver(client, callback_of(payment_sandbox, payment, "cancel"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED and "hủy" in payment.failure_reason
    assert not Receipt.objects.exists()


def test_a_failed_payment_keeps_the_platforms_error_code(client, payment, payment_sandbox):
    deliver(client, callback_of(payment_sandbox, payment, "failure"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED and "51" in payment.failure_reason


def test_a_platform_that_does_not_answer_in_time_is_reported_and_the_payment_kept_as_failed(
    payment_sandbox, book, settings
):
    settings.MOTCUA_PAYMENT_GATEWAYS["sandbox"]["timeout"] = 0.3
    payment_sandbox.app.init_delay = 1.0
    with pytest.raises(ValidationError, match="không trả lời"):
        start_online_payment(
            agency=book.agency,
            items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 10_000}],
            payer_name="A",
        )
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.FAILED and payment.failure_reason


def test_an_unreachable_platform_is_reported(book, settings):
    settings.MOTCUA_PAYMENT_GATEWAYS = {"sandbox": {"plugin": "sandbox", "base_url": "http://127.0.0.1:9"}}
    with pytest.raises(ValidationError, match="Không kết nối"):
        start_online_payment(
            agency=book.agency,
            items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 10_000}],
            payer_name="A",
        )


def test_bad_input_creates_no_payment(payment_sandbox, book):
    with pytest.raises(ValidationError):
        start_online_payment(agency=book.agency, items=[], payer_name="A")
    with pytest.raises(ValidationError):
        start_online_payment(
            agency=book.agency,
            items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 10_000}],
            payer_name=" ",
        )
    assert not Payment.objects.exists() and not payment_sandbox.app.transactions


def test_without_a_callback_the_payment_is_queried_until_the_bank_answers(payment, payment_sandbox):
    payment_sandbox.app.settle(payment.reference, "timeout")  # the bank timed out: the platform does not know
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert check_pending_payments() == {"pending": 1}
    payment.refresh_from_db()
    assert payment.check_attempts == 1 and payment.next_check_at > timezone.now() + timedelta(minutes=50)
    payment_sandbox.app.settle(payment.reference, "success", deliver=False)  # the bank finally answered
    assert check_payment(payment).status == Payment.Status.SUCCEEDED
    assert Receipt.objects.filter(payment=payment).count() == 1
    assert payment.callbacks.get().source == "query"


def test_a_payment_that_never_gets_a_result_expires(payment, payment_sandbox):
    payment_sandbox.app.settle(payment.reference, "timeout")
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        check_payment(payment)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED and not Receipt.objects.exists()


def test_the_payer_comes_back_to_a_page_showing_the_result(client, payment, payment_sandbox):
    deliver(client, callback_of(payment_sandbox, payment))
    page = client.get(reverse("payments:result", args=[payment.reference])).content.decode()
    assert "Đã thanh toán" in page and "100.000 đ" in page


def test_the_pending_page_asks_the_platform_again(client, payment, payment_sandbox):
    payment_sandbox.app.settle(payment.reference, "success", deliver=False)
    response = client.post(reverse("payments:result", args=[payment.reference]))
    assert response.status_code == 302
    assert state(payment)[0] == Payment.Status.SUCCEEDED


def test_the_platform_callback_really_travels_over_http(live_server, payment_sandbox, settings):
    """The sandbox POSTs its signed callback three times to the running server; one payment, one receipt."""
    settings.MOTCUA_PUBLIC_URL = live_server.url
    book = ReceiptBookFactory()
    payment = start_online_payment(
        agency=book.agency,
        items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 30_000}],
        payer_name="Trần Thị Bình",
    )
    result = payment_sandbox.app.settle(payment.reference, "success", times=3)
    assert [(d["status"], d["reply"]["MaLoi"]) for d in result["deliveries"]] == [(200, "00")] * 3
    assert state(payment) == (Payment.Status.SUCCEEDED, result["callback"]["MaGiaoDich"], 1)


def test_callbacks_to_an_unknown_gateway_or_too_large_are_refused_without_being_stored(
    client, payment_sandbox
):
    response = client.post(
        reverse("payments:callback", args=["nosuchgateway"]), data="{}", content_type="application/json"
    )
    assert response.status_code == 404
    huge = json.dumps({"MaThamChieu": "x" * 70_000})
    response = client.post(
        reverse("payments:callback", args=["sandbox"]), data=huge, content_type="application/json"
    )
    assert response.status_code == 413
    assert not PaymentCallback.objects.exists()


def test_a_callback_that_is_not_json_is_recorded_as_malformed(client, payment_sandbox):
    response = client.post(
        reverse("payments:callback", args=["sandbox"]), data="not json", content_type="text/plain"
    )
    assert (response.status_code, response.json()["MaLoi"]) == (400, "05")
    assert PaymentCallback.objects.get().outcome == "malformed"


def test_a_success_reported_after_the_payer_gave_up_still_counts(client, payment, payment_sandbox):
    from motcua.payments.online import cancel_payment

    cancel_payment(payment)
    assert state(payment)[0] == Payment.Status.CANCELLED
    callback = callback_of(payment_sandbox, payment)  # the bank took the money after all
    assert deliver(client, callback)[1]["MaLoi"] == "00"
    assert state(payment) == (Payment.Status.SUCCEEDED, callback["MaGiaoDich"], 1)


@pytest.mark.postgres
def test_the_same_callback_delivered_concurrently_records_one_payment(transactional_db, payment_sandbox):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    from motcua.payments.online import handle_callback

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers")
    book = ReceiptBookFactory()
    payment = start_online_payment(
        agency=book.agency,
        items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 10_000}],
        payer_name="A",
    )
    callback = callback_of(payment_sandbox, payment)
    start = Barrier(8)

    def deliver_once(_):
        try:
            start.wait()
            return handle_callback("sandbox", callback).outcome
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = sorted(pool.map(deliver_once, range(8)))
    assert outcomes == ["accepted"] + ["duplicate"] * 7
    assert state(payment) == (Payment.Status.SUCCEEDED, callback["MaGiaoDich"], 1)
