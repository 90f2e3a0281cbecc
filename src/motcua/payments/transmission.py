"""The outbox of e-receipts to the tax authority: each issued receipt is signed and sent once accepted.

Off unless the deployment configures MOTCUA_TAX_RECEIPTS = {"plugin": "http", "base_url": ..., "access_token":
...} (whether receipts of fees and charges must be sent to the tax authority one by one was not found in the
rules; registration and the periodic usage report are). The plugin "sandbox" (the local sandbox started by
`motcua run_tax_receipt_sandbox`) works only with DEBUG or MOTCUA_DEMO_MODE; the production checks refuse it.

When on, every new receipt gets a `ReceiptTransmission` row in the transaction that issues it (a post_save
hook, beside the issuing service). `deliver_pending()` (`motcua send_tax_receipts`, run by the scheduler):
1. claims a due row with a short lease (a conditional UPDATE, so two workers never send the same receipt and no
   transaction stays open during the HTTP call);
2. signs the receipt's XML the first time (`ereceipts`) and keeps it: a resend is byte-for-byte the same;
3. sends it: accepted → the tax authority's code is kept; refused → listed as refused with its reason, for a
   person (never resent by itself); unknown outcome (outage, timeout, 5xx) or a signing failure → retried after
   MOTCUA_TAX_RECEIPTS_RETRY_BASE_SECONDS (60) doubled per attempt up to MOTCUA_TAX_RECEIPTS_RETRY_MAX_SECONDS
   (6 h); after MOTCUA_TAX_RECEIPTS_MAX_ATTEMPTS (10) attempts listed as failed. `resend()` puts a failed or
   refused receipt back in the queue.

**Cancellations.** When a receipt with an outbox row is voided (`on_voided`, in the voiding transaction), a second
row of kind "cancel" is queued: once the receipt itself is accepted, the signed cancellation notice (HBLai, in
the same schema, signed like the receipt and naming the tax authority's code of the receipt) goes through the
same claim / retry / refusal steps. A receipt voided before it was ever sent is not sent at all, and neither is
its cancellation (both rows end "skipped"); a receipt the tax authority refused needs no cancellation.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import safety

from .models import Receipt, ReceiptTransmission

logger = logging.getLogger(__name__)
SANDBOX_PLUGIN = "sandbox"
LEASE = datetime.timedelta(minutes=2)


def configured() -> dict | None:
    return getattr(settings, "MOTCUA_TAX_RECEIPTS", None) or None


def is_enabled() -> bool:
    config = configured()
    if not config:
        return False
    return config.get("plugin") != SANDBOX_PLUGIN or safety.demo_allowed()


def get_connector():
    from motcua.integrations.tax_receipts import tax_receipt_connectors

    config = dict(configured() or {})
    plugin = config.pop("plugin", "http")
    if plugin == SANDBOX_PLUGIN and not safety.demo_allowed():
        raise ValidationError(_("Cơ quan thuế thử nghiệm chỉ dùng được ở bản trình diễn."))
    return plugin, tax_receipt_connectors.build(plugin, config)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def backoff(attempts: int) -> datetime.timedelta:
    base = _setting("MOTCUA_TAX_RECEIPTS_RETRY_BASE_SECONDS", 60)
    ceiling = _setting("MOTCUA_TAX_RECEIPTS_RETRY_MAX_SECONDS", 6 * 3600)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), ceiling))


def enqueue(receipt: Receipt) -> ReceiptTransmission | None:
    if not is_enabled():
        return None
    plugin = (configured() or {}).get("plugin", "http")
    row, _created = ReceiptTransmission.objects.get_or_create(
        receipt=receipt,
        kind=ReceiptTransmission.Kind.RECEIPT,
        defaults={"connector": plugin, "next_attempt_at": timezone.now()},
    )
    return row


def on_voided(receipt: Receipt) -> ReceiptTransmission | None:
    """Queue the cancellation of a voided receipt that has (or may have) reached the tax authority: called in the
    voiding transaction. Nothing when the receipt was never queued or the tax authority refused it."""
    sent = ReceiptTransmission.objects.filter(receipt=receipt, kind=ReceiptTransmission.Kind.RECEIPT).first()
    if sent is None or sent.state in (ReceiptTransmission.State.REJECTED, ReceiptTransmission.State.SKIPPED):
        return None
    row, _created = ReceiptTransmission.objects.get_or_create(
        receipt=receipt,
        kind=ReceiptTransmission.Kind.CANCELLATION,
        defaults={"connector": sent.connector, "next_attempt_at": timezone.now()},
    )
    return row


@receiver(post_save, sender=Receipt, dispatch_uid="payments.transmission.enqueue")
def _enqueue_new_receipt(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        enqueue(instance)


def reference(receipt: Receipt, kind: str = ReceiptTransmission.Kind.RECEIPT) -> str:
    key = (
        f"{receipt.book.agency_id}-{receipt.book.template_no}-{receipt.book.series}-{receipt.number_display}"
    )
    return key if kind == ReceiptTransmission.Kind.RECEIPT else f"{key}-huy"


@dataclass
class PassReport:
    accepted: int = 0
    refused: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    waiting: int = 0


def _claim(row: ReceiptTransmission, now) -> bool:
    claimed = ReceiptTransmission.objects.filter(
        pk=row.pk, state=ReceiptTransmission.State.PENDING, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=now + LEASE)
    return bool(claimed)


def _retry(row: ReceiptTransmission, now, message: str, report: PassReport) -> None:
    row.attempts += 1
    row.message = message[:500]
    if row.attempts >= _setting("MOTCUA_TAX_RECEIPTS_MAX_ATTEMPTS", 10):
        row.state = ReceiptTransmission.State.FAILED
        row.next_attempt_at = None
        report.failed += 1
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        report.retried += 1
    row.save(update_fields=["attempts", "message", "state", "next_attempt_at", "signed_xml"])


def deliver_pending(now=None, limit: int = 200) -> PassReport:
    """Send the due receipts (oldest first); see the module's documentation."""
    from motcua.integrations.tax_receipts import TransmissionError

    from . import ereceipts

    report = PassReport()
    if not is_enabled():
        return report
    now = now or timezone.now()
    _plugin, connector = get_connector()
    due = ReceiptTransmission.objects.filter(
        state=ReceiptTransmission.State.PENDING, next_attempt_at__lte=now
    ).select_related("receipt__book__agency")
    rows = list(due.order_by("next_attempt_at", "id")[:limit])
    rows.sort(key=lambda r: r.kind != ReceiptTransmission.Kind.RECEIPT)  # a receipt before its cancellation
    for row in rows:
        if not _claim(row, now):
            continue
        cancelling = row.kind == ReceiptTransmission.Kind.CANCELLATION
        if cancelling:
            sent = ReceiptTransmission.objects.get(receipt=row.receipt, kind=ReceiptTransmission.Kind.RECEIPT)
            if sent.state != ReceiptTransmission.State.ACCEPTED:
                _wait_or_skip(row, sent, now, report)
                continue
        elif row.receipt.status == Receipt.Status.VOIDED and row.attempts == 0:
            _skip(row, report)  # voided before it was ever sent: the tax authority never hears of it
            continue
        try:
            if not row.signed_xml:
                if cancelling:
                    xml = ereceipts.signed_cancellation_xml(row.receipt, sent.tax_code)
                else:
                    xml = ereceipts.signed_receipt_xml(row.receipt)
                row.signed_xml = xml.decode("utf-8")
            send = connector.cancel if cancelling else connector.send
            result = send(row.signed_xml.encode("utf-8"), reference(row.receipt, row.kind))
        except ValidationError as error:  # no certificate, unreadable key, XML against the schema
            _retry(row, now, " ".join(error.messages), report)
            continue
        except TransmissionError as error:
            _retry(row, now, str(error), report)
            continue
        row.attempts += 1
        row.message = result.message
        row.next_attempt_at = None
        if result.accepted:
            row.state, row.tax_code, row.sent_at = ReceiptTransmission.State.ACCEPTED, result.code, now
            report.accepted += 1
        else:
            row.state = ReceiptTransmission.State.REJECTED
            report.refused += 1
        row.save()
    return report


