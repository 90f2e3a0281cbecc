"""A short-lived, per-process cache of the reference data that every request reads.

Every API call reads rows that change a few times a day at most: the API token and its user, the staff member's
assignments and the agencies they cover, the procedure and its process template with its steps. Through the
ORM those reads cost more CPU than everything else an intake does in the dossiers app. `ReferenceCache` keeps
what was read for ``MOTCUA_REFERENCE_CACHE_SECONDS`` (2 s by default; 0 turns the cache off, as the test settings
do), so a busy process reads each row about once every two seconds instead of on every request.

What this means for a change of reference data:
- saved through the models (the admin, the services), it clears the caches of the process that saved it at once
  (`clear_on_change` connects the models' save and delete signals);
- in another process, or written without signals (bulk updates), it is seen at the latest after the interval.
  A revoked token or a withdrawn assignment therefore stops working everywhere within two seconds.

Values are shared by the requests of a process: callers hand out copies (`copy.copy` of a model instance copies
its cached relations too), never the cached object itself.
"""

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from motcua.db_routing import primary_reads

_caches: list["ReferenceCache"] = []
# Beyond this many entries a cache starts again empty (a bound on memory, e.g. against many distinct tokens).
MAX_ENTRIES = 5000


def lifetime() -> float:
    return float(getattr(settings, "MOTCUA_REFERENCE_CACHE_SECONDS", 2.0) or 0)


class ReferenceCache:
    """key -> (monotonic time read, value); `get(key, load)` returns the value, reading it again with `load()`
    when it is older than the lifetime. `load` may return None: "not found" is not kept.

    `load` reads the primary (motcua.db_routing), even inside a replica-reads scope: a row read stale from a replica
    would be kept for the lifetime and used by pages that write. A cache that only public read pages use (the
    catalog search's pages) says `replica_ok=True`: its loads read wherever the caller's scope reads."""

    def __init__(self, name: str, *, replica_ok: bool = False):
        self.name = name
        self.replica_ok = replica_ok
        self._data: dict = {}
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, key, load):
        seconds = lifetime()
        if not self.replica_ok:
            load = primary_reads()(load)
        if seconds <= 0:
            return load()
        now = time.monotonic()
        entry = self._data.get(key)
        if entry is not None and now - entry[0] < seconds:
            return entry[1]
        value = load()
        if value is not None:
            with self._lock:
                if len(self._data) >= MAX_ENTRIES:
                    self._data.clear()
                self._data[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all(*args, **kwargs) -> None:
    """Forget every cached reference row of this process."""
    for cache in _caches:
        cache.clear()


def clear_on_change(*models) -> None:
    """Clear this process's caches whenever one of these models is saved or deleted here."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(clear_all, sender=model, weak=False, dispatch_uid=f"refcache-save-{label}")
        post_delete.connect(clear_all, sender=model, weak=False, dispatch_uid=f"refcache-delete-{label}")
