"""Which dossier changes the applicant is told about, written in the transaction of the change (an outbox).

The notification rows of a change are written by the same transaction that appends its event row (or saves its
fee lines): the change and its rows commit together or not at all, so a process that dies right after the
commit (`kill -9`, a crash) never leaves a committed change without its notifications. The worker delivers the
rows (`tasks.deliver_due`, `send_notifications`).

A payment is requested either by the dossier transition "request_financial_obligation" (status 6) or by fee
lines becoming due (the cashier computes the dossier's fees, or prices a line the catalog leaves to the
provincial council): both tell the applicant, with the amount to pay and where to pay online.
"""

import logging

from django.db import DatabaseError
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.states import State

from .models import Event
from .services import notify_dossier, public_url

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


@receiver(post_save, sender=DossierEvent, dispatch_uid="notifications.on_dossier_event")
def on_dossier_event(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs):
    """Write the applicant's notifications of a new dossier event, inside the transaction that appends it."""
    if not created or raw:
        return
    kind = event_for(instance)
    if kind is None:
        return
    dossier = instance.dossier
    extra = {"reason": instance.note or dossier.closing_reason}
    try:
        if kind == Event.PAYMENT_REQUESTED:
            extra.update(payment_context(dossier))
        notify_dossier(dossier, kind, extra=extra)
    except DatabaseError:
        raise  # the transaction is broken: the change rolls back with its notifications
    except Exception:  # a template an administrator broke must not stop the change itself
        logger.exception("could not write notifications", extra={"dossier": dossier.pk, "event": kind})


def payment_context(dossier) -> dict:
    """The amount still due on the dossier's fee lines and the page where it is paid online."""
    from motcua.payments.fees import payable

    found = payable(dossier)
    return _payment_context(dossier, found[1]) if found else {}


def _payment_context(dossier, total: int) -> dict:
    from motcua.payments.words import format_vnd

    return {
        "amount": format_vnd(total),
        "link": public_url(reverse("payments:pay_dossier") + f"?ma_ho_so={dossier.code or ''}"),
    }


def notify_payment_requested(dossier_id: int) -> None:
    """Tell the applicant what to pay, in the transaction that made fee lines due.

    Sent only when every due line is priced, and once for a set of changes: the request not yet sent (written
    for an earlier line of the same change, or not yet picked by the worker) is replaced by one with the
    current total, and none is written if the applicant was already told after the last due line was computed
    or adjusted.
    """
    from motcua.dossiers.models import Dossier
    from motcua.payments.fees import payable

    from .models import Notification

    dossier = Dossier.objects.select_related("procedure", "applicant", "submitter").get(pk=dossier_id)
    # A row the worker holds is skipped by this DELETE once the worker commits (it is no longer pending).
    Notification.objects.filter(
        dossier=dossier, event=Event.PAYMENT_REQUESTED, status=Notification.Status.PENDING, attempts=0
    ).delete()
    found = payable(dossier)
    if found is None:
        return
    lines, total = found
    changed = max(max(line.created_at, line.adjusted_at or line.created_at) for line in lines)
    if Notification.objects.filter(
        dossier=dossier, event=Event.PAYMENT_REQUESTED, created_at__gte=changed
    ).exists():
        return
    notify_dossier(dossier, Event.PAYMENT_REQUESTED, extra=_payment_context(dossier, total))


@receiver(post_save, sender="payments.FeeLine", dispatch_uid="notifications.on_fee_line_saved")
def on_fee_line_saved(sender, instance, raw: bool = False, **kwargs):
    """A fee line that is due (and priced) asks the applicant to pay: written in the transaction of the line."""
    if raw or instance.status != "due" or instance.amount <= 0 or instance.needs_amount:
        return
    try:
        notify_payment_requested(instance.dossier_id)
    except DatabaseError:
        raise
    except Exception:  # a template an administrator broke must not stop the fees themselves
        logger.exception("could not write notifications", extra={"dossier": instance.dossier_id})
