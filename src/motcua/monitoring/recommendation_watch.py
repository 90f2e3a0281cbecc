"""Recommendations (kiến nghị, phản ánh) awaiting an answer: their stored due instants, due states and scope.

A recommendation assigned to an agency must be answered by its `due_at` (working days from the assignment,
`motcua.feedback.services.assign_recommendation`). Its due state follows the dossiers' rules
(`motcua.monitoring.due`): near due within `MOTCUA_NEAR_DUE_WORKING_DAYS` working days or with less than
`MOTCUA_NEAR_DUE_SHARE` of the time left, due today, overdue from the day after the due date, badly overdue
when late by more than the time it was given again. One not assigned yet has no deadline: it is "not
assigned", still with the center since it was sent. Answered ones leave the watch.

Who sees which recommendation is the feedback app's rule (`feedback.services.can_read_recommendations` and
`recommendation_agency_ids`): the center's supervisors and administrators every one, other staff those of the
agencies in their scope.
"""

import datetime

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.feedback import services as feedback
from motcua.feedback.models import Recommendation
from motcua.workdays.services import get_calendar

from . import due
from .models import DueState, RecommendationWatch

UNASSIGNED = "unassigned"
STATE_LABELS = {
    UNASSIGNED: _("Chưa giao xử lý"),
    DueState.ON_TRACK: DueState.ON_TRACK.label,
    DueState.NEAR_DUE: DueState.NEAR_DUE.label,
    DueState.DUE_TODAY: DueState.DUE_TODAY.label,
    DueState.OVERDUE: DueState.OVERDUE.label,
    DueState.BADLY_OVERDUE: DueState.BADLY_OVERDUE.label,
}
STATES = tuple(STATE_LABELS)


# --- keeping the stored instants -----------------------------------------------------------------------------


def sync(rec: Recommendation, calendar=None, rules=None) -> RecommendationWatch | None:
    """Write (or remove) the watch row of one recommendation from its current fields."""
    if rec.state == Recommendation.State.ANSWERED:
        RecommendationWatch.objects.filter(recommendation_id=rec.pk).delete()
        return None
    near = badly = None
    due_at = rec.due_at if rec.agency_id else None
    if due_at is not None:
        cal, r = calendar or get_calendar(), rules or due.rules()
        near, badly = due.deadline_instants(cal, r, rec.assigned_at or rec.created_at, due_at, None)
    values = {
        "agency_id": rec.agency_id,
        "assigned_by_id": rec.assigned_by_id if rec.agency_id else None,
        "held_since": (rec.assigned_at if rec.agency_id and rec.assigned_at else rec.created_at),
        "received_at": rec.created_at,
        "due_at": due_at,
        "near_due_at": near,
        "badly_overdue_at": badly,
    }
    row, _created = RecommendationWatch.objects.update_or_create(recommendation_id=rec.pk, defaults=values)
    return row


def on_recommendation_saved(sender, instance: Recommendation, raw=False, **kwargs):
    """post_save of a recommendation: its watch row changes in the same transaction."""
    if raw or instance.pk is None:
        return
    sync(instance)


def refresh_all(batch_size: int = 2000) -> tuple[int, int]:
    """Recompute the rows of every recommendation awaiting an answer and drop the others."""
    cal, r = get_calendar(), due.rules()
    removed, _ = RecommendationWatch.objects.filter(
        recommendation__state=Recommendation.State.ANSWERED
    ).delete()
    written, last = 0, 0
    while True:
        chunk = list(Recommendation.objects.open().filter(pk__gt=last).order_by("pk")[:batch_size])
        if not chunk:
            break
        with transaction.atomic():
            for rec in chunk:
                sync(rec, cal, r)
        written += len(chunk)
        last = chunk[-1].pk
    return written, removed


# --- states in SQL ---------------------------------------------------------------------------------------------


def state_q(state: str, now: datetime.datetime) -> Q:
    """A Q selecting watch rows in `state` at `now` ("overdue" includes "badly overdue", as for dossiers)."""
    today_start, tomorrow_start = due.day_bounds(now)
    if state == UNASSIGNED:
        return Q(due_at__isnull=True)
    if state == DueState.OVERDUE:
        return Q(due_at__lt=today_start)
    if state == DueState.BADLY_OVERDUE:
        return Q(due_at__lt=today_start, badly_overdue_at__lt=now)
    if state == DueState.DUE_TODAY:
        return Q(due_at__gte=today_start, due_at__lt=tomorrow_start)
    if state == DueState.NEAR_DUE:
        return Q(due_at__gte=tomorrow_start, near_due_at__lte=now)
    if state == DueState.ON_TRACK:
        return Q(due_at__gte=tomorrow_start) & (Q(near_due_at__gt=now) | Q(near_due_at__isnull=True))
    raise ValueError(state)


def classify(row: RecommendationWatch, now: datetime.datetime) -> str:
    """The state of one row (the Python form of `state_q`, badly overdue apart)."""
    if row.due_at is None:
        return UNASSIGNED
    return due.classify(False, row.due_at, row.near_due_at, row.badly_overdue_at, now)


# --- scope, counts and lists -----------------------------------------------------------------------------------


def watched(user, *, agency_id=None, unit_ids=None, state: str = "", now=None) -> QuerySet:
    """Watch rows the user may see, narrowed by agency, administrative units and state."""
    now = now or timezone.now()
    qs = RecommendationWatch.objects.all()
    ids = feedback.recommendation_agency_ids(user)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if unit_ids is not None:
        qs = qs.filter(agency__unit_id__in=unit_ids)
    if state:
        qs = qs.filter(state_q(state, now))
    return qs


def counts(qs: QuerySet, now: datetime.datetime) -> dict:
    """{agency id or None: {state: count, "total": count}} in one GROUP BY with one FILTER per state."""
    aggregates = {f"n_{state}": Count("pk", filter=state_q(state, now)) for state in STATES}
    rows = qs.order_by().values("agency").annotate(n_total=Count("pk"), **aggregates)
    return {row["agency"]: {name: row[f"n_{name}"] for name in (*STATES, "total")} for row in rows}


def most_urgent_first(qs: QuerySet) -> QuerySet:
    """The earliest deadline first (so the longest overdue first); the not assigned last, oldest first."""
    return qs.order_by(F("due_at").asc(nulls_last=True), "received_at", "recommendation_id")
