"""Coalesced background runs (Django's Tasks API, django-tasks).

Work that follows a change but need not happen inside its request (rebuilding the statistics facts of the
dossiers that changed, sending the notifications that are due) is done by a task that handles everything
pending at once. `enqueue_soon(task)` queues that task to run `delay` seconds from now, unless this process has
already queued a run that has not started its window yet: a change committed before that run starts is seen by
it, so a burst of a hundred intakes in a second costs one task row and one run instead of a hundred.

Call it after the change has committed (`transaction.on_commit`). Each process keeps its own note of the run it
queued, so nothing assumes one process: two processes each queue their own run, and the task itself must be
idempotent (handle what is pending, nothing else). A backend that cannot run a task later (the immediate backend
of the tests) runs it at once, every time.

Whatever is lost (a worker that died, a queue that was emptied), the pending work is still recorded in the
database; the periodic commands (`send_notifications`, `rollup_reports`) and the reports themselves pick it up.
"""

import datetime
import logging
import threading
import time

from django.utils import timezone
from django_tasks import task_backends

logger = logging.getLogger(__name__)

_lock = threading.Lock()
# task path -> the monotonic instant at which the run this process queued becomes due
_queued: dict[str, float] = {}
# A run queued this close to its start is not relied on (the worker's clock may run a little ahead of ours).
MARGIN = 0.2


def enqueue_soon(task, *, delay: float = 1.0) -> bool:
    """Queue one run of `task` (no arguments) about `delay` seconds from now, unless this process's previous
    run is still to come; returns whether a run was queued. A queue that refuses is logged, never raised: the
    pending work stays recorded for the next run."""
    backend = task_backends[task.backend]
    key = task.module_path
    if not backend.supports_defer:
        _enqueue(task, None)
        return True
    now = time.monotonic()
    with _lock:
        due = _queued.get(key)
        if due is not None and due - MARGIN > now:
            return False
        _queued[key] = now + delay
    if not _enqueue(task, timezone.now() + datetime.timedelta(seconds=delay)):
        with _lock:
            _queued.pop(key, None)
        return False
    return True


def _enqueue(task, run_after) -> bool:
    try:
        (task.using(run_after=run_after) if run_after is not None else task).enqueue()
    except Exception:
        logger.exception("could not queue a background run", extra={"task": task.module_path})
        return False
    return True


def forget() -> None:
    """Forget the runs this process has queued (tests; a forked process starts with its own notes)."""
    with _lock:
        _queued.clear()
