"""Tell citizens what happened to their dossier: render the templates, queue, send, retry.

    notify_dossier(dossier, Event.RECEIVED, extra={...})   # after the change has committed
    send_due()                                              # retry what failed (the command calls it)

A notification row is written first (status "pending"); the sending itself is background work (`tasks.deliver`,
enqueued after commit and run by the task worker), so a slow or broken gateway never slows a dossier change. A
failed send keeps the row with the error, counts the attempt and schedules the next one (1, 5, 30 minutes, 2 hours, 12 hours). After
`MAX_ATTEMPTS` the row is marked "gave up" and stays visible in the outbox for staff, who can send it again.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format

from .models import ChannelKind, Event, Notification, NotificationTemplate
from .notifiers import SendError, notifier_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# Other parts add variables to a dossier's notification: callables (dossier, event) -> dict.
# (feedback adds the evaluation link, citizens the list of originals to bring.)
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

    from motcua.dossiers.states import PortalStatus

    context = {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "applicant": dossier.applicant.name,
        "status": str(PortalStatus(dossier.status).label),
        "received_at": _fmt(dossier.received_at),
        "appointment_at": _fmt(dossier.appointment_at),
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


def notify_dossier(dossier, event: str, extra: dict | None = None) -> list[Notification]:
    """Write this event's notifications to the dossier's applicant on every configured channel and queue them.

    The rows are returned as written ("pending"); the task worker sends them (at once with the immediate backend).
    """
    if event not in Event.values:
        raise ValueError(f"unknown notification event {event!r}")
    context = dossier_context(dossier, {**(extra or {}), "_event": event})
    reach = recipients(dossier)
    rows = []
    for template in NotificationTemplate.objects.filter(event=event, is_active=True):
        recipient = reach.get(template.channel, "")
        if not recipient or notifier_for(template.channel) is None:
            continue
        subject, body = render(template, context)
        rows.append(
            Notification(
                event=event,
                channel=template.channel,
                recipient=recipient,
                subject=subject[:200],
                body=body,
                dossier=dossier,
            )
        )
    if not rows:
        return []
    # One INSERT for every channel's row, then one task for all of them (the database returns the new ids).
    created = Notification.objects.bulk_create(rows)
    from .tasks import enqueue_on_commit

    enqueue_on_commit([notification.pk for notification in created])
    return created


def attempt(notification: Notification, now: datetime.datetime | None = None) -> Notification:
    """Try to send one notification now and record the outcome; never raises for a failed send."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status == Notification.Status.SENT:
            return notification
        notification.attempts += 1
        try:
            notifier = notifier_for(notification.channel)
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
        notification.save()
    return notification


def send_due(now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Retry every notification whose next attempt is due."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for notification in list(Notification.objects.due(now).order_by("next_attempt_at", "id")[:limit]):
        result = attempt(notification, now)
        counts[{"sent": "sent", "failed": "failed", "gave_up": "gave_up"}.get(result.status, "failed")] += 1
    return counts


def retry_now(notification: Notification) -> Notification:
    """Staff send a failed (or given-up) notification again now."""
    if notification.status == Notification.Status.GAVE_UP:
        Notification.objects.filter(pk=notification.pk).update(attempts=MAX_ATTEMPTS - 1)
        notification.refresh_from_db()
    return attempt(notification)
