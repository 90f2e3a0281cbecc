"""A per-process cache of the reference data that every request reads, kept until that data changes.

Every API call reads rows that change a few times a day at most: the API token and its user, the staff member's
assignments and the agencies they cover, the procedure and its process template with its steps. Through the
ORM those reads cost more CPU than everything else an intake does in the dossiers app. `ReferenceCache` keeps
what was read until the reference data changes, so a busy process reads each row once, not once per request.

How a change is noticed (the staleness bound is ``MOTCUA_REFERENCE_CACHE_SECONDS``, 2 s by default; 0 turns the
cache off, as the test settings do):
- the database keeps a change stamp, one row of `STAMP_TABLE`; triggers on every table the caches read
  (migration dossiers 0007) add one to it in the same transaction as any insert, update or delete of those
  tables — saved through the models or not: the admin, bulk `QuerySet.update`, migrations, the reorganisation
  command, the catalog import, raw SQL, another process. Writes that no cached value shows (an API token's
  "last used", a user's "last login") do not count as changes;
- a process reads the stamp at most once per bound (one query for all its caches) and forgets every cached row
  when it has moved. A revoked token or a withdrawn assignment therefore stops working everywhere within the
  bound, as when rows simply expired after it, but a row that has not changed is not read again;
- saved through the models here, a change also clears this process's caches at once (`clear_on_change` connects
  the models' save and delete signals), and again when its transaction commits.

The stamp is global rather than per table: a change of any watched table clears every cache, as the signals
always did; reference data changes a few times a day, and one row is the cheapest check. A cache filled from a
read replica (`replica_ok=True`, the public search pages) still also lets its rows expire after the bound, since a
replica may have been behind when the row was read.

Values are shared by the requests of a process: callers hand out copies (`copied`: the instance's own fields and
its own dict of cached relations), never the cached object itself.
"""

import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from motcua.db_routing import primary_reads

_caches: list["ReferenceCache"] = []
# The models whose changes clear the caches; each has a change-stamp trigger (checked by a test).
watched_models: list = []
# Beyond this many entries a cache starts again empty (a bound on memory, e.g. against many distinct tokens).
MAX_ENTRIES = 5000

STAMP_TABLE = "motcua_reference_stamp"
STAMP_NAME = "reference"

# The stamp this process has seen, and when (monotonic) it last read it; None: read it before the next lookup.
_stamp_lock = threading.Lock()
_stamp = {"value": None, "checked_at": None}


def lifetime() -> float:
    return float(getattr(settings, "MOTCUA_REFERENCE_CACHE_SECONDS", 2.0) or 0)


def read_stamp():
    """The database's reference change stamp (None if its row is missing), read on the primary."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {STAMP_TABLE} WHERE name = %s", [STAMP_NAME])
        row = cursor.fetchone()
    return None if row is None else row[0]


def _check_stamp(now: float, seconds: float) -> None:
    """Once per bound: read the stamp and clear every cache if it moved since the last reading."""
    checked_at = _stamp["checked_at"]
    if checked_at is not None and now - checked_at < seconds:
        return
    with _stamp_lock:
        checked_at = _stamp["checked_at"]
        if checked_at is not None and now - checked_at < seconds:
            return  # another thread has just checked
        value = read_stamp()
        if value != _stamp["value"] or value is None:
            for cache in _caches:
                cache.clear()
        _stamp["value"] = value
        _stamp["checked_at"] = now


def copied(instance):
    """`copy.copy(instance)` of a model instance (its own field values and its own dict of cached relations, the
    related objects themselves shared), without the copy module's generic path through pickling's hooks (about a
    fifth of its CPU): how callers hand out their own copy of a cached row."""
    state = instance.__dict__.copy()
    model_state = instance._state
    own_state = state["_state"] = type(model_state).__new__(type(model_state))
    own_state.__dict__.update(model_state.__dict__)
    own_state.fields_cache = model_state.fields_cache.copy()
    clone = type(instance).__new__(type(instance))
    clone.__dict__.update(state)
    return clone


def _on_primary(load):
    def on_primary():
        with primary_reads():
            return load()

    return on_primary


class ReferenceCache:
    """key -> (monotonic time read, value); `get(key, load)` returns the value, reading it with `load()` when it
    is not cached. `load` may return None: "not found" is not kept.

    `load` reads the primary (motcua.db_routing), even inside a replica-reads scope: a row read stale from a replica
    would be kept until the next change and used by pages that write. A cache that only public read pages use (the
    catalog search's pages) says `replica_ok=True`: its loads read wherever the caller's scope reads, and its rows
    also expire after the bound."""

    def __init__(self, name: str, *, replica_ok: bool = False):
        self.name = name
        self.replica_ok = replica_ok
        self._data: dict = {}
        self._generation = 0  # moved by clear(): a value loaded before a clear is not stored after it
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, key, load):
        seconds = lifetime()
        if not self.replica_ok:
            load = _on_primary(load)
        if seconds <= 0:
            return load()
        now = time.monotonic()
        _check_stamp(now, seconds)
        entry = self._data.get(key)
        if entry is not None and (not self.replica_ok or now - entry[0] < seconds):
            return entry[1]
        generation = self._generation
        value = load()
        if value is not None:
            with self._lock:
                if generation == self._generation:
                    if len(self._data) >= MAX_ENTRIES:
                        self._data.clear()
                    self._data[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._data.clear()


def clear_all(*args, **kwargs) -> None:
    """Forget every cached reference row of this process (the stamp is read again before the next lookup)."""
    for cache in _caches:
        cache.clear()
    _stamp["checked_at"] = None


def _clear_now_and_on_commit(*args, using=None, **kwargs) -> None:
    # Now, so that the saving request reads its own change; on commit, because another thread of this process may
    # have read the row again before the change was committed.
    clear_all()
    transaction.on_commit(clear_all, using=using)


def clear_on_change(*models) -> None:
    """Clear this process's caches whenever one of these models is saved or deleted here (the change stamp's
    triggers, installed by a migration for each of them, tell the other processes)."""
    for model in models:
        label = model._meta.label_lower
        if model not in watched_models:
            watched_models.append(model)
        post_save.connect(
            _clear_now_and_on_commit, sender=model, weak=False, dispatch_uid=f"refcache-save-{label}"
        )
        post_delete.connect(
            _clear_now_and_on_commit, sender=model, weak=False, dispatch_uid=f"refcache-delete-{label}"
        )
        if model._meta.auto_created:  # a many-to-many table: `.add()` and `.remove()` send no post_save
            m2m_changed.connect(
                _clear_now_and_on_commit, sender=model, weak=False, dispatch_uid=f"refcache-m2m-{label}"
            )
