"""Suite-wide test settings.

Hypothesis: no per-example deadline (CI machines are shared and slow), and in CI a derandomised search, so
that a run is reproducible and a green commit stays green; developers get fresh random examples locally.

The clock: `--now "YYYY-MM-DD HH:MM"` (or MOTCUA_TEST_NOW) runs the whole suite as if every test started at that
instant, Vietnam time (the clock ticks on from there; see `chosen_instant` for the exceptions). CI runs the time-sensitive apps at hostile instants (02:30
at night, 16:59 on the last working day before Tết, a swapped working Saturday, a Sunday, 31/12 23:30), so a test
whose outcome depends on when it runs, without pinning its own instant, fails there rather than at night on main.
A test that pins its own instant (time_machine, `monday_morning`) travels on from inside this one.
"""

import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        default=os.environ.get("MOTCUA_TEST_NOW") or None,
        help='run every test as if it started at this instant, Vietnam time ("2026-02-14 02:30")',
    )


def test_instant(config):
    """The instant given by --now / MOTCUA_TEST_NOW, aware in Vietnam time, or None for the real clock."""
    text = config.getoption("--now")
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise pytest.UsageError(
            f'--now / MOTCUA_TEST_NOW: "{text}" is not an instant like "2026-02-14 02:30"'
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


test_instant.__test__ = False  # a helper, not a test


def pytest_report_header(config):
    instant = test_instant(config)
    if instant is not None:
        return f"motcua: every test starts at {instant:%a %d/%m/%Y %H:%M %z} (--now / MOTCUA_TEST_NOW)"


@pytest.fixture(autouse=True)
def chosen_instant(request):
    """Under --now, every test starts at exactly the chosen instant (however long the tests before it took).

    Not the tests marked `real_clock`: they talk to a process that keeps the machine's clock and checks ours
    (a browser's cookies, an S3 server's request signatures), so a frozen clock would be a world that cannot
    exist. Session and module fixtures (the test database, servers) are set up at the real instant."""
    instant = test_instant(request.config)
    if instant is None or request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(instant, tick=True):
        yield instant


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files and notifier outboxes of a test go to its own temporary folder, never to ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_OUTBOX_DIR = tmp_path / "outbox"
    return settings.MEDIA_ROOT


@pytest.fixture
def monday_morning():
    """Monday 07/11/2022, 09:00 in Gia Bình: an ordinary working morning (time moves on)."""
    start = datetime.datetime(2022, 11, 7, 9, 0, tzinfo=VIETNAM)
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_background_notes():
    """`background.enqueue_soon` keeps a per-process note of the run it queued: every test starts without one
    (a run queued by an earlier test was rolled back with it)."""
    from motcua import background, refcache

    background.forget()
    refcache.clear_all()
    yield
    background.forget()
    refcache.clear_all()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language (Vietnamese): a request in English activates English
    for the thread that served it, which would otherwise leak into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Reference rows that data migrations load: the model that holds them, and the migrations' loaders in their order.
MIGRATED_REFERENCE_DATA = [
    (
        "reports.IndexVersion",
        [
            ("motcua.reports.migrations.0007_load_decision_766_2022", "load"),
            ("motcua.reports.migrations.0008_decision_766_average_time_indicator", "load"),
        ],
    ),
    ("dossiers.RegimePeriod", [("motcua.dossiers.migrations.0004_regime_periods", "default_periods")]),
]


@pytest.fixture(autouse=True)
def reference_data_after_a_flush(request):
    """A transactional test (every browser test, through the live server) empties every table when it ends, the
    rows loaded by data migrations included: each such test starts with those rows loaded again, as a real
    database has them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not transactional:
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for model, loaders in MIGRATED_REFERENCE_DATA:
        if not apps.get_model(model).objects.exists():
            for module, function in loaders:
                getattr(importlib.import_module(module), function)(apps, None)


def _flush_lifts_the_audit_delete_trigger() -> None:
    """On SQLite the test runner empties tables with DELETE (transactional tests), which the audit trail's
    append-only trigger refuses: the runner's own flush drops that trigger for its statements and restores it.
    (PostgreSQL flushes with TRUNCATE, which the trigger does not see; the role layout refuses it in production.)"""
    import importlib

    from django.db.backends.sqlite3.base import DatabaseOperations

    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "audit_auditentry" not in tables:
            return statements
        migration = importlib.import_module("motcua.audit.migrations.0003_audit_hash_chain")
        return ["DROP TRIGGER IF EXISTS audit_entry_no_delete;", *statements, migration.SQLITE_FORWARD[-1]]

    DatabaseOperations.sql_flush = sql_flush


_flush_lifts_the_audit_delete_trigger()


# CI's replica pass (DATABASE_REPLICA_URLS set: a real streaming replica of the test PostgreSQL, see .ci/replica.sh):
# the reports tests run transactionally (a replica only sees committed rows) and each inside a replica-reads scope,
# so that every read they make outside a transaction comes from the replica, after it has replayed the primary's
# log (motcua.test_settings: MOTCUA_REPLICA_SYNC_READS). Writes still go to the primary.
# The pending-facts tests are about the write side (what a request's own transaction leaves for the drain): they
# need the test's transaction and keep it, reading the primary as every read inside a transaction does.
REPLICA_PASS_PATHS = ("src/motcua/reports/",)
REPLICA_PASS_KEEPS_ITS_TRANSACTION = ("src/motcua/reports/tests/test_pending_facts.py",)


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("DATABASE_REPLICA_URLS"):
        return
    for item in items:
        path = str(item.path).replace(os.sep, "/")
        uses_database = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
            getattr(item, "fixturenames", ())
        )
        if any(path.endswith(kept) for kept in REPLICA_PASS_KEEPS_ITS_TRANSACTION):
            continue
        if uses_database and any(part in path for part in REPLICA_PASS_PATHS):
            item.add_marker(pytest.mark.django_db(transaction=True, databases="__all__"), append=False)
            item.motcua_replica_pass = True


@pytest.fixture(autouse=True)
def reads_from_the_replica(request):
    """In the replica pass (above), the test's reads go to the replica."""
    if not getattr(request.node, "motcua_replica_pass", False):
        yield
        return
    from motcua.db_routing import current_replica, replica_reads

    with replica_reads():
        assert current_replica(), "the replica pass needs DATABASE_REPLICA_URLS to name a replica"
        yield
