"""Notifications leave the request: the change queues a task after commit, the task worker sends; a failed send
stays visible on its row and is retried, by the worker itself when the backend can run a task later."""

import datetime
import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.notifications import services
from motcua.notifications.models import Notification
from motcua.notifications.notifiers import DEFAULT_NOTIFIERS, SendError, notifiers

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The queue also holds the runs other apps queue after a dossier change (the reports' facts refresh).
DELIVER = "motcua.notifications.tasks.deliver"


@pytest.fixture
def setup(monday_morning):
    procedure = ProcedureWithProcessFactory(name="Đăng ký thành lập hộ kinh doanh")
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(phone="0912345678", email="hoa@example.vn", name="Nguyễn Thị Hoa")
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    return staff, dossier


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real database worker once over the queue (`motcua db_worker --batch`).

    The worker checks its database connection between tasks (`close_old_connections`); inside the test's
    transaction autocommit is off, so Django would drop the connection (PostgreSQL) and the test's data with it.
    The check is left out here only: in production the worker runs in autocommit and keeps it.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


def sms_texts(settings) -> list[str]:
    path = Path(settings.MOTCUA_OUTBOX_DIR) / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


@override_settings(TASKS=DATABASE_TASKS)
def test_the_request_only_queues_and_the_worker_delivers(
    setup, client, settings, django_capture_on_commit_callbacks, run_worker
):
    staff, dossier = setup
    client.force_login(staff.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ho-so/{dossier.code}/thao-tac/",
            {"action": "request_supplement", "items": "Bản sao hợp đồng thuê nhà"},
        )
    assert response.status_code == 302
    rows = Notification.objects.filter(dossier=dossier, event="supplement_requested")
    # the request wrote the rows and one delivery task, and sent nothing
    assert {n.channel for n in rows} == {"email", "sms", "zalo"}
    assert {n.status for n in rows} == {"pending"}
    assert mail.outbox == [] and not any("hợp đồng thuê nhà" in text for text in sms_texts(settings))
    task = DBTaskResult.objects.get(task_path=DELIVER)
    assert task.status == "READY"
    assert sorted(task.args_kwargs["args"][0]) == sorted(n.pk for n in rows)

    run_worker()

    assert {n.status for n in rows.all()} == {"sent"}
    assert len(mail.outbox) == 1 and "Bản sao hợp đồng thuê nhà" in mail.outbox[0].body
    assert any("hợp đồng thuê nhà" in text for text in sms_texts(settings))
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value["sent"] == 3


@pytest.fixture
def broken_sms(settings):
    @notifiers.register("broken_background_test")
    class Broken(notifiers["sms_sandbox"]):
        def send(self, recipient, subject, body):
            raise SendError("SMS gateway down")

    settings.MOTCUA_NOTIFIERS = {**DEFAULT_NOTIFIERS, "sms": {"plugin": "broken_background_test"}}
    yield
    notifiers.unregister("broken_background_test")


@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_send_in_the_worker_stays_visible_and_is_queued_again_for_later(
    setup, broken_sms, settings, monday_morning, django_capture_on_commit_callbacks, run_worker
):
    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
    run_worker()
    sms = Notification.objects.get(dossier=dossier, event="supplement_requested", channel="sms")
    assert sms.status == "failed" and sms.attempts == 1 and "SMS gateway down" in sms.last_error
    email = Notification.objects.get(dossier=dossier, event="supplement_requested", channel="email")
    assert email.status == "sent"
    # the worker queued the retry for the row's next attempt time, not before
    retry = DBTaskResult.objects.get(task_path=DELIVER, status="READY")
    assert retry.run_after == sms.next_attempt_at and retry.args_kwargs["args"][0] == [sms.pk]
    run_worker()
    sms.refresh_from_db()
    assert sms.attempts == 1  # not due yet: nothing ran
    # the gateway comes back; when the retry is due, the worker sends it
    settings.MOTCUA_NOTIFIERS = DEFAULT_NOTIFIERS
    monday_morning.shift(datetime.timedelta(minutes=2))
    run_worker()
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.attempts == 2
    assert any("Bản sao sổ hộ khẩu" in text for text in sms_texts(settings))


@override_settings(TASKS=DATABASE_TASKS)
def test_a_notification_whose_task_was_lost_is_sent_by_the_retry_command(
    setup, django_capture_on_commit_callbacks
):
    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
    DBTaskResult.objects.all().delete()  # the queue was emptied before any worker ran
    assert Notification.objects.filter(dossier=dossier, status="pending").count() == 3
    call_command("send_notifications", verbosity=0)
    assert Notification.objects.filter(dossier=dossier, status="sent").count() == 3


@override_settings(TASKS=DATABASE_TASKS)
def test_a_row_sent_meanwhile_is_not_sent_twice_by_its_task(
    setup, django_capture_on_commit_callbacks, run_worker
):
    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
    services.send_due()
    assert len(mail.outbox) == 1
    run_worker()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(task_path=DELIVER).return_value["skipped"] == 3


def test_a_change_rolled_back_queues_nothing(setup, django_capture_on_commit_callbacks):
    from django.db import transaction

    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.filter(event="supplement_requested").exists()
