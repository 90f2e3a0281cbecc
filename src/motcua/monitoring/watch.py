"""Keep `DueWatch` in step with the dossiers, and filter, count and order over it in SQL.

from motcua.monitoring import watch

watch.in_state(DueWatch.objects.all(), "overdue")          # the SQL form of due.classify()
watch.most_urgent_first(qs)                                # badly overdue, overdue, due today, near due...
watch.inbox_order(Dossier.objects.filter(...), user)       # for an inbox: the user's own late work first
"""

import datetime

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.workdays.services import get_calendar

from . import due
from .models import DueState, DueWatch

WATCH_FIELDS = (
    "paused",
    "due_at",
    "near_due_at",
    "badly_overdue_at",
    "step_due_at",
    "step_near_due_at",
    "appointment_at",
    "apology_from",
    "apology_until",
)


# --- keeping the stored instants -----------------------------------------------------------------------------


def sync(dossier: Dossier, calendar=None, rules=None) -> DueWatch | None:
    """Write (or remove) the watch row of one dossier from its current fields."""
    if dossier.state not in due.OPEN_STATES:
        DueWatch.objects.filter(dossier_id=dossier.pk).delete()
        return None
    th = due.thresholds(dossier, calendar, rules)
    values = {name: getattr(th, name) for name in WATCH_FIELDS}
    values.update(
        agency_id=dossier.current_agency_id or dossier.resolving_agency_id,
        resolving_agency_id=dossier.resolving_agency_id,
        holder_id=dossier.holder_id,
        held_since=dossier.current_step_started_at,
        received_at=dossier.received_at,
    )
    # One statement whether the row exists or not (INSERT ... ON CONFLICT DO UPDATE), on every dossier save.
    row = DueWatch(dossier_id=dossier.pk, **values)
    DueWatch.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["dossier"], update_fields=[*values, "synced_at"]
    )
    return row


def on_dossier_saved(sender, instance: Dossier, raw=False, **kwargs):
    """post_save of a dossier: its watch row changes in the same transaction as the dossier."""
    if raw or instance.pk is None:
        return
    sync(instance)


def refresh_all(batch_size: int = 2000) -> tuple[int, int]:
    """Recompute every open dossier's row and drop rows of closed ones (after a calendar or rule change, or
    after dossiers were written in bulk). Returns (rows written, rows removed)."""
    cal, r = get_calendar(), due.rules()
    removed, _ = DueWatch.objects.exclude(dossier__state__in=due.OPEN_STATES).delete()
    written = 0
    last = 0
    while True:
        chunk = list(
            Dossier.objects.filter(state__in=due.OPEN_STATES, pk__gt=last).order_by("pk")[:batch_size]
        )
        if not chunk:
            break
        with transaction.atomic():
            for dossier in chunk:
                sync(dossier, cal, r)
        written += len(chunk)
        last = chunk[-1].pk
    return written, removed


# --- the SQL form of due.classify() ---------------------------------------------------------------------------


def state_q(state: str, now: datetime.datetime, prefix: str = "") -> Q:
    """A Q selecting watch rows (or, with prefix "due_watch__", dossiers) in `state` at `now`."""
    p = prefix
    today_start, tomorrow_start = due.day_bounds(now)
    running = Q(**{f"{p}paused": False})
    overdue = running & Q(**{f"{p}due_at__lt": today_start})
    badly = overdue & Q(**{f"{p}badly_overdue_at__lt": now})
    if state == DueState.PAUSED:
        return Q(**{f"{p}paused": True})
    if state == DueState.OVERDUE:  # every late dossier, badly overdue included
        return overdue
    if state == DueState.BADLY_OVERDUE:
        return badly
    if state == DueState.DUE_TODAY:
        return running & Q(**{f"{p}due_at__gte": today_start, f"{p}due_at__lt": tomorrow_start})
    if state == DueState.NEAR_DUE:
        return running & Q(**{f"{p}due_at__gte": tomorrow_start, f"{p}near_due_at__lte": now})
    if state == DueState.ON_TRACK:
        return running & (
            Q(**{f"{p}due_at__isnull": True})
            | Q(**{f"{p}due_at__gte": tomorrow_start})
            & (Q(**{f"{p}near_due_at__gt": now}) | Q(**{f"{p}near_due_at__isnull": True}))
        )
    raise ValueError(state)