def _skip(row: ReceiptTransmission, report: PassReport) -> None:
    row.state, row.next_attempt_at = ReceiptTransmission.State.SKIPPED, None
    row.save(update_fields=["state", "next_attempt_at"])
    report.skipped += 1


def _wait_or_skip(row: ReceiptTransmission, sent: ReceiptTransmission, now, report: PassReport) -> None:
    """A cancellation whose receipt is not accepted: skipped when the receipt never will be (skipped, refused),
    else looked at again later (the receipt is still being sent, or failed and may be resent by a person)."""
    if sent.state in (ReceiptTransmission.State.SKIPPED, ReceiptTransmission.State.REJECTED):
        _skip(row, report)
        return
    row.next_attempt_at = max(sent.next_attempt_at or now, now) + backoff(1)
    row.save(update_fields=["next_attempt_at"])
    report.waiting += 1


def resend(row: ReceiptTransmission) -> ReceiptTransmission:
    """Put a failed or refused receipt back in the queue (after a person fixed the cause)."""
    if row.state not in (ReceiptTransmission.State.FAILED, ReceiptTransmission.State.REJECTED):
        raise ValidationError(_("Chỉ gửi lại được biên lai gửi không thành công hoặc bị từ chối."))
    row.state = ReceiptTransmission.State.PENDING
    row.attempts = 0
    row.signed_xml = ""  # signed again: the cause may have been the content or the certificate
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["state", "attempts", "signed_xml", "next_attempt_at"])
    return row
