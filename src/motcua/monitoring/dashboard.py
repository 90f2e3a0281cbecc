"""The supervisor dashboard: counts by due state for each agency, commune and counter, and drill-down lists.

Everything is counted and filtered in SQL over `DueWatch` (one conditional-count query per grouping).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import AdminUnit, Agency, Counter, Role
from motcua.org.permissions import agency_ids_in_scope, has_role
from motcua.workdays.services import get_calendar

from . import due, watch
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
    return bool(
        user.is_authenticated
        and (user.is_superuser or has_role(user, Role.SUPERVISOR) or has_role(user, Role.LEADER))
    )


def scope_ids(user) -> set[int] | None:
    """Agencies whose dossiers the user watches; None means every agency (a superuser)."""
    if user.is_superuser:
        return None
    return agency_ids_in_scope(user, Role.SUPERVISOR) | agency_ids_in_scope(user, Role.LEADER)


def _covers_all(ids: set[int]) -> bool:
    """Does a scope hold every agency (a director of the whole center)? Then no filter is needed."""
    return len(ids) >= Agency.objects.count() and set(Agency.objects.values_list("pk", flat=True)) <= ids


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


def parse_filters(data, user) -> Filters:
    """Filters from a query string; bad values raise ValidationError with a Vietnamese message."""
    errors = {}
    filters = Filters()
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
        if state not in FILTER_STATES:
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


def _bucket_case(now) -> Case:
    """The one bucket of a row at `now` (badly overdue apart from overdue), as due.classify() decides it."""
    today_start, tomorrow_start = due.day_bounds(now)
    return Case(
        When(paused=True, then=Value(DueState.PAUSED)),
        When(due_at__lt=today_start, badly_overdue_at__lt=now, then=Value(DueState.BADLY_OVERDUE)),
        When(due_at__lt=today_start, then=Value(DueState.OVERDUE)),
        When(due_at__lt=tomorrow_start, then=Value(DueState.DUE_TODAY)),
        When(near_due_at__lte=now, then=Value(DueState.NEAR_DUE)),
        default=Value(DueState.ON_TRACK),
        output_field=CharField(),
    )


def _grouped(qs, now) -> tuple[dict, dict]:
    """Counts per current agency and per resolving agency, in one pass over the rows (one GROUP BY)."""
    overrun = Case(
        When(watch.step_overrun_q(now), then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    rows = (
        qs.order_by()
        .annotate(bucket=_bucket_case(now), overrun=overrun)
        .values("agency", "resolving_agency", "bucket", "overrun")
        .annotate(n=Count("pk"))
    )
    by_agency: dict = {}
    by_resolving: dict = {}
    for row in rows:
        for key, into in ((row["agency"], by_agency), (row["resolving_agency"], by_resolving)):
            counts = into.setdefault(key, _empty())
            n = row["n"]
            counts[row["bucket"]] += n
            if row["bucket"] == DueState.BADLY_OVERDUE:
                counts[DueState.OVERDUE] += n  # "overdue" counts every late dossier
            counts["step_overrun"] += n * row["overrun"]
            counts["total"] += n
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


def _page(qs, now, limit, offset):
    qs = watch.most_urgent_first(qs, now)
    count = qs.count()
    page = list(
        qs.select_related(
            "dossier__procedure",
            "dossier__current_step",
            "dossier__current_agency",
            "dossier__resolving_agency",
            "holder",
        )[offset : offset + limit]
    )
    cal = get_calendar()
    return count, [ListItem(row, watch.status_of_row(row, now, cal)) for row in page]


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
