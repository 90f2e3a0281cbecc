"""Background sending of notifications (Django's Tasks API, django-tasks).

A dossier change writes the notification rows (status "pending") and, once the change has committed, enqueues
`deliver` with their ids; the worker (`motcua db_worker`, started by `make run`) sends them. A failed send is
recorded on the row (see `services.attempt`) and, when the backend can run a task later, `deliver` enqueues itself
again for the row's next attempt time. Whatever the backend, `motcua send_notifications` retries every due row, so a
task that was lost (a worker that died, a queue that was emptied) never drops a notification.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

logger = logging.getLogger(__name__)


@task()
def deliver(notification_ids: list[int]) -> dict[str, int]:
    """Send the notifications that are due among `notification_ids`; schedule the retry of the failed ones."""
    from .models import Notification
    from .services import attempt

    now = timezone.now()
    counts = {"sent": 0, "failed": 0, "gave_up": 0, "skipped": 0}
    retry = {}
    # Only rows still due: a row sent (or retried) meanwhile by `send_notifications` or staff is left alone.
    for notification in Notification.objects.due(now).filter(pk__in=notification_ids).order_by("id"):
        result = attempt(notification, now)
        counts[result.status if result.status in counts else "failed"] += 1
        if result.status == Notification.Status.FAILED and result.next_attempt_at:
            retry.setdefault(result.next_attempt_at, []).append(result.pk)
    counts["skipped"] = len(notification_ids) - sum(counts.values())
    for when, ids in retry.items():
        enqueue(ids, run_after=when)
    return counts


def enqueue(notification_ids: list[int], run_after=None) -> None:
    """Queue the sending of these rows; a queue that refuses leaves them pending for `send_notifications`."""
    if not notification_ids:
        return
    try:
        if run_after is not None:
            if not task_backends[deliver.backend].supports_defer:
                return  # `send_notifications` retries them at their next attempt time
            deliver.using(run_after=run_after).enqueue(list(notification_ids))
        else:
            deliver.enqueue(list(notification_ids))
    except Exception:
        logger.exception("could not queue notifications", extra={"notifications": list(notification_ids)})


def enqueue_on_commit(notification_ids: list[int]) -> None:
    """Queue the sending once the current transaction (if any) has committed."""
    ids = list(notification_ids)
    transaction.on_commit(lambda: enqueue(ids))
