"""Suite-wide test settings.

Hypothesis: no per-example deadline (CI machines are shared and slow), and in CI a derandomised search, so
that a run is reproducible and a green commit stays green; developers get fresh random examples locally.
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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files and notifier outboxes of a test go to its own temporary folder, never to ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_OUTBOX_DIR = tmp_path / "outbox"
    return settings.MEDIA_ROOT


@pytest.fixture
def monday_morning():
    """Monday 07/11/2022, 09:00 in Gia Bình: an ordinary working morning (time moves on)."""
    start = datetime.datetime(2022, 11, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
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
