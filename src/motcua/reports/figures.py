"""The article's other figures, the month-by-month series and the service-quality index (Decision 766).

Everything is computed from the statistics facts (themselves derived from the dossier events) and the catalog.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.org.models import Agency

from . import facts
from .models import DossierFact, Ending, Outcome
from .resolution import Counts, counts_by, parse_period, percent


def _facts_in(date_from, date_to, agency_ids):
    qs = DossierFact.objects.filter(received_on__gte=date_from, received_on__lte=date_to)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs


def _procedures(agency_ids):
    qs = Procedure.objects.published()
    if agency_ids is not None:
        qs = qs.filter(resolving_agency_id__in=list(agency_ids))
    return qs


def online_figures(date_from, date_to, agency_ids=None) -> dict:
    """Online dossiers received in the period, by agency and by the procedure's online level, and the share of
    procedures offered online (toàn trình / một phần)."""
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    levels = dict(_procedures(agency_ids).values_list("pk", "online_level"))
    received = _facts_in(date_from, date_to, agency_ids)
    per_agency: dict[int, dict] = {}
    for row in received.values("agency_id", "procedure_id").annotate(
        online=Count("pk", filter=Q(channel="online")), total=Count("pk")
    ):
        entry = per_agency.setdefault(row["agency_id"], {"online": 0, "total": 0, "full": 0, "partial": 0})
        entry["online"] += row["online"]
        entry["total"] += row["total"]
        level = levels.get(row["procedure_id"])
        if level in ("full", "partial"):
            entry[level] += row["online"]
    names = dict(Agency.objects.filter(pk__in=per_agency).values_list("pk", "name"))
    rows = [
        {
            "agency": names.get(pk, ""),
            "online": v["online"],
            "online_full": v["full"],
            "online_partial": v["partial"],
            "received": v["total"],
            "share": percent(v["online"], v["total"]),
        }
        for pk, v in per_agency.items()
        if v["online"]
    ]
    rows.sort(key=lambda r: (-r["online"], r["agency"]))
    total_online = sum(r["online"] for r in rows)
    total = sum(v["total"] for v in per_agency.values())
    catalog = _procedures(agency_ids).aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(online_level=OnlineLevel.FULL)),
        partial=Count("pk", filter=Q(online_level=OnlineLevel.PARTIAL)),
    )
    return {
        "rows": rows,
        "online": total_online,
        "received": total,
        "share": percent(total_online, total),
        "procedures": catalog["total"],
        "procedures_full": catalog["full"],
        "procedures_partial": catalog["partial"],
        "procedures_online_share": percent(catalog["full"] + catalog["partial"], catalog["total"]),
    }


def on_the_spot_figures(date_from, date_to, agency_ids=None) -> dict:
    """ "5 tại chỗ": approved procedures, those with at least one dossier handled on the spot in the period
    (count and share), their dossiers, and the agencies taking part."""
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    approved = _procedures(agency_ids).filter(on_the_spot=True)
    approved_ids = set(approved.values_list("pk", flat=True))
    spot = _facts_in(date_from, date_to, agency_ids).filter(on_the_spot=True)
    used = set(spot.values_list("procedure_id", flat=True).distinct()) & approved_ids
    at_center = Agency.objects.filter(centers_served__isnull=False)
    with_procedures = _procedures(agency_ids)
    if at_center.exists():
        with_procedures = with_procedures.filter(resolving_agency__in=at_center)
    agencies_with_procedures = with_procedures.values("resolving_agency").distinct().count()
    taking_part = approved.values("resolving_agency").distinct().count()
    return {
        "approved": len(approved_ids),
        "with_dossiers": len(used),
        "with_dossiers_share": percent(len(used), len(approved_ids)),
        "without_dossiers": len(approved_ids) - len(used),
        "without_dossiers_share": percent(len(approved_ids) - len(used), len(approved_ids)),
        "dossiers": spot.count(),
        "agencies_taking_part": taking_part,
        "agencies_with_procedures": agencies_with_procedures,
    }


def month_starts(date_from: datetime.date, date_to: datetime.date):
    day = date_from.replace(day=1)
    while day <= date_to:
        following = (day + datetime.timedelta(days=32)).replace(day=1)
        yield max(day, date_from), min(following - datetime.timedelta(days=1), date_to)
        day = following


def monthly_by_agency(date_from, date_to, agency_ids=None) -> dict:
    """For each month: new dossiers, and dossiers resolved (early + on time / total) per agency and in all.

    Flows only (Biểu 06 definitions: reception date, date of the result), read in two grouped passes.
    """
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    months = list(month_starts(date_from, date_to))
    index = {(first.year, first.month): i for i, (first, _last) in enumerate(months)}
    cells: dict = {}

    def cell(agency_id, day):
        key = (agency_id, index[(day.year, day.month)])
        return cells.setdefault(key, {"new": 0, "resolved": 0, "on_time": 0, "late": 0})

    base = DossierFact.objects.all()
    if agency_ids is not None:
        base = base.filter(agency_id__in=list(agency_ids))
    for row in (
        base.filter(received_on__gte=date_from, received_on__lte=date_to)
        .annotate(month=TruncMonth("received_on"))
        .values("agency_id", "month")
        .annotate(n=Count("pk"))
    ):
        cell(row["agency_id"], row["month"])["new"] += row["n"]
    for row in (
        base.filter(ending=Ending.RESOLVED, ended_on__gte=date_from, ended_on__lte=date_to)
        .annotate(month=TruncMonth("ended_on"))
        .values("agency_id", "month", "outcome")
        .annotate(n=Count("pk"))
    ):
        c = cell(row["agency_id"], row["month"])
        c["resolved"] += row["n"]
        if row["outcome"] == Outcome.LATE:
            c["late"] += row["n"]
        else:
            c["on_time"] += row["n"]
    agencies = {a for a, _m in cells}
    names = dict(Agency.objects.filter(pk__in=agencies).values_list("pk", "name"))
    empty = {"new": 0, "resolved": 0, "on_time": 0, "late": 0}
    rows = []
    for pk in sorted(agencies, key=lambda a: names.get(a, "")):
        rows.append(
            {
                "agency": names.get(pk, ""),
                "months": [_cell(cells.get((pk, i), empty)) for i in range(len(months))],
            }
        )
    totals = []
    for i, (first, last) in enumerate(months):
        total = dict(empty)
        for (_a, m), c in cells.items():
            if m == i:
                for k in total:
                    total[k] += c[k]
        totals.append({"from": first, "to": last, **_cell(total)})
    return {"months": totals, "rows": rows}


def _cell(c: dict) -> dict:
    return {**c, "rate": percent(c["on_time"], c["resolved"])}


# --- Decision 766/QĐ-TTg: service-quality index ------------------------------------------------------------

DEFAULT_WEIGHTS = {
    "publicity": 18,
    "progress": 20,
    "online": 12,
    "payment": 10,
    "satisfaction": 18,
    "digitisation": 22,
}
GROUP_LABELS = {
    "publicity": _("Công khai, minh bạch"),
    "progress": _("Tiến độ giải quyết"),
    "online": _("Dịch vụ công trực tuyến"),
    "payment": _("Thanh toán trực tuyến"),
    "satisfaction": _("Mức độ hài lòng"),
    "digitisation": _("Số hóa hồ sơ"),
}


def weights() -> dict[str, Decimal]:
    """Maximum points of each group: settings.MOTCUA_QUALITY_INDEX_WEIGHTS overrides the defaults."""
    configured = getattr(settings, "MOTCUA_QUALITY_INDEX_WEIGHTS", None) or {}
    merged = {**DEFAULT_WEIGHTS, **configured}
    return {k: Decimal(str(merged[k])) for k in DEFAULT_WEIGHTS}


@dataclass
class UnitIndex:
    agency: str
    groups: dict = field(default_factory=dict)  # group -> points or None (no data yet)
    total: Decimal = Decimal(0)
    available: Decimal = Decimal(0)
    rank: int = 0

    @property
    def share(self):
        return (self.total * 100 / self.available).quantize(Decimal("0.1")) if self.available else None


def quality_index(date_from, date_to, agency_ids=None) -> dict:
    """The Decision 766 index per agency for the period and the ranking.

    Measured here: group 1 (share of the agency's procedures published), group 2 (half: early + on time of
    resolved; half: in progress not overdue at the end of the period) and group 3 (half: procedures offered
    online; half: online dossiers among dossiers of online-enabled procedures). Groups 4–6 need payments,
    evaluations and digitisation records: they show "no data" until those parts record them, and the ranking
    uses the points over the groups that have data.
    """
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    w = weights()
    grouped = counts_by("agency_id", date_from, date_to, agency_ids=agency_ids)
    procedures = Procedure.objects.all()
    if agency_ids is not None:
        procedures = procedures.filter(resolving_agency_id__in=list(agency_ids))
    catalog = {
        row["resolving_agency_id"]: row
        for row in procedures.values("resolving_agency_id").annotate(
            total=Count("pk"),
            published=Count("pk", filter=Q(status=Procedure.Status.PUBLISHED)),
            online=Count("pk", filter=Q(online_level__in=["full", "partial"])),
        )
    }
    online_enabled = set(procedures.filter(online_level__in=["full", "partial"]).values_list("pk", flat=True))
    dossiers = {}
    for row in (
        _facts_in(date_from, date_to, agency_ids)
        .filter(procedure_id__in=online_enabled)
        .values("agency_id")
        .annotate(total=Count("pk"), online=Count("pk", filter=Q(channel="online")))
    ):
        dossiers[row["agency_id"]] = row
    names = dict(Agency.objects.filter(pk__in=set(grouped) | set(catalog)).values_list("pk", "name"))
    units = []
    for pk in grouped:
        if pk is None or not grouped[pk].received:
            continue
        counts, cat = grouped.get(pk, Counts()), catalog.get(pk, {"total": 0, "published": 0, "online": 0})
        unit = UnitIndex(agency=names.get(pk, ""))
        unit.groups["publicity"] = _points(w["publicity"], [_ratio(cat["published"], cat["total"])])
        open_total = counts.in_progress
        unit.groups["progress"] = _points(
            w["progress"],
            [
                _ratio(counts.early + counts.on_time, counts.resolved),
                _ratio(counts.within_deadline, open_total),
            ],
        )
        d = dossiers.get(pk, {"total": 0, "online": 0})
        unit.groups["online"] = _points(
            w["online"], [_ratio(cat["online"], cat["total"]), _ratio(d["online"], d["total"])]
        )
        for missing in ("payment", "satisfaction", "digitisation"):
            unit.groups[missing] = None
        for group, points in unit.groups.items():
            if points is not None:
                unit.total += points
                unit.available += w[group]
        units.append(unit)
    units.sort(key=lambda u: (-(u.total / u.available) if u.available else 0, u.agency))
    for position, unit in enumerate(units, start=1):
        unit.rank = position
    return {
        "weights": w,
        "labels": GROUP_LABELS,
        "units": units,
        "measured": [g for g in DEFAULT_WEIGHTS if g in ("publicity", "progress", "online")],
    }


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def _points(maximum: Decimal, ratios) -> Decimal | None:
    """Average of the available ratios times the group's points (None when no ratio can be computed)."""
    values = [r for r in ratios if r is not None]
    if not values:
        return None
    return (maximum * sum(values) / len(values)).quantize(Decimal("0.01"))
