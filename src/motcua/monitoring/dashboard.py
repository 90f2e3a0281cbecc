"""The supervisor dashboard: counts by due state for each agency, commune and counter, and drill-down lists.

Everything is counted and filtered in SQL over `DueWatch` (one conditional-count query per grouping).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.feedback import services as feedback
from motcua.org.models import AdminUnit, Agency, Counter, Role
from motcua.org.permissions import agency_ids_in_scope, has_role
from motcua.workdays.core import WorkdaysError
from motcua.workdays.services import get_calendar

from . import due, watch
from . import recommendation_watch as rw
from .models import DueState, DueWatch

COMMUNE_KINDS = (AdminUnit.Kind.COMMUNE, AdminUnit.Kind.WARD, AdminUnit.Kind.TOWNSHIP)
COUNTED = (
    DueState.ON_TRACK,
    DueState.NEAR_DUE,
    DueState.DUE_TODAY,
    DueState.OVERDUE,
    DueState.BADLY_OVERDUE,
    DueState.PAUSED,
)
FILTER_STATES = (*COUNTED, "step_overrun")


def may_monitor(user) -> bool:
    """Center director, supervisor or leader (or superuser)."""
    if not user.is_authenticated:
        return False
    return has_role(user, Role.SUPERVISOR) or has_role(user, Role.LEADER)


def scope_ids(user) -> set[int] | None:
    """Agencies whose dossiers the user watches; None means every agency (a superuser)."""
    if user.is_superuser:
        return None
    return agency_ids_in_scope(user, Role.SUPERVISOR) | agency_ids_in_scope(user, Role.LEADER)


def _covers_all(ids: set[int]) -> bool:
    """Does a scope hold every agency (a director of the whole center)? Then no filter is needed."""
    return set(Agency.objects.values_list("pk", flat=True)) <= ids  # one small query


@dataclass
class Filters:
    agency: Agency | None = None
    unit: AdminUnit | None = None
    state: str = ""
    holder_id: int | None = None

    def as_query(self) -> str:
        parts = []
        if self.agency:
            parts.append(f"agency={self.agency.pk}")
        if self.unit:
            parts.append(f"unit={self.unit.pk}")
        return "&".join(parts)


def parse_filters(data, user, *, ids="monitoring", states=FILTER_STATES) -> Filters:
    """Filters from a query string; bad values raise ValidationError with a Vietnamese message.

    The agency must be in `ids` (default: the user's monitoring scope; None: any agency) and the state one
    of `states`."""
    errors = {}
    filters = Filters()
    if ids == "monitoring":
        ids = scope_ids(user)
    agency = (data.get("agency") or "").strip()
    if agency:
        found = None
        if agency.isdigit():
            found = Agency.objects.filter(pk=int(agency)).first()
        found = found or Agency.objects.filter(Q(identity_code=agency) | Q(short_name=agency)).first()
        if found is None or (ids is not None and found.pk not in ids):
            errors["agency"] = _("Không có cơ quan “%(value)s” trong phạm vi theo dõi của bạn.") % {
                "value": agency
            }
        filters.agency = found
    unit = (data.get("unit") or "").strip()
    if unit:
        found = None
        if unit.isdigit():
            found = AdminUnit.objects.filter(pk=int(unit)).first()
        found = found or AdminUnit.objects.filter(code=unit).first()
        if found is None:
            errors["unit"] = _("Không có đơn vị hành chính “%(value)s”.") % {"value": unit}
        filters.unit = found
    state = (data.get("state") or "").strip()
    if state:
        if state not in states:
            errors["state"] = _("Tình trạng hạn “%(value)s” không hợp lệ.") % {"value": state}
        filters.state = state
    if errors:
        raise ValidationError(errors)
    return filters


def watched(user, filters: Filters | None = None, now: datetime.datetime | None = None) -> QuerySet:
    """Watch rows in the user's scope, narrowed by the filters."""
    now = now or timezone.now()
    qs = DueWatch.objects.all()
    ids = scope_ids(user)
    if ids is not None and not _covers_all(ids):
        qs = qs.filter(agency_id__in=ids)
    if filters is None:
        return qs
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency.pk)
    if filters.unit is not None:
        qs = qs.filter(agency__unit_id__in=filters.unit.descendant_ids() | {filters.unit.pk})
    if filters.holder_id is not None:
        qs = qs.filter(holder_id=filters.holder_id)
    if filters.state == "step_overrun":
        qs = qs.filter(watch.step_overrun_q(now))
    elif filters.state:
        qs = qs.filter(watch.state_q(filters.state, now))
    return qs


