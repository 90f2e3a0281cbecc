"""Notifications leave the request: the change queues a run after commit (one for a burst of changes), the task
worker sends every due row in batches, each exactly once; a failed send stays visible on its row and is retried, by
the worker itself when the backend can run a task later; `send_notifications` sends whatever a lost task left."""

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.notifications import services, tasks
from motcua.notifications.models import Notification
from motcua.notifications.notifiers import DEFAULT_NOTIFIERS, SendError, notifiers

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The queue also holds the runs other apps queue after a dossier change (the reports' facts refresh).
DELIVER = "motcua.notifications.tasks.deliver_due"


@pytest.fixture
def setup(monday_morning):
    procedure = ProcedureWithProcessFactory(name="Đăng ký thành lập hộ kinh doanh")
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(phone="0912345678", email="hoa@example.vn", name="Nguyễn Thị Hoa")
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    # The intake wrote its own "received" rows in its transaction: send them, so that each test sees its own.
    services.send_due()
    mail.outbox.clear()
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


def after_the_send_delay(clock) -> None:
    """Move the clock past the short wait between a change and the run that sends its notifications."""
    clock.shift(datetime.timedelta(seconds=tasks.SEND_DELAY + 1))


@override_settings(TASKS=DATABASE_TASKS)
def test_the_request_only_queues_and_the_worker_delivers(
    setup, client, settings, monday_morning, django_capture_on_commit_callbacks, run_worker
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
    # the request wrote the rows and queued one run a moment later, and sent nothing
    assert {n.channel for n in rows} == {"email", "sms", "zalo"}
    assert {n.status for n in rows} == {"pending"}
    assert mail.outbox == [] and not any("hợp đồng thuê nhà" in text for text in sms_texts(settings))
    task = DBTaskResult.objects.get(task_path=DELIVER)
    assert task.status == "READY"
    assert task.run_after > task.enqueued_at

    after_the_send_delay(monday_morning)
    run_worker()

    assert {n.status for n in rows.all()} == {"sent"}
    assert len(mail.outbox) == 1 and "Bản sao hợp đồng thuê nhà" in mail.outbox[0].body
    assert any("hợp đồng thuê nhà" in text for text in sms_texts(settings))
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == {"sent": 3, "failed": 0, "gave_up": 0}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_burst_of_intakes_queues_one_run_and_the_worker_sends_each_notification_once(
    settings, monday_morning, django_capture_on_commit_callbacks, run_worker, monkeypatch
):
    # The burst must fit in the wait before the run, however slow the machine (the wait is real seconds).
    monkeypatch.setattr(tasks, "SEND_DELAY", 60.0)
    procedure = ProcedureWithProcessFactory(name="Đăng ký thành lập hộ kinh doanh")
    staff = StaffSet(procedure)
    dossiers = []
    for n in range(12):
        applicant = ApplicantFactory(phone=f"09120000{n:02d}", email=f"dan{n}@example.vn")
        with django_capture_on_commit_callbacks(execute=True):
            dossiers.append(
                dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
            )
    assert Notification.objects.filter(status="pending").count() == 36
    [run] = DBTaskResult.objects.filter(task_path=DELIVER)
    assert run.task_path == "motcua.notifications.tasks.deliver_due"

    after_the_send_delay(monday_morning)
    run_worker()
    run_worker()  # nothing left to do: nothing is sent again

    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"dan{n}@example.vn" for n in range(12))
    texts = sms_texts(settings)
    assert len(texts) == 12
    assert all(sum(dossier.code in text for text in texts) == 1 for dossier in dossiers)
    run.refresh_from_db()
    assert run.return_value == {"sent": 36, "failed": 0, "gave_up": 0}


def test_a_backlog_is_sent_in_batches_with_one_statement_for_the_outcomes_of_each(
    django_assert_max_num_queries, settings
):
    NotificationFactory.create_batch(150, channel="sms")
    # per batch: the claim, the outcomes' UPDATE and the transaction's savepoint or commit statements
    with django_assert_max_num_queries(12):
        assert services.drain(size=100).counts == {"sent": 150, "failed": 0, "gave_up": 0}
    assert len(sms_texts(settings)) == 150
    assert Notification.objects.filter(status="sent", attempts=1, next_attempt_at=None).count() == 150


MAIL_CONNECTIONS = []


class CountingMailBackend(locmem.EmailBackend):
    """The test mail outbox, noting each connection made to the "mail server"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        MAIL_CONNECTIONS.append(self)


def test_the_emails_of_a_batch_share_one_connection_to_the_mail_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingMailBackend"
    MAIL_CONNECTIONS.clear()
    NotificationFactory.create_batch(5, channel="email", recipient="hoa@example.vn", subject="Hồ sơ")
    assert services.send_due()["sent"] == 5
    assert len(mail.outbox) == 5 and len(MAIL_CONNECTIONS) == 1


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
    after_the_send_delay(monday_morning)
    run_worker()
    sms = Notification.objects.get(dossier=dossier, event="supplement_requested", channel="sms")
    assert sms.status == "failed" and sms.attempts == 1 and "SMS gateway down" in sms.last_error
    email = Notification.objects.get(dossier=dossier, event="supplement_requested", channel="email")
    assert email.status == "sent"
    # the worker queued one run for the failed rows' next attempt time, not before
    retry = DBTaskResult.objects.get(task_path=DELIVER, status="READY")
    assert retry.run_after == sms.next_attempt_at
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
    assert not DBTaskResult.objects.filter(task_path=DELIVER, status="READY").exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_many_failed_sends_in_one_run_queue_one_retry_run(broken_sms, monday_morning, run_worker):
    NotificationFactory.create_batch(8, channel="sms")
    tasks.deliver_due.enqueue()
    run_worker()
    failed = Notification.objects.filter(status="failed", attempts=1)
    assert failed.count() == 8
    [retry] = DBTaskResult.objects.filter(task_path=DELIVER, status="READY")
    assert retry.run_after == max(n.next_attempt_at for n in failed)


@override_settings(TASKS=DATABASE_TASKS)
def test_a_run_that_reaches_its_limit_queues_the_next_one_so_a_backlog_is_all_sent(
    settings, monkeypatch, run_worker
):
    monkeypatch.setattr(tasks, "RUN_LIMIT", 5)
    NotificationFactory.create_batch(12, channel="sms")
    tasks.deliver_due.enqueue()
    run_worker()
    assert Notification.objects.filter(status="sent").count() == 12 and len(sms_texts(settings)) == 12
    runs = DBTaskResult.objects.filter(task_path=DELIVER).order_by("enqueued_at")
    assert [run.return_value["sent"] for run in runs] == [5, 5, 2]


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
    assert (
        Notification.objects.filter(dossier=dossier, event="supplement_requested", status="sent").count() == 3
    )


@override_settings(TASKS=DATABASE_TASKS)
def test_a_row_sent_meanwhile_is_not_sent_twice_by_the_queued_run(
    setup, monday_morning, django_capture_on_commit_callbacks, run_worker
):
    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
    services.send_due()
    assert len(mail.outbox) == 1
    after_the_send_delay(monday_morning)
    run_worker()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(task_path=DELIVER).return_value == {"sent": 0, "failed": 0, "gave_up": 0}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_run_queued_by_the_previous_version_still_sends(
    setup, django_capture_on_commit_callbacks, run_worker
):
    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
    DBTaskResult.objects.all().delete()
    rows = Notification.objects.filter(dossier=dossier, event="supplement_requested")
    tasks.deliver.enqueue([row.pk for row in rows])  # as the previous version queued them, one run per change
    run_worker()
    assert [row.status for row in rows.all()] == ["sent"] * 3
    assert len(mail.outbox) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_a_change_rolled_back_queues_and_sends_nothing(
    setup, monday_morning, django_capture_on_commit_callbacks, run_worker
):
    staff, dossier = setup
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.filter(event="supplement_requested").exists()
    assert not DBTaskResult.objects.filter(task_path=DELIVER).exists()
    after_the_send_delay(monday_morning)
    run_worker()
    assert not any("sổ hộ khẩu" in m.body for m in mail.outbox)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_never_send_a_notification_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SKIP LOCKED row claims are what this test is about")
    sent: list[str] = []

    @notifiers.register("counting_test")
    class Counting(notifiers["sms_sandbox"]):
        def send(self, recipient, subject, body):
            sent.append(recipient)
            threading.Event().wait(0.002)  # a gateway's round trip: the other worker runs meanwhile
            return f"ref-{recipient}"

    rows = Notification.objects.bulk_create(
        Notification(event="received", channel="sms", recipient=f"09{n:08d}", body="Hồ sơ đã được tiếp nhận.")
        for n in range(200)
    )
    barrier = threading.Barrier(2)

    def work(_worker):
        try:
            barrier.wait()
            return services.drain(size=10).counts["sent"]
        finally:
            connection.close()

    try:
        with (
            override_settings(MOTCUA_NOTIFIERS={"sms": {"plugin": "counting_test"}}),
            ThreadPoolExecutor(2) as pool,
        ):
            shares = list(pool.map(work, range(2)))
    finally:
        notifiers.unregister("counting_test")
    assert sorted(sent) == sorted(row.recipient for row in rows)  # each exactly once
    assert sum(shares) == 200 and min(shares) > 0  # both workers sent, neither took the other's rows
    assert Notification.objects.filter(status="sent", attempts=1).count() == 200
