"""The applicant is told to pay whenever a payment is requested: when the dossier waits for its financial
obligation (status 6) and when fee lines become due (computed at the counter, or priced later), with the amount
and the page where it is paid online; once per request, never for fees that cost nothing."""

import pytest
from django.core import mail

from motcua.catalog.models import Fee
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.notifications.models import Notification
from motcua.payments.fees import adjust_fee_line, compute_fee_lines
from motcua.payments.tests.factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")


@pytest.fixture
def dossier(procedure, monday_morning):
    ReceiptBookFactory(agency=procedure.resolving_agency)
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(phone="0912345678", email="lan@example.vn", name="Vũ Thị Lan")
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    dossier.staff = staff
    return dossier


def payment_emails():
    return [m for m in mail.outbox if m.subject.startswith("Yêu cầu thực hiện nghĩa vụ tài chính")]


def test_computing_due_fees_tells_the_applicant_the_amount_and_where_to_pay_once(
    procedure, dossier, django_capture_on_commit_callbacks
):
    FeeFactory(procedure=procedure, position=1, description="Lệ phí cấp bản sao", amount=8_000)
    FeeFactory(
        procedure=procedure,
        position=2,
        kind=Fee.Kind.SERVICE_FEE,
        description="Phí sao y",
        amount=2_000,
        basis=Fee.Basis.PER_PAGE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        compute_fee_lines(dossier, by=dossier.staff.officer, quantities={})
    sent = Notification.objects.filter(dossier=dossier, event="payment_requested")
    assert sorted(n.channel for n in sent) == ["email", "sms", "zalo"]  # one per channel for two lines
    assert {n.status for n in sent} == {"sent"}
    [email] = payment_emails()
    assert "Số tiền: 10.000 đ." in email.body
    assert f"/thanh-toan/?ma_ho_so={dossier.code}" in email.body


def test_a_line_the_cashier_must_price_is_told_once_it_is_priced(
    procedure, dossier, django_capture_on_commit_callbacks
):
    FeeFactory(procedure=procedure, description="Lệ phí do HĐND tỉnh quy định", amount=None)
    with django_capture_on_commit_callbacks(execute=True):
        [line] = compute_fee_lines(dossier, by=dossier.staff.officer)
    assert line.needs_amount and payment_emails() == []  # nothing to tell before the amount is known
    with django_capture_on_commit_callbacks(execute=True):
        adjust_fee_line(line, by=dossier.staff.officer, amount=15_000, reason="Mức thu theo Nghị quyết HĐND")
    [email] = payment_emails()
    assert "Số tiền: 15.000 đ." in email.body


def test_free_or_exempt_fees_ask_for_no_payment(procedure, dossier, django_capture_on_commit_callbacks):
    FeeFactory(procedure=procedure, position=1, description="Lệ phí đăng ký đúng hạn", amount=0)
    second = FeeFactory(procedure=procedure, position=2, description="Lệ phí cấp bản sao", amount=8_000)
    with django_capture_on_commit_callbacks(execute=True):
        compute_fee_lines(dossier, by=dossier.staff.officer, exempt={second.pk: "Hộ nghèo"})
    assert not Notification.objects.filter(event="payment_requested").exists()


def test_a_rolled_back_fee_computation_tells_nothing(procedure, dossier, django_capture_on_commit_callbacks):
    from django.db import transaction

    FeeFactory(procedure=procedure, description="Lệ phí cấp bản sao", amount=8_000)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                compute_fee_lines(dossier, by=dossier.staff.officer)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and payment_emails() == []


def test_waiting_for_the_financial_obligation_includes_the_amount_due(
    procedure, dossier, django_capture_on_commit_callbacks
):
    FeeFactory(procedure=procedure, description="Lệ phí cấp bản sao", amount=8_000)
    staff = dossier.staff
    with django_capture_on_commit_callbacks(execute=True):
        compute_fee_lines(dossier, by=staff.officer)
    dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
    dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_financial_obligation(dossier, staff.specialist, "Nộp lệ phí trước khi trả")
    first, second = payment_emails()
    assert "Nộp lệ phí trước khi trả" in second.body and "Số tiền: 8.000 đ." in second.body
