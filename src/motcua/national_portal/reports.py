"""Figures for the reports (Decision 766 group 1): dossiers synced, pending and failed, per agency and period.

A dossier counts once: "failed" when one of its messages failed, else "pending" when one waits, else "synced".
The period is the reception date (the portal's indicator 1.4 counts dossiers by NgayTiepNhan).
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q

from motcua.dossiers.models import Dossier

from .models import OutboxMessage


def _classified_dossiers(start: datetime.date, end: datetime.date):
    """The dossiers received in the period that have at least one portal message, each annotated with whether
    one of its messages failed (`any_failed`) or waits (`any_pending`): it is synced when neither."""

    def has(state):
        return Exists(OutboxMessage.objects.filter(dossier=OuterRef("pk"), state=state))

    return (
        Dossier.objects.filter(received_at__date__gte=start, received_at__date__lte=end)
        .filter(Exists(OutboxMessage.objects.filter(dossier=OuterRef("pk"))))
        .annotate(any_failed=has(OutboxMessage.State.FAILED), any_pending=has(OutboxMessage.State.PENDING))
    )


_SYNCED = Q(any_failed=False, any_pending=False)


def sync_figures(start: datetime.date, end: datetime.date) -> list[dict]:
    rows = (
        _classified_dossiers(start, end)
        .values("agency__name")
        .annotate(
            failed=Count("id", filter=Q(any_failed=True)),
            pending=Count("id", filter=Q(any_failed=False, any_pending=True)),
            synced=Count("id", filter=_SYNCED),
            total=Count("id"),
        )
        .order_by("agency__name")
    )
    return [
        {
            "agency": row["agency__name"],
            "synced": row["synced"],
            "pending": row["pending"],
            "failed": row["failed"],
            "total": row["total"],
        }
        for row in rows
    ]


def sync_counts_by_agency(start: datetime.date, end: datetime.date, agencies=None) -> dict[int, dict]:
    """The same count per resolving agency id: {agency id: {"synced", "total"}} over the dossiers received in
    the period that have at least one portal message (a dossier is synced when none failed or waits)."""
    qs = _classified_dossiers(start, end)
    if agencies is not None:
        qs = qs.filter(resolving_agency__in=list(agencies))
    rows = (
        qs.values("resolving_agency")
        .annotate(synced=Count("id", filter=_SYNCED), total=Count("id"))
        .order_by()
    )
    return {row["resolving_agency"]: {"synced": row["synced"], "total": row["total"]} for row in rows}
