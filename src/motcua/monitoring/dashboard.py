"""The supervisor dashboard: counts by due state for each agency, commune and counter, and drill-down lists.

Everything is counted and filtered in SQL over `DueWatch` (one conditional-count query per grouping).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import AdminUnit, Agency, Counter, Role
from motcua.org.permissions import agency_ids_in_scope, has_role
from motcua.workdays.services import get_calendar

from . import watch
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
    if ids is not None:
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


def _count_columns(now) -> dict:
    """Conditional counts, named n_<state> (a name like "paused" would clash with the model's field)."""
    columns = {f"n_{state}": Count("pk", filter=watch.state_q(state, now)) for state in COUNTED}
    columns["n_step_overrun"] = Count("pk", filter=watch.step_overrun_q(now))
    columns["n_total"] = Count("pk")
    return columns


def _grouped(qs, key: str, now) -> dict:
    return {
        row[key]: {name[2:]: value for name, value in row.items() if name.startswith("n_")}
        for row in qs.order_by().values(key).annotate(**_count_columns(now))
    }


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
    by_agency = _grouped(base, "agency", now)
    by_resolving = _grouped(base, "resolving_agency", now)
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