def step_overrun_q(now: datetime.datetime, prefix: str = "") -> Q:
    """Open, running dossiers whose current step has used more than its share (its due instant passed)."""
    return Q(**{f"{prefix}paused": False, f"{prefix}step_due_at__lt": now})


def in_state(qs: QuerySet, state: str, now: datetime.datetime | None = None) -> QuerySet:
    return qs.filter(state_q(state, now or timezone.now()))


def urgency_case(now: datetime.datetime, prefix: str = "") -> Case:
    """0 badly overdue, 1 overdue, 2 due today, 3 near due, 4 on track, 5 paused (as due.URGENCY)."""
    whens = [
        When(state_q(DueState.PAUSED, now, prefix), then=Value(due.URGENCY[DueState.PAUSED])),
        When(state_q(DueState.BADLY_OVERDUE, now, prefix), then=Value(due.URGENCY[DueState.BADLY_OVERDUE])),
        When(state_q(DueState.OVERDUE, now, prefix), then=Value(due.URGENCY[DueState.OVERDUE])),
        When(state_q(DueState.DUE_TODAY, now, prefix), then=Value(due.URGENCY[DueState.DUE_TODAY])),
        When(state_q(DueState.NEAR_DUE, now, prefix), then=Value(due.URGENCY[DueState.NEAR_DUE])),
    ]
    return Case(*whens, default=Value(due.URGENCY[DueState.ON_TRACK]), output_field=IntegerField())


def most_urgent_first(qs: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Watch rows, the most urgent first: running before paused, then the earliest due instant first.

    Every due-state bucket is a range of due instants (overdue < due today < near due / on track), so this
    is the bucket order too, and within "overdue" the longest overdue comes first. It is an index range scan
    (`watch_paused_due_idx`), whatever the number of rows.
    """
    return qs.order_by("paused", "due_at", "dossier_id")


def inbox_order(qs: QuerySet, user=None, now: datetime.datetime | None = None) -> QuerySet:
    """Order a Dossier queryset for an inbox: the user's own late and near-due work first, then the rest by
    urgency, then the step's own due instant; annotates `due_rank` (as due.URGENCY; dossiers that are not
    open rank last) and `mine`. Installed as the dossiers inbox ordering (`dossiers.queries.inbox_ordering`)."""
    now = now or timezone.now()
    rank = Case(
        When(due_watch__isnull=True, then=Value(9)),
        default=urgency_case(now, "due_watch__"),
        output_field=IntegerField(),
    )
    mine = Case(
        When(holder_id=getattr(user, "pk", None), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    qs = qs.annotate(due_rank=rank, mine=mine)
    urgent_mine = Case(
        When(Q(mine=0, due_rank__lte=due.URGENCY[DueState.NEAR_DUE]), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(urgent_mine=urgent_mine).order_by(
        "urgent_mine", "due_rank", F("current_step_due_at").asc(nulls_last=True), "due_at", "id"
    )


def my_urgent_count(user, now: datetime.datetime | None = None) -> int:
    """How many dossiers the user holds that are near due, due today or overdue."""
    now = now or timezone.now()
    today_start, tomorrow_start = due.day_bounds(now)
    return DueWatch.objects.filter(
        Q(holder_id=user.pk, paused=False) & (Q(due_at__lt=tomorrow_start) | Q(near_due_at__lte=now))
    ).count()


def status_of_row(row: DueWatch, now: datetime.datetime, calendar=None, *, bounds=None) -> due.DueStatus:
    """`bounds`: `due.day_bounds(now)` when the caller already has them (a page of rows)."""
    th = due.Thresholds(**{name: getattr(row, name) for name in WATCH_FIELDS})
    return due.status_from(th, now, calendar, bounds=bounds)