def _bucket_counts(now) -> dict:
    """One conditional count per bucket, each a range condition on the stored instants with the day
    boundaries computed once here (no per-row CASE, no per-row calendar); "overdue" counts every late
    dossier, badly overdue included."""
    counts = {f"n_{state}": Count("pk", filter=watch.state_q(state, now)) for state in COUNTED}
    counts["n_step_overrun"] = Count("pk", filter=watch.step_overrun_q(now))
    counts["n_total"] = Count("pk")
    return counts  # (names apart from the fields': "paused" is a column too)


def _grouped(qs, now) -> tuple[dict, dict]:
    """Counts per current agency and per resolving agency, in one pass over the open rows: a single
    GROUP BY (agency, resolving agency) with a FILTER clause per bucket."""
    rows = qs.order_by().values("agency", "resolving_agency").annotate(**_bucket_counts(now))
    by_agency: dict = {}
    by_resolving: dict = {}
    for row in rows:
        counts = {name: row[f"n_{name}"] for name in (*COUNTED, "step_overrun", "total")}
        _add(by_agency.setdefault(row["agency"], _empty()), counts)
        _add(by_resolving.setdefault(row["resolving_agency"], _empty()), counts)
    return by_agency, by_resolving


@dataclass
class Row:
    key: str
    label: str
    query: str
    counts: dict = field(default_factory=dict)


def _empty() -> dict:
    return {name: 0 for name in (*COUNTED, "step_overrun", "total")}


def _add(into: dict, counts: dict) -> None:
    for name, value in counts.items():
        into[name] = into.get(name, 0) + value


@dataclass
class Overview:
    agencies: list[Row]
    communes: list[Row]
    counters: list[Row]
    total: dict
    now: datetime.datetime


def overview(user, filters: Filters | None = None, now: datetime.datetime | None = None) -> Overview:
    """Counts by due state for each agency (district offices, vertical agencies...), commune and counter."""
    now = now or timezone.now()
    base = watched(user, Filters(agency=filters.agency, unit=filters.unit) if filters else None, now)
    by_agency, by_resolving = _grouped(base, now)
    agencies = Agency.objects.filter(pk__in=[k for k in by_agency if k is not None]).select_related("unit")
    rows, communes = [], []
    total = _empty()
    for agency in sorted(agencies, key=lambda a: a.name):
        counts = by_agency[agency.pk]
        _add(total, counts)
        row = Row(str(agency.pk), agency.name, f"agency={agency.pk}", counts)
        (communes if agency.unit.kind in COMMUNE_KINDS else rows).append(row)
    counters = []
    for counter in Counter.objects.prefetch_related("agencies").select_related("center"):
        counts = _empty()
        for agency in counter.agencies.all():
            if agency.pk in by_resolving:
                _add(counts, by_resolving[agency.pk])
        if counts["total"]:
            counters.append(Row(str(counter.pk), str(counter), "", counts))
    return Overview(agencies=rows, communes=communes, counters=counters, total=total, now=now)


@dataclass
class ListItem:
    row: DueWatch
    status: object

    @property
    def dossier(self):
        return self.row.dossier


# What a list row shows of its dossier, fetched for the page's rows only.
PAGE_RELATED = (
    "dossier__procedure",
    "dossier__current_step",
    "dossier__current_agency",
    "dossier__resolving_agency",
    "holder",
)


def _page(qs, now, limit, offset):
    """(count, the page's rows with their status) in a fixed number of queries: the count, the page of watch
    rows (an index range scan), then one `IN (...)` query per related table. Not one six-table join: on
    PostgreSQL planning that join took 10–60 ms, a hundred times its execution."""
    qs = watch.most_urgent_first(qs, now)
    count = qs.count()
    page = list(qs[offset : offset + limit])
    prefetch_related_objects(page, *PAGE_RELATED)
    cal = get_calendar()
    bounds = due.day_bounds(now)
    return count, [ListItem(row, watch.status_of_row(row, now, cal, bounds=bounds)) for row in page]


def drill_down(
    user, filters: Filters, now: datetime.datetime | None = None, limit: int = 50, offset: int = 0
):
    """(count, the most urgent rows first with their status) for the filters."""
    now = now or timezone.now()
    return _page(watched(user, filters, now), now, limit, offset)


def drill_down_mine(
    user, filters: Filters, now: datetime.datetime | None = None, limit: int = 50, offset: int = 0
):
    """The dossiers the user holds, the most urgent first (their own inbox order)."""
    now = now or timezone.now()
    qs = DueWatch.objects.filter(holder_id=user.pk)
    if filters.state == "step_overrun":
        qs = qs.filter(watch.step_overrun_q(now))
    elif filters.state:
        qs = qs.filter(watch.state_q(filters.state, now))
    return _page(qs, now, limit, offset)


# --- recommendations awaiting an answer ---------------------------------------------------------------------


