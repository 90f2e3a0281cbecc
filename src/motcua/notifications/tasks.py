"""Background sending of notifications (Django's Tasks API, django-tasks).

A dossier change writes the notification rows (status "pending") and, once the change has committed, queues
`deliver_due` with `background.enqueue_soon`: a burst of changes in one process costs one queued run. The worker
(`motcua db_worker`, started by `make run`) runs it: it sends every due row in batches (`services.drain`: rows
claimed with `FOR UPDATE SKIP LOCKED`, outcomes written by one UPDATE per batch), so two workers never send the
same row. A failed send is recorded on its row; when the backend can run a task later, the run queues another one
for the rows' next attempt time. Whatever the backend, `motcua send_notifications` sends every due row, so a task
that was lost (a worker that died, a queue that was emptied) never drops a notification.
"""

import logging

from django_tasks import task, task_backends

logger = logging.getLogger(__name__)

# Seconds between a change and the run that sends its notifications (the changes of that window share the run).
SEND_DELAY = 1.0
# Rows one run sends at most; a run that stops there queues the next one at once, so that the worker's other
# tasks get their turn during a long backlog.
RUN_LIMIT = 2000


@task()
def deliver_due() -> dict[str, int]:
    """Send every notification that is due; queue a run for the next attempt of the ones that failed."""
    from .services import drain

    # A backend that runs tasks at once (the tests') sends the whole backlog in this run.
    deferred = task_backends[deliver_due.backend].supports_defer
    drained = drain(limit=RUN_LIMIT if deferred else None)
    if drained.more:
        enqueue_run()
    # One run per backoff step of the rows that failed here, at the latest next attempt among them: every row
    # is due by then, and a gateway that is down costs a few queued runs per run, not one per row.
    for when in sorted(set(drained.retry_at.values())):
        enqueue_run(when)
    return drained.counts


@task()
def deliver(notification_ids: list[int]) -> dict[str, int]:
    """Kept for the runs queued (one per change) before `deliver_due`: sends every due row, these among them."""
    return deliver_due.call()


def enqueue_run(run_after=None) -> None:
    """Queue a run of `deliver_due` (at `run_after`, when the backend can wait); a queue that refuses leaves the
    rows due for `send_notifications`."""
    try:
        if run_after is None:
            deliver_due.enqueue()
        elif task_backends[deliver_due.backend].supports_defer:
            deliver_due.using(run_after=run_after).enqueue()
    except Exception:
        logger.exception("could not queue the sending of notifications")
