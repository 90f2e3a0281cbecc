"""Which dossier changes the applicant is told about (after the change has committed)."""

import logging

from django.dispatch import receiver

from motcua.dossiers.signals import dossier_changed
from motcua.dossiers.states import State

from .models import Event
from .services import notify_dossier

logger = logging.getLogger(__name__)


def event_for(event) -> str | None:
    """The notification event of a dossier event row, or None when the applicant is not told."""
    if event.action == "receive":
        return Event.RECEIVED
    if event.action == "request_supplement":
        return Event.SUPPLEMENT_REQUESTED
    if event.action == "refuse_intake":
        return Event.NOT_ACCEPTED
    if event.action == "apologize":
        return Event.APOLOGY
    if event.action == "advance" and event.to_state == State.RESULT_READY:
        return Event.RESULT_READY
    if event.action == "request_financial_obligation":
        return Event.PAYMENT_REQUESTED
    return None


@receiver(dossier_changed, dispatch_uid="notifications.on_dossier_changed")
def on_dossier_changed(sender, dossier, event, **kwargs):
    kind = event_for(event)
    if kind is None:
        return
    try:
        notify_dossier(dossier, kind, extra={"reason": event.note or dossier.closing_reason})
    except Exception:  # the change itself is committed; a notification failure must not hide it
        logger.exception("could not queue notifications", extra={"dossier": dossier.pk, "event": kind})
