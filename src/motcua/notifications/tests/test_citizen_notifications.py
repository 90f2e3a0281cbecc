"""Citizens are told on receipt, supplement request, apology, result ready and payment request; failed sends are
retried and stay visible; administrators edit the texts."""

import datetime
import json
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.notifications import services
from motcua.notifications.models import Notification, NotificationTemplate
from motcua.notifications.notifiers import SendError, notifiers

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(monday_morning):
    procedure = ProcedureWithProcessFactory(name="Đăng ký thành lập hộ kinh doanh")
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(phone="0912345678", email="hoa@example.vn", name="Nguyễn Thị Hoa")
    return procedure, staff, applicant


def sms_outbox(settings) -> list[dict]:
    path = Path(settings.MOTCUA_OUTBOX_DIR) / "sms.jsonl"
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


def test_receipt_is_told_by_email_sms_and_zalo(setup, settings, django_capture_on_commit_callbacks):
    procedure, staff, applicant = setup
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    sent = Notification.objects.filter(dossier=dossier, event="received")
    assert {n.channel for n in sent} == {"email", "sms", "zalo"}
    assert all(n.status == "sent" for n in sent)
    assert len(mail.outbox) == 1 and dossier.code in mail.outbox[0].subject
    assert "Nguyễn Thị Hoa" in mail.outbox[0].body and "/tra-cuu-ho-so/?code=" in mail.outbox[0].body
    outbox = sms_outbox(settings)
    assert outbox[-1]["to"] == "0912345678" and dossier.code in outbox[-1]["text"]


@pytest.mark.parametrize(
    "action,event",
    [
        ("request_supplement", "supplement_requested"),
        ("apologize", "apology"),
        ("request_financial_obligation", "payment_requested"),
        ("result", "result_ready"),
    ],
)
def test_each_change_the_citizen_must_know_of_is_told(
    setup, action, event, django_capture_on_commit_callbacks
):
    procedure, staff, applicant = setup
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    with django_capture_on_commit_callbacks(execute=True):
        if action == "request_supplement":
            dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
        elif action == "apologize":
            # The agency head's letter, for a dossier that will be late (two working days before).
            with time_machine.travel(dossier.received_at + datetime.timedelta(days=1), tick=False):
                dossier_services.apologize(
                    dossier,
                    staff.leader,
                    dossier.appointment_at + datetime.timedelta(days=7),
                    "Cần xác minh thêm",
                )
        else:
            dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
            dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
            if action == "request_financial_obligation":
                dossier_services.request_financial_obligation(dossier, staff.specialist, "Lệ phí 100.000 đ")
            else:
                while dossier.state != "result_ready":
                    dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
    email = Notification.objects.get(dossier=dossier, event=event, channel="email")
    assert email.status == "sent"
    if event == "supplement_requested":
        assert "Bản sao sổ hộ khẩu" in email.body
    if event == "apology":
        assert "Cần xác minh thêm" in email.body
    if event == "result_ready":
        assert "/danh-gia/lien-ket/" in email.body  # the evaluation link


