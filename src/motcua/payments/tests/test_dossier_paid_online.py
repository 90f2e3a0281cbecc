"""A dossier waiting for its financial obligation resumes when its online payment is confirmed."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.payments.fees import SYSTEM_USERNAME, compute_fee_lines, pay_online
from motcua.payments.models import FeeLine, Payment

from .factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(payment_sandbox):
    procedure = ProcedureWithProcessFactory()
    FeeFactory(procedure=procedure, description="Lệ phí trước bạ", amount=120_000)
    ReceiptBookFactory(agency=procedure.resolving_agency)
    staff = StaffSet(procedure)
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    dossier = services.advance(dossier, staff.officer)
    dossier = services.request_financial_obligation(dossier, staff.specialist)
    compute_fee_lines(dossier, by=staff.officer)
    return dossier


def deliver(client, callback):
    return client.post(
        reverse("payments:callback", args=["sandbox"]),
        data=json.dumps(callback),
        content_type="application/json",
    )


def test_a_confirmed_online_payment_resumes_the_dossier_once(client, waiting, payment_sandbox):
    payment = pay_online(waiting)
    assert payment.dossier == waiting and payment.amount == 120_000
    assert pay_online(waiting) == payment  # a second click reuses the pending payment
    callback = payment_sandbox.app.settle(payment.reference, "success", deliver=False)["callback"]
    for _ in range(3):
        assert deliver(client, callback).status_code == 200
    waiting.refresh_from_db()
    assert waiting.state != State.PAUSED_FINANCIAL
    resumed = waiting.events.filter(action="fulfil_financial_obligation")
    assert resumed.count() == 1 and resumed.get().actor.username == SYSTEM_USERNAME
    assert set(waiting.fee_lines.values_list("status", flat=True)) == {FeeLine.Status.PAID}
    assert waiting.receipts.get().payment == payment


def test_a_cancelled_online_payment_leaves_the_dossier_waiting(client, waiting, payment_sandbox):
    payment = pay_online(waiting)
    deliver(client, payment_sandbox.app.settle(payment.reference, "cancel", deliver=False)["callback"])
    waiting.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CANCELLED
    assert waiting.state == State.PAUSED_FINANCIAL
    assert set(waiting.fee_lines.values_list("status", flat=True)) == {FeeLine.Status.DUE}
    assert pay_online(waiting) != payment  # the citizen may try again


def test_a_link_with_the_code_only_fills_the_form_and_never_reads_a_phone_from_the_url(client, waiting):
    url = reverse("payments:pay_dossier")
    page = client.get(url, {"ma_ho_so": waiting.code, "xac_minh": waiting.applicant.phone}).content.decode()
    assert f'value="{waiting.code}"' in page
    assert f'value="{waiting.applicant.phone}"' not in page and "120.000" not in page


def test_the_citizen_page_needs_the_code_and_the_applicants_phone(client, waiting):
    url = reverse("payments:pay_dossier")
    wrong = client.post(url, {"ma_ho_so": waiting.code, "xac_minh": "0999999999", "tra_cuu": "1"})
    assert wrong.status_code == 404
    assert "Không tìm thấy hồ sơ" in wrong.content.decode() and "120.000" not in wrong.content.decode()
    right = client.post(url, {"ma_ho_so": waiting.code, "xac_minh": waiting.applicant.phone, "tra_cuu": "1"})
    page = right.content.decode()
    assert "120.000 đ" in page and "Một trăm hai mươi nghìn đồng chẵn" in page
    assert not Payment.objects.exists()  # looking the fees up pays nothing
    forged = client.post(url, {"ma_ho_so": waiting.code, "xac_minh": "0999999999"})
    assert forged.status_code == 404 and not Payment.objects.exists()
    paying = client.post(url, {"ma_ho_so": waiting.code, "xac_minh": waiting.applicant.phone})
    assert paying.status_code == 302 and paying["Location"] == Payment.objects.get().redirect_url


def test_the_cashier_stops_waiting_for_an_online_payment_and_a_late_success_shows_as_paid_twice(
    client, waiting, payment_sandbox
):
    import datetime

    from motcua.payments.fees import cancel_pending_online_payment, collect_at_counter
    from motcua.payments.reports import reconcile

    payment = pay_online(waiting)
    officer = waiting.received_by
    with pytest.raises(ValidationError, match="chờ kết quả"):
        collect_at_counter(waiting, by=officer, method="cash")
    cancel_pending_online_payment(waiting, by=officer)
    counter_receipt = collect_at_counter(waiting, by=officer, method="cash")
    assert counter_receipt.total == 120_000
    # the citizen's bank took the money anyway
    deliver(client, payment_sandbox.app.settle(payment.reference, "success", deliver=False)["callback"])
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    today = datetime.date.today()
    assert [m.kind for m in reconcile(today, today)] == ["paid_twice"]
    with pytest.raises(ValidationError):
        cancel_pending_online_payment(waiting, by=officer)
