"""Enqueue the history the outbox never saw: dossiers changed while the connector was off (NATIONAL_PORTAL_URL
empty, so no outbox row was written) and history imported in bulk (the 2022 demo history is inserted without
signals). `motcua portal_backfill --since dd/mm/yyyy` is the documented way to sync such history.

For every dossier whose reception (or submission, or creation) falls in the period, every event without an
outbox row gets one, in event order. The worker then delivers each dossier in event order (it always takes the
dossier's oldest undelivered event first): the first message inserts the dossier as it is now, the next ones only
add their history entries (the dossier push is skipped when a later push already carried it).

Idempotent: an event has at most one outbox row (a unique key), so running the command again, or while the
connector is writing rows for new changes, adds nothing twice. Dossiers are read in batches (ids only) and rows
are written with bulk inserts, so a history of tens of thousands of dossiers is enqueued in seconds, in short
transactions. Online submissions that never got a code and were closed (withdrawn before reception) are left
out: the portal has nothing to hold for them.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import FINAL_STATES

from . import conf
from .models import OutboxMessage

BATCH_DOSSIERS = 500
INSERT_BATCH = 2000


@dataclass
class BackfillReport:
    dossiers: int = 0
    dossiers_enqueued: int = 0
    messages: int = 0
    already_queued: int = 0


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def dossiers_in_period(since: datetime.date, until: datetime.date | None = None):
    """The dossiers to sync, by reception (else submission, else creation) instant, oldest first."""
    queryset = (
        Dossier.objects.annotate(sync_from=Coalesce("received_at", "submitted_at", "created_at"))
        .filter(sync_from__gte=_start_of(since))
        .exclude((Q(code__isnull=True) | Q(code="")) & Q(state__in=FINAL_STATES))
    )
    if until is not None:
        queryset = queryset.filter(sync_from__lt=_start_of(until + datetime.timedelta(days=1)))
    return queryset.order_by("sync_from", "id")


def backfill(
    since: datetime.date,
    until: datetime.date | None = None,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_DOSSIERS,
    progress=None,
) -> BackfillReport:
    """Write the missing outbox rows of the period's dossiers. Raises ValidationError when the connector is off
    (rows would never be delivered) or the period is empty."""
    if not conf.is_enabled():
        raise ValidationError(
            _("Kết nối Cổng DVCQG đang tắt (NATIONAL_PORTAL_URL trống): bật kết nối trước khi đồng bộ bù.")
        )
    if until is not None and until < since:
        raise ValidationError(_("Từ ngày phải trước hoặc bằng đến ngày."))
    report = BackfillReport()
    ids = list(dossiers_in_period(since, until).values_list("id", flat=True))
    report.dossiers = len(ids)
    now = timezone.now()
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        events = DossierEvent.objects.filter(dossier_id__in=batch)
        missing = list(
            events.filter(portal_message__isnull=True)
            .order_by("dossier_id", "id")
            .values_list("id", "dossier_id")
        )
        report.already_queued += events.filter(portal_message__isnull=False).count()
        report.messages += len(missing)
        report.dossiers_enqueued += len({dossier_id for _id, dossier_id in missing})
        if missing and not dry_run:
            with transaction.atomic():
                OutboxMessage.objects.bulk_create(
                    [
                        OutboxMessage(dossier_id=dossier_id, event_id=event_id, next_attempt_at=now)
                        for event_id, dossier_id in missing
                    ],
                    batch_size=INSERT_BATCH,
                    ignore_conflicts=True,
                )
        if progress is not None:
            progress(min(start + batch_size, len(ids)), len(ids))
    return report