def parse_recommendation_filters(data, user) -> Filters:
    """Filters of the recommendations list: an agency in the user's recommendation scope, a unit, a state."""
    return parse_filters(data, user, ids=feedback.recommendation_agency_ids(user), states=rw.STATES)


def _recommendations(user, filters: Filters | None, now, *, with_state=True) -> QuerySet:
    filters = filters or Filters()
    unit_ids = None
    if filters.unit is not None:
        unit_ids = filters.unit.descendant_ids() | {filters.unit.pk}
    return rw.watched(
        user,
        agency_id=filters.agency.pk if filters.agency else None,
        unit_ids=unit_ids,
        state=filters.state if with_state else "",
        now=now,
    )


@dataclass
class RecommendationOverview:
    agencies: list[Row]
    total: dict
    now: datetime.datetime


def recommendation_overview(
    user, filters: Filters | None = None, now: datetime.datetime | None = None
) -> RecommendationOverview:
    """Counts of the recommendations awaiting an answer by due state, per agency that must answer (and the
    not assigned ones, still with the center), in the user's scope."""
    now = now or timezone.now()
    by_agency = rw.counts(_recommendations(user, filters, now, with_state=False), now)
    total = {name: 0 for name in (*rw.STATES, "total")}
    rows = []
    agencies = Agency.objects.filter(pk__in=[k for k in by_agency if k is not None])
    for agency in sorted(agencies, key=lambda a: a.name):
        counts = by_agency[agency.pk]
        _add(total, counts)
        rows.append(Row(str(agency.pk), agency.name, f"agency={agency.pk}", counts))
    if None in by_agency:
        _add(total, by_agency[None])
        rows.append(Row("", _("Trung tâm (chưa giao cơ quan xử lý)"), "", by_agency[None]))
    return RecommendationOverview(agencies=rows, total=total, now=now)


@dataclass
class RecommendationItem:
    row: object
    state: str
    remaining: str

    @property
    def recommendation(self):
        return self.row.recommendation

    @property
    def label(self) -> str:
        return str(rw.STATE_LABELS[self.state])

    @property
    def is_late(self) -> bool:
        return due.is_late(self.state)


def recommendation_drill_down(
    user, filters: Filters, now: datetime.datetime | None = None, limit: int = 50, offset: int = 0
):
    """(count, the rows most urgent first with their state) of the recommendations awaiting an answer."""
    now = now or timezone.now()
    qs = rw.most_urgent_first(_recommendations(user, filters, now))
    count = qs.count()
    page = list(qs.select_related("recommendation", "agency", "assigned_by")[offset : offset + limit])
    cal = get_calendar()
    items = []
    for row in page:
        remaining = ""
        if row.due_at is not None:
            try:
                remaining = cal.describe_remaining(now, row.due_at)
            except WorkdaysError:  # a date outside the calendar: no text, the state still shows
                remaining = ""
        items.append(RecommendationItem(row, rw.classify(row, now), remaining))
    return count, items


@dataclass
class ReceptionLimitItem:
    dossier: object
    limit: object  # dossiers.deadlines.Deadline


@dataclass
class ReceptionLimits:
    """Online submissions not checked within their limit and dossiers past their supplement limit."""

    online_checks: list = field(default_factory=list)
    supplements: list = field(default_factory=list)


def reception_limits(
    user, filters: Filters | None = None, now: datetime.datetime | None = None, limit: int = 200
) -> ReceptionLimits:
    """The dossiers of the user's scope (receiving agency) past the limit of `dossiers.deadlines.reception_limits`
    (checking an online submission, waiting for a supplement), the longest overdue first. Read from the
    dossiers themselves: a dossier waiting at reception has no legal due instant for `DueWatch` to hold."""
    from motcua.dossiers.deadlines import deadlines as dossier_deadlines
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import calendar
    from motcua.dossiers.states import State

    now = now or timezone.now()
    qs = Dossier.objects.filter(state__in=(State.ONLINE_PENDING, State.PAUSED_SUPPLEMENT)).select_related(
        "procedure", "applicant", "agency", "current_step"
    )
    ids = scope_ids(user)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    if filters is not None and filters.agency is not None:
        qs = qs.filter(agency=filters.agency)
    result = ReceptionLimits()
    calendars = {}
    for dossier in qs.order_by("submitted_at", "id")[:limit]:
        cal = calendars.get(dossier.agency_id)
        if cal is None:
            cal = calendars[dossier.agency_id] = calendar(dossier.agency)
        reception = dossier_deadlines(dossier, now, cal).reception
        if reception is None or not reception.passed:
            continue
        into = result.online_checks if reception.kind == "online_check" else result.supplements
        into.append(ReceptionLimitItem(dossier, reception))
    return result
