"""Several history entries of one dossier travel in one CapNhatTienDoHoSoMC call (the contract's `data` is a
list), in event order, each once, whatever the portal answers."""

import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.national_portal import conf, outbox
from motcua.national_portal.models import OutboxMessage

from .conftest import portal_settings, simulator_post, simulator_state
from .factories import advanced_to_the_end, received

pytestmark = pytest.mark.django_db


def drain(rounds=40):
    now = timezone.now()
    for _ in range(rounds):
        now += datetime.timedelta(hours=1)
        outbox.deliver_pending(conf.get_connector(), now=now)
        if not OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists():
            return


def progress_calls(server) -> list:
    """(fault, number of entries) of each CapNhatTienDoHoSoMC call the simulator received."""
    return [
        (r["fault"], r["entries"])
        for r in simulator_state(server)["requests"]
        if r["operation"] == "CapNhatTienDoHoSoMC"
    ]


def entries_at_portal(server, dossier) -> list[str]:
    return [
        e["ThoiDiemXuLy"] + e["NoiDungXuLy"]
        for e in simulator_state(server)["progress"]
        if e["MaHoSo"] == dossier.code
    ]


def expected_entries(dossier) -> list[str]:
    from motcua.national_portal.payloads import progress_payload

    return [
        (lambda p: p["ThoiDiemXuLy"] + p["NoiDungXuLy"])(progress_payload(event, dossier.code))
        for event in dossier.events.order_by("id")
    ]


def finished_offline(settings, procedure, superuser):
    """A dossier received and advanced to its return while the worker did not run: six messages wait."""
    dossier = advanced_to_the_end(received(procedure, superuser), superuser)
    assert OutboxMessage.objects.filter(dossier=dossier, state="pending").count() == 6
    return dossier


def test_a_dossiers_waiting_steps_go_in_one_call_in_order(settings, portal_on, procedure, superuser):
    dossier = finished_offline(settings, procedure, superuser)
    report = outbox.deliver_pending(conf.get_connector())
    assert report.delivered == 6
    operations = [r["operation"] for r in simulator_state(portal_on)["requests"] if r["operation"] != "login"]
    assert operations == ["DongBoHoSoMC:insert", "CapNhatTienDoHoSoMC"]
    assert progress_calls(portal_on) == [("", 6)]
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}
    assert outbox.deliver_pending(conf.get_connector()).delivered == 0


@pytest.mark.parametrize("transport", ["direct", "proxy"])
def test_batches_are_cut_at_the_configured_size(settings, portal_on, procedure, superuser, transport):
    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, transport)
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = 4
    dossier = finished_offline(settings, procedure, superuser)
    drain()
    assert progress_calls(portal_on) == [("", 4), ("", 2)]
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)


def test_a_batch_size_of_one_sends_each_step_alone(settings, portal_on, procedure, superuser):
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = 1
    dossier = finished_offline(settings, procedure, superuser)
    drain()
    assert progress_calls(portal_on) == [("", 1)] * 6
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)


def test_a_step_newer_than_the_dossier_at_the_portal_waits_for_its_update(
    settings, portal_on, procedure, superuser
):
    dossier = services.advance(received(procedure, superuser), superuser, note="Đã xử lý")
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = 1
    outbox.deliver_pending(conf.get_connector(), limit=1)  # the dossier goes as it is after both steps
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = 10
    dossier = services.advance(dossier, superuser, note="Đã xử lý")  # a third step, unknown to the portal
    drain()
    operations = [r["operation"] for r in simulator_state(portal_on)["requests"] if r["operation"] != "login"]
    assert operations == [
        "DongBoHoSoMC:insert",
        "CapNhatTienDoHoSoMC",
        "CapNhatTienDoHoSoMC",  # the second step alone: the third is newer than the dossier the portal has
        "DongBoHoSoMC:update",
        "CapNhatTienDoHoSoMC",
    ]
    assert progress_calls(portal_on) == [("", 1)] * 3
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)


def test_a_batch_processed_behind_a_timeout_is_looked_up_and_not_sent_again(
    settings, portal_on, procedure, superuser
):
    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, timeout="0.3")
    simulator_post(
        portal_on,
        "faults",
        {"faults": [{"operation": "CapNhatTienDoHoSoMC", "kind": "timeout", "delay": 0.8}]},
    )
    dossier = finished_offline(settings, procedure, superuser)
    first = outbox.deliver_pending(conf.get_connector())
    assert first.retried == 1 and first.delivered == 0
    assert OutboxMessage.objects.filter(ambiguous=True).count() == 6  # every carried entry is in doubt
    drain()
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)  # each once, in order
    assert progress_calls(portal_on) == [("timeout", 6)]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def test_a_batch_partly_at_the_portal_sends_only_what_is_missing(settings, portal_on, procedure, superuser):
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = 3
    simulator_post(
        portal_on,
        "faults",
        {"faults": [{"operation": "CapNhatTienDoHoSoMC", "kind": "http500_after", "count": 1}]},
    )
    dossier = finished_offline(settings, procedure, superuser)
    drain()
    # first three processed behind a 500; the look-up shows them; the next three go in one call
    assert progress_calls(portal_on) == [("http500_after", 3), ("", 3)]
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)


