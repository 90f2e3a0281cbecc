"""Delivery threads (`portal_outbox_worker --threads`): dossiers go side by side, each dossier's messages still in
order and once; an unreachable portal stops the pass; the worker's pool lends a connection to every thread."""

import datetime
import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import ConnectionHandler
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers import services
from motcua.national_portal import conf, outbox
from motcua.national_portal.management.commands.portal_outbox_worker import fit_pool
from motcua.national_portal.models import OutboxMessage
from motcua.national_portal.simulator import SimulatorServer

from .conftest import assert_each_dossier_delivered_once_in_order, portal_settings, simulator_state
from .factories import ProcedureWithProcessFactory, received

# The delivery threads read with connections of their own: what they deliver must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def threads_share_the_database():
    """The threaded tests need a database that other connections can write beside this one: the in-memory
    SQLite of the tests locks whole tables between connections (a file database in WAL mode, as `make run`
    has, waits for the lock instead), so they run on PostgreSQL (CI runs the suite there too)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Chỉ chạy trên PostgreSQL: SQLite trong bộ nhớ của bộ kiểm thử khóa cả bảng giữa các kết nối."
        )


def dossiers_with_history(count: int, steps: int = 2) -> list:
    procedure = ProcedureWithProcessFactory()
    actor = UserFactory(is_superuser=True, is_staff=True)
    dossiers = []
    for _ in range(count):
        dossier = received(procedure, actor)
        for _step in range(steps):
            dossier = services.advance(dossier, actor, note="Đã xử lý")
        dossiers.append(dossier)
    return dossiers


class CountingConnector:
    """The real connector, with a pause in each call and the number of calls in flight at once recorded."""

    def __init__(self, connector, pause: float = 0.03):
        self.connector, self.pause = connector, pause
        self.config = connector.config
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0

    def call(self, operation, payload):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(self.pause)  # a real portal answers in hundreds of milliseconds
            return self.connector.call(operation, payload)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_threads_deliver_dossiers_side_by_side_each_in_order_and_once(portal_on, threads_share_the_database):
    dossiers = dossiers_with_history(8)
    connector = CountingConnector(conf.get_connector())
    with outbox.DeliveryThreads(4) as executor:
        report = outbox.deliver_pending(connector, executor=executor)
    assert report.delivered == OutboxMessage.objects.count() == 24
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}
    assert connector.most_in_flight > 1
    assert_each_dossier_delivered_once_in_order(simulator_state(portal_on), dossiers)


def test_without_threads_one_dossier_is_delivered_at_a_time(portal_on):
    dossiers_with_history(3, steps=0)
    connector = CountingConnector(conf.get_connector())
    report = outbox.deliver_pending(connector)
    assert report.delivered == 3
    assert connector.most_in_flight == 1


def test_the_worker_command_with_threads_delivers_everything_once(portal_on, threads_share_the_database):
    dossiers = dossiers_with_history(6)
    out = io.StringIO()
    call_command("portal_outbox_worker", "--once", "--threads", "3", stdout=out)
    assert "Đã gửi 18" in out.getvalue()
    assert_each_dossier_delivered_once_in_order(simulator_state(portal_on), dossiers)


def test_an_unreachable_portal_stops_the_threaded_pass_and_fails_nothing(
    settings, threads_share_the_database
):
    server = SimulatorServer(port=0).start()
    url = server.url
    server.stop()
    settings.NATIONAL_PORTAL = portal_settings(url)
    dossiers_with_history(6, steps=0)
    with outbox.DeliveryThreads(2) as executor:
        report = outbox.deliver_pending(conf.get_connector(), executor=executor)
    assert report.unreachable
    assert report.delivered == 0 and report.failed == 0
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.PENDING}
    # every message that was tried waits for the next pass, none longer than an outage's first backoff
    later = timezone.now() + datetime.timedelta(seconds=conf.retry_base() + 1)
    assert not OutboxMessage.objects.filter(next_attempt_at__gt=later).exists()


def test_zero_threads_is_refused_in_vietnamese_and_nothing_is_sent(portal_on):
    received(ProcedureWithProcessFactory(), UserFactory(is_superuser=True))
    with pytest.raises(CommandError, match="--threads phải từ 1 trở lên"):
        call_command("portal_outbox_worker", "--once", "--threads", "0", stdout=io.StringIO())
    assert OutboxMessage.objects.get().state == OutboxMessage.State.PENDING


def test_the_worker_widens_a_pool_smaller_than_its_threads_and_leaves_the_rest():
    handler = ConnectionHandler(
        {
            "outbox_small_pool": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "unused",
                "OPTIONS": {"pool": {"min_size": 1, "max_size": 2, "timeout": 10}},
            },
            "outbox_large_pool": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "unused",
                "OPTIONS": {"pool": {"max_size": 9}},
            },
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        }
    )
    fit_pool(5, handler)
    assert handler["outbox_small_pool"].settings_dict["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 5,
        "timeout": 10,
    }
    assert handler["outbox_large_pool"].settings_dict["OPTIONS"]["pool"] == {"max_size": 9}
    assert "pool" not in handler["default"].settings_dict["OPTIONS"]
