"""Which dossier changes the applicant is told about (after the change has committed).

A payment is requested either by the dossier transition "request_financial_obligation" (status 6) or by fee
lines becoming due (the cashier computes the dossier's fees, or prices a line the catalog leaves to the
provincial council): both tell the applicant, with the amount to pay and where to pay online.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from motcua.dossiers.signals import dossier_changed
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


@receiver(dossier_changed, dispatch_uid="notifications.on_dossier_changed")
def on_dossier_changed(sender, dossier, event, **kwargs):
    kind = event_for(event)
    if kind is None:
        return
    extra = {"reason": event.note or dossier.closing_reason}
    if kind == Event.PAYMENT_REQUESTED:
        extra.update(payment_context(dossier))
    try:
        notify_dossier(dossier, kind, extra=extra)
    except Exception:  # the change itself is committed; a notification failure must not hide it
        logger.exception("could not queue notifications", extra={"dossier": dossier.pk, "event": kind})


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
    """Tell the applicant what to pay, once the fee lines that became due are committed.

    Sent only when every due line is priced, and once for a set of changes: not again if the applicant was
    already told after the last due line was computed or adjusted.
    """
    from motcua.dossiers.models import Dossier
    from motcua.payments.fees import payable

    from .models import Notification

    dossier = Dossier.objects.select_related("procedure", "applicant", "submitter").get(pk=dossier_id)
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
def on_fee_line_saved(sender, instance, **kwargs):
    """A fee line that is due (and priced) asks the applicant to pay: tell them after the commit."""
    if instance.status != "due" or instance.amount <= 0 or instance.needs_amount:
        return
    dossier_id = instance.dossier_id

    def tell():
        try:
            notify_payment_requested(dossier_id)
        except Exception:  # the fees are committed; a notification failure must not hide them
            logger.exception("could not queue notifications", extra={"dossier": dossier_id})

    transaction.on_commit(tell)