def test_edited_templates_are_used(setup, django_capture_on_commit_callbacks):
    procedure, staff, applicant = setup
    NotificationTemplate.objects.filter(event="received", channel="email").update(
        subject="Đã nhận hồ sơ {{ code }}", body="Xin chào {{ applicant }}, hẹn trả {{ appointment_at }}."
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    assert mail.outbox[0].subject == f"Đã nhận hồ sơ {dossier.code}"
    assert mail.outbox[0].body.startswith("Xin chào Nguyễn Thị Hoa, hẹn trả ")


@pytest.fixture
def broken_sms(settings):
    @notifiers.register("broken_test")
    class Broken(notifiers["sms_sandbox"]):
        def send(self, recipient, subject, body):
            raise SendError("gateway down")

    settings.MOTCUA_NOTIFIERS = {"sms": {"plugin": "broken_test"}}
    yield
    notifiers.unregister("broken_test")


def test_a_failed_send_is_kept_retried_and_finally_flagged(broken_sms, settings, monday_morning):
    notification = NotificationFactory()
    notification = services.attempt(notification)
    assert notification.status == "failed" and notification.attempts == 1
    assert "gateway down" in notification.last_error and notification.next_attempt_at is not None
    # nothing is due before the next attempt time
    assert services.send_due()["failed"] == 0
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        monday_morning.shift(datetime.timedelta(hours=13))
        services.send_due()
    notification.refresh_from_db()
    assert notification.status == "gave_up" and notification.attempts == services.MAX_ATTEMPTS
    # once the gateway works again, staff send it again
    settings.MOTCUA_NOTIFIERS = {"sms": {"plugin": "sms_sandbox"}}
    assert services.retry_now(notification).status == "sent"
    assert sms_outbox(settings)[-1]["text"] == notification.body


def test_a_retry_after_failure_sends_it(broken_sms, settings, monday_morning):
    notification = services.attempt(NotificationFactory())
    settings.MOTCUA_NOTIFIERS = {"sms": {"plugin": "sms_sandbox"}}
    monday_morning.shift(datetime.timedelta(minutes=2))
    assert services.send_due() == {"sent": 1, "failed": 0, "gave_up": 0}
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 2


def test_staff_read_the_outbox_with_failures_visible(client, broken_sms):
    from motcua.accounts.tests.factories import UserFactory
    from motcua.dossiers.tests.factories import grant
    from motcua.org.tests.factories import AgencyFactory

    failed = services.attempt(NotificationFactory(body="Tin nhắn thử"))
    officer = UserFactory()
    grant(officer, "reception_officer", AgencyFactory())
    client.force_login(officer)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert "Tin nhắn thử" in page and "gateway down" in page and failed.get_status_display() in page
    assert "0912345678" not in page.split("Hộp thư đi thử nghiệm")[0]  # recipients are masked in the list
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.get(reverse("notifications:outbox")).status_code == 403


def test_the_http_gateway_plugin_reports_an_unreachable_gateway():
    plugin = notifiers.build("http_gateway", {"url": "http://127.0.0.1:9/sms", "timeout": 1})
    with pytest.raises(SendError):
        plugin.send("0912345678", "", "xin chào")


def test_the_http_gateway_plugin_sends_a_batch_on_one_connection_with_its_token():
    from motcua.integrations.tests.partner import Partner

    with Partner() as gateway:
        plugin = notifiers.build(
            "http_gateway", {"url": gateway.url, "token": "k9-issued-by-the-gateway", "timeout": 5}
        )
        for text in ("Hồ sơ đã được tiếp nhận", "Đã có kết quả"):
            plugin.send("0912345678", "", text)
        assert gateway.connections == 1
        assert [json.loads(body) for body in gateway.requests] == [
            {"to": "0912345678", "text": "Hồ sơ đã được tiếp nhận"},
            {"to": "0912345678", "text": "Đã có kết quả"},
        ]
        assert {headers["Authorization"] for headers in gateway.headers} == {
            "Bearer k9-issued-by-the-gateway"
        }


def test_the_http_gateway_plugin_reports_a_gateway_that_hangs_up_and_sends_nothing_twice():
    from motcua.integrations.tests.partner import Partner

    with Partner("hang_up") as gateway:
        plugin = notifiers.build("http_gateway", {"url": gateway.url, "timeout": 5})
        with pytest.raises(SendError):
            plugin.send("0912345678", "", "xin chào")
        assert len(gateway.requests) == 1


def test_the_notification_dates_come_from_the_one_deadline_function(setup):
    from motcua.dossiers.deadlines import deadlines
    from motcua.dossiers.models import Dossier

    procedure, staff, applicant = setup
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    # an appointment never written down is the legal due instant, as on the screens
    Dossier.objects.filter(pk=dossier.pk).update(appointment_at=None)
    dossier.refresh_from_db()
    context = services.dossier_context(dossier)
    expected = services._fmt(deadlines(dossier).legal.at)
    assert expected and context["appointment_at"] == expected and context["due_at"] == expected
    # an apology letter moved the appointment: the citizen is told the new one, the legal due stays
    moved = dossier.due_at + datetime.timedelta(days=3)
    Dossier.objects.filter(pk=dossier.pk).update(appointment_at=moved)
    dossier.refresh_from_db()
    context = services.dossier_context(dossier)
    assert context["appointment_at"] == services._fmt(moved) and context["due_at"] == expected
