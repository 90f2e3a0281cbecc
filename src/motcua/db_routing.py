"""Read replicas: which reads may go to a streaming replica of the PostgreSQL primary (DATABASE_REPLICA_URLS).

A replica replays the primary's write-ahead log a little behind it (milliseconds on a healthy network, more under
load): what a request has just written may not be there yet. So a read goes to a replica only when the code says
it may, by entering `replica_reads()` (a context manager and a decorator), and only for pages that never show
what the same person has just written: the reports and their exports, the monitoring lists and dashboard, the
public status lookup and the public catalog search. Everything else reads the primary, and inside such a scope the
router still sends to the primary:

- every write (`db_for_write` is always the primary), and `select_for_update()` / `get_or_create()` reads, which
  Django routes as writes;
- every read while the primary's connection is inside a transaction (`atomic`), which may hold rows that no
  replica can see;
- the tables whose staleness would be wrong for the person reading: sessions, users and permissions, API tokens,
  the shared cache (the lookup throttle's counters: a stale count would let a client through), the task queue
  and the login throttle;
- whatever runs under `primary_reads()` (the reference cache loads its rows there: a row read stale from a
  replica would otherwise be kept for the cache's lifetime and used by pages that write).

Without replicas configured, `replica_reads()` changes nothing. The router allows relations between the primary
and its replicas (they hold the same rows) and migrations only on the primary.
"""

import contextlib
import contextvars
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# The apps whose rows are always read on the primary ("django_cache" is the database cache's table).
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "accounts",
        "contenttypes",
        "apitokens",
        "django_cache",
        "axes",
        "django_tasks_db",
        "admin",
    }
)
# How long a test-mode read waits for a replica to replay the primary's log (MOTCUA_REPLICA_SYNC_READS).
SYNC_TIMEOUT_SECONDS = 10.0

_PRIMARY = "__primary__"
_scope: contextvars.ContextVar[str | None] = contextvars.ContextVar("motcua_replica_reads", default=None)


def replica_aliases() -> list[str]:
    """The database aliases of the configured replicas (settings.MOTCUA_DATABASE_REPLICAS), in order."""
    return [alias for alias in getattr(settings, "MOTCUA_DATABASE_REPLICAS", []) if alias in connections]


class _Scope(contextlib.ContextDecorator):
    def __init__(self, choose):
        self._choose = choose
        self._tokens = []

    def _recreate_cm(self):
        # As a decorator: a fresh scope for each call (calls may run at once in several threads).
        return type(self)(self._choose)

    def __enter__(self):
        self._tokens.append(_scope.set(self._choose()))
        return self

    def __exit__(self, *exc):
        _scope.reset(self._tokens.pop())
        return False


def _pick_replica() -> str:
    aliases = replica_aliases()
    # One replica for the whole scope, so that a page's reads are consistent with each other.
    return random.choice(aliases) if aliases else _PRIMARY


def replica_reads() -> _Scope:
    """Reads inside may go to a replica (one chosen for the whole scope); see the module's rules."""
    return _Scope(_pick_replica)


def primary_reads() -> _Scope:
    """Reads inside go to the primary, even within a `replica_reads()` scope."""
    return _Scope(lambda: _PRIMARY)


def current_replica() -> str | None:
    """The replica this scope reads from, or None when reads go to the primary."""
    alias = _scope.get()
    return None if alias in (None, _PRIMARY) else alias


def _in_transaction_on_primary() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


class _WriteWatch:
    """An execute wrapper on the primary's connection: notes that a statement other than a plain read ran since
    the replicas were last known to have caught up."""

    def __init__(self):
        self.dirty = True

    def __call__(self, execute, sql, params, many, context):
        if many or sql.lstrip()[:6].upper() != "SELECT" or "FOR UPDATE" in sql.upper():
            self.dirty = True
        return execute(sql, params, many, context)


def _write_watch(connection) -> _WriteWatch:
    for wrapper in connection.execute_wrappers:
        if isinstance(wrapper, _WriteWatch):
            return wrapper
    watch = _WriteWatch()
    connection.execute_wrappers.append(watch)
    return watch


def wait_for_replay(alias: str) -> None:
    """Wait until the replica `alias` has replayed everything the primary has written so far (PostgreSQL).

    Only the tests' replica mode does this before each replica read (MOTCUA_REPLICA_SYNC_READS), and only when
    the primary ran a write since the last wait: a test writes and reads back within milliseconds, where
    production accepts the lag on the pages listed above."""
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[alias]
    if primary.vendor != "postgresql" or replica.vendor != "postgresql":
        return
    watch = _write_watch(primary)
    if not watch.dirty:
        return
    watch.dirty = False  # set again by any write from here on, the LSN query below being a read
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + SYNC_TIMEOUT_SECONDS
    while True:
        with replica.cursor() as cursor:
            cursor.execute(
                "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(target)]
            )
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"The replica {alias} has not replayed the primary's log up to {target}.")
        time.sleep(0.005)


class ReplicaRouter:
    """Django's database router for the primary and its read replicas (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        alias = current_replica()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS or _in_transaction_on_primary():
            return DEFAULT_DB_ALIAS
        if getattr(settings, "MOTCUA_REPLICA_SYNC_READS", False):
            wait_for_replay(alias)
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        family = {DEFAULT_DB_ALIAS, *getattr(settings, "MOTCUA_DATABASE_REPLICAS", [])}
        if obj1._state.db in family and obj2._state.db in family:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS or db not in getattr(settings, "MOTCUA_DATABASE_REPLICAS", [])
