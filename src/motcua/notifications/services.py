"""Tell citizens what happened to their dossier: render the templates, queue, send, retry.

    notify_dossier(dossier, Event.RECEIVED, extra={...})   # inside the change's transaction
    send_due()                                              # send every due row (the worker and the command)

A notification row is written first (status "pending"), in the change's transaction; the sending itself is
background work: once the change has committed, `tasks.deliver_due` is queued with `background.enqueue_soon`, so a
burst of changes costs one queued run, which sends every due row in batches. A rolled back change leaves no row
and queues nothing. A failed send keeps the row with the error, counts the attempt and schedules the next one (1,
5, 30 minutes, 2 hours, 12 hours). After `MAX_ATTEMPTS` the row is marked "gave up" and stays visible in the
outbox for staff, who can send it again.

No double send: a batch is claimed with `SELECT … FOR UPDATE SKIP LOCKED` and its outcomes are written before the
locks are released, so two workers (or the worker and `send_notifications`) never take the same row, and a sent
row is no longer due. A worker that dies in the middle of a batch rolls it back: those rows are sent again later
(at least once, never silently dropped).
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import connections, router, transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format

from motcua.refcache import ReferenceCache, copied

from .models import ChannelKind, Event, Notification, NotificationTemplate
from .notifiers import SendError, configured, notifier_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# Variables added to a dossier's notification: callables (dossier, event) -> dict.
# (This part adds feedback's evaluation link at ready(); citizens adds the list of originals to bring.)
context_providers: list = []
BACKOFF_MINUTES = (1, 5, 30, 120, 720)


def public_url(path: str) -> str:
    return getattr(settings, "MOTCUA_PUBLIC_URL", "").rstrip("/") + path


def _fmt(value) -> str:
    if not value:
        return ""
    return date_format(timezone.localtime(value), "d/m/Y H:i")


def dossier_context(dossier, extra: dict | None = None) -> dict:
    from django.urls import reverse

    from motcua.dossiers.deadlines import deadlines
    from motcua.dossiers.states import PortalStatus

    # the one deadline function: the appointment is the legal due instant unless an apology letter moved it
    found = deadlines(dossier)
    context = {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "applicant": dossier.applicant.name,
        "status": str(PortalStatus(dossier.status).label),
        "received_at": _fmt(dossier.received_at),
        "appointment_at": _fmt(found.appointment.at),
        "due_at": _fmt(found.legal.at),
        "items": "; ".join(dossier.supplement_items or []),
        "reason": dossier.closing_reason,
        "lookup_link": public_url(
            reverse("citizens:lookup") + (f"?code={dossier.code}" if dossier.code else "")
        ),
        "link": public_url(reverse("citizens:home")),
        "evaluation_link": "",
        "amount": "",
        "bring": "",
    }
    for provider in context_providers:
        context.update(provider(dossier, extra.get("_event", "") if extra else "") or {})
    context.update({k: v for k, v in (extra or {}).items() if not k.startswith("_")})
    return context


@functools.lru_cache(maxsize=256)
def compiled(source: str) -> Template:
    """The compiled form of a template text (keyed by the text itself, so an administrator's edit is a new key)."""
    return Template(source)


def render(template: NotificationTemplate, context: dict) -> tuple[str, str]:
    def run(source: str) -> str:
        return compiled(source).render(Context(context, autoescape=False)).strip()

    return run(template.subject), run(template.body)


def recipients(dossier) -> dict[str, str]:
    """Where to reach the applicant: e-mail, and the phone for SMS and Zalo."""
    people = [p for p in (dossier.submitter, dossier.applicant) if p is not None]
    email = next((p.email for p in people if p.email), "")
    phone = next((p.phone for p in people if p.phone), "")
    return {ChannelKind.EMAIL: email, ChannelKind.SMS: phone, ChannelKind.ZALO: phone}


# event -> its active templates, read once per process until the reference data changes (see motcua.refcache; an
# administrator's edit applies at once in the process that saved it, within two seconds in the others).
_templates = ReferenceCache("notification templates")


def active_templates(event: str) -> list[NotificationTemplate]:
    """The active templates of `event` (this caller's own copies)."""
    found = _templates.get(
        event, lambda: list(NotificationTemplate.objects.filter(event=event, is_active=True))
    )
    return [copied(template) for template in found]


def notify_dossier(dossier, event: str, extra: dict | None = None) -> list[Notification]:
    """Write this event's notifications to the dossier's applicant on every configured channel and queue them.

    The rows are returned as written ("pending"); the task worker sends them once the change has committed (at
    once with the immediate backend).
    """
    if event not in Event.values:
        raise ValueError(f"unknown notification event {event!r}")
    reach = recipients(dossier)
    channels = configured()
    templates = [
        template
        for template in active_templates(event)
        if reach.get(template.channel) and channels.get(template.channel)
    ]
    if not templates:
        return []
    context = dossier_context(dossier, {**(extra or {}), "_event": event})
    rows = []
    for template in templates:
        subject, body = render(template, context)
        rows.append(
            Notification(
                event=event,
                channel=template.channel,
                recipient=reach[template.channel],
                subject=subject[:200],
                body=body,
                dossier=dossier,
            )
        )
    # One INSERT for every channel's row; the sending is queued once the change has committed (one queued run
    # for a burst of changes in this process, see `background.enqueue_soon`).
    created = Notification.objects.bulk_create(rows)
    transaction.on_commit(queue_sending)
    return created


def queue_sending() -> None:
    """Queue a run of the worker's sending soon (one for a burst of changes in this process)."""
    from motcua import background

    from .tasks import SEND_DELAY, deliver_due

    try:
        background.enqueue_soon(deliver_due, delay=SEND_DELAY)
    except Exception:  # the change is committed; its rows stay due for the next run or `send_notifications`
        logger.exception("could not queue the sending of notifications")


# What a send changes on its row (written for a whole batch by one UPDATE).
OUTCOME_FIELDS = ["status", "attempts", "last_error", "next_attempt_at", "provider_reference", "sent_at"]
BATCH_SIZE = 100


def _send(notification: Notification, now: datetime.datetime, notifiers: dict) -> None:
    """Send one claimed notification and record the outcome on the object (not saved); never raises."""
    notification.attempts += 1
    try:
        if notification.channel not in notifiers:
            notifiers[notification.channel] = notifier_for(notification.channel)
        notifier = notifiers[notification.channel]
        if notifier is None:
            raise SendError("channel is switched off in the configuration")
        reference = notifier.send(notification.recipient, notification.subject, notification.body)
    except Exception as exc:  # any failure is recorded and retried, never dropped
        notification.last_error = str(exc)[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.GAVE_UP
            notification.next_attempt_at = None
        else:
            notification.status = Notification.Status.FAILED
            delay = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
            notification.next_attempt_at = now + datetime.timedelta(minutes=delay)
        logger.warning(
            "notification not sent",
            extra={"notification": notification.pk, "channel": notification.channel, "error": str(exc)},
        )
    else:
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.provider_reference = (reference or "")[:200]
        notification.next_attempt_at = None
        notification.last_error = ""


def attempt(notification: Notification, now: datetime.datetime | None = None) -> Notification:
    """Try to send one notification now and record the outcome; never raises for a failed send."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status == Notification.Status.SENT:
            return notification
        notifiers: dict = {}
        try:
            _send(notification, now, notifiers)
        finally:
            _close_all(notifiers)
        notification.save(update_fields=OUTCOME_FIELDS)
    return notification


def _close_all(notifiers: dict) -> None:
    for notifier in notifiers.values():
        if notifier is not None:
            notifier.close()


class Drained:
    """What one drain did: counts by outcome, the next attempt times of the rows it failed, whether it stopped at
    its limit with rows possibly still due."""

    def __init__(self):
        self.counts = {"sent": 0, "failed": 0, "gave_up": 0}
        self.retry_at: dict[
            int, datetime.datetime
        ] = {}  # attempts -> the latest next attempt among those rows
        self.more = False


def send_batch(now: datetime.datetime, size: int = BATCH_SIZE, drained: Drained | None = None) -> int:
    """Claim up to `size` due notifications (rows another transaction holds are skipped), send them and write
    the outcomes, in one transaction; returns how many were claimed."""
    drained = drained or Drained()
    with transaction.atomic():
        batch = list(Notification.objects.due(now).select_for_update(skip_locked=True).order_by("id")[:size])
        if not batch:
            return 0
        notifiers: dict = {}  # channel -> its notifier, built once for the batch
        try:
            for notification in batch:
                _send(notification, now, notifiers)
                drained.counts[
                    notification.status if notification.status in drained.counts else "failed"
                ] += 1
                if notification.status == Notification.Status.FAILED:
                    latest = drained.retry_at.get(notification.attempts)
                    if latest is None or notification.next_attempt_at > latest:
                        drained.retry_at[notification.attempts] = notification.next_attempt_at
        finally:
            _close_all(notifiers)
        write_outcomes(batch)
    return len(batch)


def write_outcomes(batch: list[Notification]) -> None:
    """Write the outcome fields of a batch of rows: on PostgreSQL one `UPDATE … FROM (VALUES …)`, elsewhere one
    prepared UPDATE run for every row (`executemany`). Django's `bulk_update` writes the same with one statement
    too, but builds a CASE expression per field and row, which cost ten times the CPU of the sending itself."""
    db = connections[router.db_for_write(Notification)]
    quote = db.ops.quote_name
    meta = Notification._meta
    pk = meta.pk
    fields = [meta.get_field(name) for name in OUTCOME_FIELDS]
    rows = [
        [pk.get_db_prep_value(n.pk, db)] + [f.get_db_prep_value(getattr(n, f.attname), db) for f in fields]
        for n in batch
    ]
    table = quote(meta.db_table)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            columns = [pk, *fields]
            row = "(" + ", ".join(f"%s::{f.cast_db_type(db)}" for f in columns) + ")"
            cursor.execute(
                f"UPDATE {table} AS n SET "
                + ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
                + f" FROM (VALUES {', '.join([row] * len(rows))})"
                + f" AS v({', '.join(quote(f.column) for f in columns)})"
                + f" WHERE n.{quote(pk.column)} = v.{quote(pk.column)}",
                [value for values in rows for value in values],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET "
                + ", ".join(f"{quote(f.column)} = %s" for f in fields)
                + f" WHERE {quote(pk.column)} = %s",
                [values[1:] + values[:1] for values in rows],
            )


def drain(now: datetime.datetime | None = None, limit: int | None = None, size: int = BATCH_SIZE) -> Drained:
    """Send every due notification, batch after batch, until none is left (or `limit` rows were claimed)."""
    drained = Drained()
    claimed = 0
    while limit is None or claimed < limit:
        wanted = size if limit is None else min(size, limit - claimed)
        taken = send_batch(now or timezone.now(), wanted, drained)
        claimed += taken
        if taken < wanted:
            return drained
    drained.more = True
    return drained


def send_due(now: datetime.datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Send (or retry) every notification whose attempt is due; the counts by outcome."""
    return drain(now, limit).counts


def retry_now(notification: Notification) -> Notification:
    """Staff send a failed (or given-up) notification again now."""
    if notification.status == Notification.Status.GAVE_UP:
        Notification.objects.filter(pk=notification.pk).update(attempts=MAX_ATTEMPTS - 1)
        notification.refresh_from_db()
    return attempt(notification)