def test_a_refused_batch_falls_back_to_the_oldest_step_alone(settings, portal_on, procedure, superuser):
    simulator_post(
        portal_on,
        "faults",
        {"faults": [{"operation": "CapNhatTienDoHoSoMC", "kind": "error_code", "code": "-1", "count": 1}]},
    )
    dossier = finished_offline(settings, procedure, superuser)
    drain()
    assert progress_calls(portal_on) == [("error_code", 6), ("", 1), ("", 5)]
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def test_a_step_the_portal_refuses_fails_alone_and_holds_the_later_ones(
    settings, portal_on, procedure, superuser
):
    simulator_post(
        portal_on,
        "faults",
        {
            "faults": [
                {
                    "operation": "CapNhatTienDoHoSoMC",
                    "kind": "error_code",
                    "code": "-1",
                    "message": "Sai",
                    "count": 2,
                }
            ]
        },
    )
    dossier = finished_offline(settings, procedure, superuser)
    drain()
    head, *later = OutboxMessage.objects.filter(dossier=dossier).order_by("event_id")
    assert head.state == OutboxMessage.State.FAILED and "Sai" in head.last_error
    assert {m.state for m in later} == {OutboxMessage.State.PENDING}  # they wait behind it, in order
    assert entries_at_portal(portal_on, dossier) == []
    outbox.resend(head.pk)
    drain()
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}


def test_a_pass_stops_at_its_limit_counting_the_carried_messages(settings, portal_on, procedure, superuser):
    finished_offline(settings, procedure, superuser)
    finished_offline(settings, procedure, superuser)
    report = outbox.deliver_pending(conf.get_connector(), limit=3)
    assert report.delivered == 6  # the first dossier's six steps in one call; the second waits
    assert OutboxMessage.objects.filter(state="pending").count() == 6


def test_without_a_visible_history_a_batch_in_doubt_waits_for_a_person_entry_by_entry(
    settings, portal_on, procedure, superuser
):
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = 3
    simulator_post(portal_on, "config", {"lookup_history": False})
    simulator_post(
        portal_on,
        "faults",
        {"faults": [{"operation": "CapNhatTienDoHoSoMC", "kind": "http500", "count": 1}]},
    )
    dossier = finished_offline(settings, procedure, superuser)
    drain()
    messages = list(OutboxMessage.objects.filter(dossier=dossier).order_by("event_id"))
    assert messages[0].state == OutboxMessage.State.FAILED and "Gửi lại" in messages[0].last_error
    assert [m.ambiguous for m in messages[1:3]] == [True, True]  # carried in the call that got the 500
    assert entries_at_portal(portal_on, dossier) == []  # nothing is sent again while in doubt
    # A person checks the portal (it lacks the entry) and resends it: it goes alone; its neighbour, in doubt
    # too, is not carried with it (that would make it fail again) and waits for its own check.
    outbox.resend(messages[0].pk)
    drain()
    messages = list(OutboxMessage.objects.filter(dossier=dossier).order_by("event_id"))
    assert messages[0].state == OutboxMessage.State.SENT
    assert messages[1].state == OutboxMessage.State.FAILED and messages[1].ambiguous
    assert {m.state for m in messages[2:]} == {OutboxMessage.State.PENDING}
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)[:1]


def test_a_message_comes_with_its_event_and_a_lone_one_looks_for_no_companions(
    portal_on, procedure, superuser
):
    """The history entry's event and agency are read with the message (not one statement each afterwards), and
    a dossier whose portal state is no newer than its head's event has no message that could ride along: no
    statement looks for one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = received(procedure, superuser)
    with CaptureQueriesContext(connection) as delivered:
        assert outbox.deliver_pending(conf.get_connector()).delivered == 1
    statements = [q["sql"] for q in delivered.captured_queries]
    assert not [sql for sql in statements if 'FROM "org_agency"' in sql]
    assert not [sql for sql in statements if sql.startswith('SELECT "dossiers_dossierevent"."id", ')]
    message_reads = [sql for sql in statements if sql.startswith('SELECT "national_portal_outboxmessage"')]
    assert len(message_reads) == 2  # the due heads, and the pass that finds none left
    # Every statement of a new dossier's delivery (a column the payload reads but the delivery's dossier read
    # leaves out would add one): the due heads, the claim, the dossier with its sync row and newest event, the
    # payload's presence flags, the sync row created once the portal answered, the outcome, and the next pass.
    assert len(statements) == 7, "\n".join(sql[:150] for sql in statements)
    assert entries_at_portal(portal_on, dossier) == expected_entries(dossier)
