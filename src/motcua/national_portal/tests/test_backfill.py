"""Dossiers the outbox never saw (connector off, history inserted in bulk) are enqueued by `portal_backfill`, in
event order, once; the worker then delivers them to the simulator over real HTTP, each step once."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.national_portal import conf, outbox
from motcua.national_portal.backfill import backfill
from motcua.national_portal.models import OutboxMessage

from .conftest import portal_settings, simulator_state
from .factories import ApplicantFactory, received

pytestmark = pytest.mark.django_db


def later(seconds=3600):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def drain():
    return outbox.deliver_pending(conf.get_connector(), now=later())


@pytest.fixture
def switched_off_then_on(settings, portal_on):
    """Returns a function that turns the connector on (it starts off)."""
    settings.NATIONAL_PORTAL = {"url": ""}

    def switch_on():
        settings.NATIONAL_PORTAL = portal_settings(portal_on.url)

    return switch_on


def history(dossier):
    return list(dossier.events.order_by("id").values_list("to_status", flat=True))


def test_dossiers_changed_while_off_arrive_in_order_once_after_the_backfill(
    switched_off_then_on, portal_on, procedure, superuser
):
    quiet = services.advance(services.advance(received(procedure, superuser), superuser), superuser)
    assert OutboxMessage.objects.count() == 0
    switched_off_then_on()
    report = backfill(timezone.localdate())
    assert (report.dossiers, report.dossiers_enqueued, report.messages) == (1, 1, 3)
    drain()
    state = simulator_state(portal_on)
    stored = state["dossiers"][quiet.code]
    assert stored["_inserts"] == 1 and stored["TrangThaiHoSo"] == str(quiet.status)
    entries = [e["TrangThai"] for e in state["progress"] if e["MaHoSo"] == quiet.code]
    assert entries == [str(s) for s in history(quiet)]

    again = backfill(timezone.localdate())
    assert (again.messages, again.already_queued) == (0, 3)
    drain()
    assert len(simulator_state(portal_on)["progress"]) == 3
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def test_steps_missed_before_the_switch_go_before_the_steps_queued_after_it(
    switched_off_then_on, portal_on, procedure, superuser
):
    dossier = services.advance(received(procedure, superuser), superuser)
    switched_off_then_on()
    dossier = services.advance(dossier, superuser)  # written to the outbox at once
    report = backfill(timezone.localdate())
    assert report.messages == 2 and report.already_queued == 1
    drain()
    state = simulator_state(portal_on)
    assert [e["TrangThai"] for e in state["progress"]] == [str(s) for s in history(dossier)]
    assert state["dossiers"][dossier.code]["_inserts"] == 1


def test_only_the_period_is_enqueued_and_closed_unreceived_submissions_are_left_out(
    switched_off_then_on, procedure, superuser
):
    old = received(procedure, superuser)
    Dossier.objects.filter(pk=old.pk).update(received_at=timezone.now() - datetime.timedelta(days=40))
    recent = received(procedure, superuser)
    withdrawn = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
    services.withdraw(withdrawn, superuser, reason="Công dân rút hồ sơ trước khi tiếp nhận")
    # Submitted before online submissions got their code at once: closed without a code.
    Dossier.objects.filter(pk=withdrawn.pk).update(code=None)
    switched_off_then_on()
    report = backfill(timezone.localdate() - datetime.timedelta(days=7))
    assert report.dossiers == 1
    assert set(OutboxMessage.objects.values_list("dossier_id", flat=True)) == {recent.pk}


def test_the_queries_do_not_grow_with_the_number_of_dossiers_and_steps(
    switched_off_then_on, procedure, superuser
):
    """History inserted without signals (as the 2022 demo history is) is read by batches of ids."""

    def enqueue_counting_queries():
        with CaptureQueriesContext(connection) as queries:
            backfill(timezone.localdate(), batch_size=1000)
        return len(queries)

    for _ in range(3):
        received(procedure, superuser)
    switched_off_then_on()
    few = enqueue_counting_queries()
    OutboxMessage.objects.all().delete()
    for _ in range(12):
        services.advance(received(procedure, superuser), superuser)
    many = enqueue_counting_queries()
    assert OutboxMessage.objects.count() == DossierEvent.objects.count() == 3 + 12 * 2
    assert many == few


def test_small_batches_enqueue_everything_in_event_order(switched_off_then_on, procedure, superuser):
    dossiers = [services.advance(received(procedure, superuser), superuser) for _ in range(5)]
    switched_off_then_on()
    report = backfill(timezone.localdate(), batch_size=2)
    assert report.messages == 10 and report.dossiers_enqueued == 5
    for dossier in dossiers:
        rows = list(
            OutboxMessage.objects.filter(dossier=dossier).order_by("id").values_list("event_id", flat=True)
        )
        assert rows == list(dossier.events.order_by("id").values_list("id", flat=True))


def test_a_dry_run_writes_nothing(switched_off_then_on, procedure, superuser):
    received(procedure, superuser)
    switched_off_then_on()
    out = io.StringIO()
    call_command(
        "portal_backfill", "--since", timezone.localdate().strftime("%d/%m/%Y"), "--dry-run", stdout=out
    )
    assert "1 bản tin mới cho 1 hồ sơ" in out.getvalue() and "Chạy thử" in out.getvalue()
    assert OutboxMessage.objects.count() == 0
    call_command(
        "portal_backfill", "--since", timezone.localdate().strftime("%d/%m/%Y"), stdout=io.StringIO()
    )
    assert OutboxMessage.objects.count() == 1


def test_the_backfill_refuses_while_the_connector_is_off_and_bad_dates(settings, procedure, superuser):
    settings.NATIONAL_PORTAL = {"url": ""}
    received(procedure, superuser)
    with pytest.raises(ValidationError, match="đang tắt"):
        backfill(timezone.localdate())
    with pytest.raises(CommandError, match="đang tắt"):
        call_command("portal_backfill", "--since", "01/01/2022", stdout=io.StringIO())
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("portal_backfill", "--since", "2022-01-01", stdout=io.StringIO())
    settings.NATIONAL_PORTAL = {"url": "http://127.0.0.1:9"}
    with pytest.raises(CommandError, match="Từ ngày phải trước"):
        call_command(
            "portal_backfill", "--since", "02/01/2022", "--until", "01/01/2022", stdout=io.StringIO()
        )
    assert OutboxMessage.objects.count() == 0
