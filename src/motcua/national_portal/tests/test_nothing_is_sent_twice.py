"""Ambiguous failures (timeouts, 5xx after processing) never make the portal hold a change twice, and an
unreachable portal gets everything, in order, once it is back."""

import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.national_portal import conf, outbox
from motcua.national_portal.models import OutboxMessage
from motcua.national_portal.simulator import SimulatorServer

from .conftest import (
    assert_each_dossier_delivered_once_in_order,
    portal_settings,
    simulator_post,
    simulator_state,
)
from .factories import advanced_to_the_end, received

pytestmark = pytest.mark.django_db


def drain_until_done(rounds=40):
    now = timezone.now()
    for _ in range(rounds):
        now += datetime.timedelta(hours=1)
        outbox.deliver_pending(conf.get_connector(), now=now)
        if not OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists():
            return


@pytest.mark.parametrize("transport", ["direct", "proxy"])
def test_a_timed_out_insert_is_looked_up_and_not_inserted_again(
    settings, portal_on, procedure, superuser, transport
):
    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, transport, timeout="0.3")
    simulator_post(
        portal_on, "faults", {"faults": [{"operation": "DongBoHoSoMC", "kind": "timeout", "delay": 0.8}]}
    )
    dossier = received(procedure, superuser)
    first = outbox.deliver_pending(conf.get_connector())
    assert first.retried == 1
    assert OutboxMessage.objects.get().ambiguous
    drain_until_done()
    stored = simulator_state(portal_on)["dossiers"][dossier.code]
    assert stored["_inserts"] == 1
    assert len(simulator_state(portal_on)["progress"]) == 1


def test_a_history_entry_processed_behind_a_5xx_is_not_sent_again(portal_on, procedure, superuser):
    simulator_post(
        portal_on, "faults", {"faults": [{"operation": "CapNhatTienDoHoSoMC", "kind": "http500_after"}]}
    )
    dossier = received(procedure, superuser)
    drain_until_done()
    entries = [e for e in simulator_state(portal_on)["progress"] if e["MaHoSo"] == dossier.code]
    assert len(entries) == 1
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT


def test_without_a_visible_history_an_ambiguous_entry_waits_for_a_person(portal_on, procedure, superuser):
    simulator_post(portal_on, "config", {"lookup_history": False})
    simulator_post(
        portal_on, "faults", {"faults": [{"operation": "CapNhatTienDoHoSoMC", "kind": "http500_after"}]}
    )
    received(procedure, superuser)
    drain_until_done()
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.FAILED
    assert "Gửi lại" in message.last_error
    assert len(simulator_state(portal_on)["progress"]) == 1


def test_a_refused_request_is_not_processed_and_is_retried(portal_on, procedure, superuser):
    simulator_post(portal_on, "faults", {"faults": [{"operation": "*", "kind": "http500", "count": 2}]})
    dossier = received(procedure, superuser)
    drain_until_done()
    state = simulator_state(portal_on)
    assert state["dossiers"][dossier.code]["_inserts"] == 1 and len(state["progress"]) == 1


N_DOSSIERS = 12


def test_everything_arrives_in_order_once_after_the_portal_comes_back(settings, procedure, superuser):
    """The acceptance scenario, smaller: the portal is down while dossiers are received and advanced."""
    server = SimulatorServer(port=0).start()
    url, port = server.url, server.port
    server.stop()  # down: the port is closed
    settings.NATIONAL_PORTAL = portal_settings(url)
    settings.NATIONAL_PORTAL_RETRY_BASE_SECONDS = 1
    settings.NATIONAL_PORTAL_RETRY_MAX_SECONDS = 4

    dossiers = []
    for n in range(N_DOSSIERS):
        dossier = received(procedure, superuser)
        if n % 3 == 0:
            dossier = advanced_to_the_end(dossier, superuser)
        elif n % 3 == 1:
            dossier = services.advance(dossier, superuser)
            dossier = services.request_supplement(dossier, superuser, ["Bản sao CCCD"])
        dossiers.append(dossier)
        report = outbox.deliver_pending(conf.get_connector())
        assert report.unreachable and report.delivered == 0

    server = SimulatorServer(port=port).start()
    try:
        drain_until_done()
        state = simulator_state(server)
    finally:
        server.stop()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}
    assert_each_dossier_delivered_once_in_order(state, dossiers)


def test_a_long_outage_never_makes_a_message_fail_for_good(settings, procedure, superuser):
    server = SimulatorServer(port=0).start()
    url = server.url
    server.stop()
    settings.NATIONAL_PORTAL = portal_settings(url)
    settings.NATIONAL_PORTAL_MAX_ATTEMPTS = 2
    received(procedure, superuser)
    now = timezone.now()
    for _ in range(5):
        now += datetime.timedelta(hours=1)
        outbox.deliver_pending(conf.get_connector(), now=now)
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 5
    assert "Không kết nối được" in message.last_error


def test_a_message_the_portal_keeps_failing_on_is_listed_after_the_last_attempt(
    settings, portal_on, procedure, superuser
):
    settings.NATIONAL_PORTAL_MAX_ATTEMPTS = 2
    simulator_post(portal_on, "faults", {"faults": [{"operation": "*", "kind": "http500", "count": 10}]})
    received(procedure, superuser)
    drain_until_done()
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.FAILED and message.attempts == 2
    assert "HTTP 500" in message.last_error and "500" in message.last_reply
