"""The service-quality index of Decision 766/QĐ-TTg, computed from the version in force (data, not code).

The groups, indicators, points, thresholds and formulas are rows (`IndexVersion`, `IndexGroup`,
`IndexIndicator`) that an administrator edits when the decision or its formula notes change; a data migration
loads the 2022 version (see docs/LAW.md for the sources and which points are unverified). This module holds
only the measures: how the software counts the numerator and denominator of each indicator it can measure.

Scoring an indicator with maximum points P and rate r (0–1):
- with a threshold t (the rate that earns full points): P × min(1, r / t) — full points at or above the
  threshold, in proportion below it (the national portal's formula notes);
- without a threshold: P × min(1, r).
An indicator the software cannot measure (no `measure`) or with nothing to count for an agency in the period
(zero denominator) gives "no data": it is left out of the agency's points and of its maximum, and the ranking
uses the points over the maximum of the indicators that had data. Points are rounded half-up to 2 decimals.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.org.models import Agency

from . import facts, rollup
from .models import IndexIndicator, IndexVersion
from .resolution import Counts, counts_by, parse_period

ONLINE_LEVELS = ("full", "partial")
CENT = Decimal("0.01")


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


@dataclass
class Context:
    """Everything the measures read for one agency."""

    counts: Counts
    catalog: dict
    online: dict
    sync: dict
    pay: dict
    evaluation: dict | None
    answers: dict
    digitised: object | None


def _progress(c: Context):
    n = c.counts
    return _ratio(n.early + n.on_time + n.within_deadline, n.resolved + n.in_progress)


def _satisfaction(c: Context):
    """100% − (late-dossier rate + rate of dissatisfied evaluations) (the portal's note for 5.4)."""
    late = _ratio(c.counts.late, c.counts.resolved)
    ev = c.evaluation
    unhappy = _ratio(ev["dissatisfied"], ev["count"]) if ev and ev["count"] else None
    if late is None and unhappy is None:
        return None
    zero = Decimal(0)
    return max(zero, 1 - (late if late is not None else zero) - (unhappy if unhappy is not None else zero))


MEASURES = {
    "procedures_complete": lambda c: _ratio(c.catalog["complete"], c.catalog["published"]),
    "portal_sync": lambda c: _ratio(c.sync["synced"], c.sync["total"]),
    "progress_on_time": _progress,
    "procedures_online": lambda c: _ratio(c.catalog["online"], c.catalog["published"]),
    "online_services_used": lambda c: _ratio(c.online["used"], c.catalog["online"]),
    "dossiers_online": lambda c: _ratio(c.online["online"], c.online["received"]),
    "fee_procedures_paid_online": lambda c: _ratio(c.pay["procedures_paid_online"], c.pay["fee_procedures"]),
    "fee_dossiers_paid_online": lambda c: _ratio(c.pay["paid_online"], c.pay["fee_dossiers"]),
    "recommendations_on_time": lambda c: _ratio(
        c.answers["on_time"], c.answers["answered"] + c.answers["overdue"]
    ),
    "tthc_satisfaction": _satisfaction,
    "results_digitised": lambda c: (
        _ratio(c.digitised.results_digitised, c.digitised.resolved) if c.digitised else None
    ),
    "dossiers_digitised": lambda c: (
        _ratio(c.digitised.dossiers_with_digitised_components, c.digitised.dossiers) if c.digitised else None
    ),
    "components_reused": lambda c: (
        _ratio(c.digitised.components_reused, c.digitised.components) if c.digitised else None
    ),
}


def score(indicator: IndexIndicator, rate: Decimal | None) -> Decimal | None:
    """The points of one indicator for a rate (None: no data)."""
    if rate is None:
        return None
    if indicator.threshold_percent:
        achieved = min(Decimal(1), rate * 100 / indicator.threshold_percent)
    else:
        achieved = min(Decimal(1), rate)
    return (indicator.max_points * achieved).quantize(CENT, rounding=ROUND_HALF_UP)


def version_for(day: datetime.date) -> IndexVersion | None:
    return (
        IndexVersion.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


@dataclass
class AgencyIndex:
    agency_id: int
    code: str
    agency: str
    indicators: dict = field(default_factory=dict)  # key -> (rate or None, points or None)
    groups: dict = field(default_factory=dict)  # group key -> points or None
    points: Decimal = Decimal(0)
    available: Decimal = Decimal(0)
    rank: int = 0

    @property
    def share(self) -> Decimal | None:
        if not self.available:
            return None
        return (self.points * 100 / self.available).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _catalog(agency_ids) -> dict:
    procedures = Procedure.objects.published()
    if agency_ids is not None:
        procedures = procedures.filter(resolving_agency_id__in=list(agency_ids))
    has_documents = Exists(RequiredDocument.objects.filter(procedure=OuterRef("pk")))
    complete = Q(has_documents=True) & (Q(time_limit_unit="same_day") | Q(time_limit_value__isnull=False))
    return {
        row["resolving_agency_id"]: row
        for row in procedures.annotate(has_documents=has_documents)
        .values("resolving_agency_id")
        .annotate(
            published=Count("pk"),
            complete=Count("pk", filter=complete),
            online=Count("pk", filter=Q(online_level__in=ONLINE_LEVELS)),
        )
        .order_by()
    }


def _version_and_groups(date_to):
    """The index version in force on `date_to` and its groups, each with its ordered `.indicator_list`."""
    version = version_for(date_to)
    if version is None:
        raise ValidationError(
            {
                "to": _("Chưa có phiên bản Bộ chỉ số 766 áp dụng cho ngày %(d)s.")
                % {"d": f"{date_to:%d/%m/%Y}"}
            }
        )
    groups = list(version.groups.prefetch_related("indicators").order_by("position", "id"))
    for g in groups:
        g.indicator_list = list(g.indicators.order_by("position", "id"))
    return version, groups


def _online_use(received, online_enabled):
    """Per agency: dossiers received, received online, and online-enabled procedures actually used online."""
    online: dict[int, dict] = {}
    for (agency_id, procedure_id), row in received.items():
        entry = online.setdefault(agency_id, {"received": 0, "online": 0, "used": 0})
        entry["received"] += row["received"]
        entry["online"] += row["online"]
        if procedure_id in online_enabled and row["online"]:
            entry["used"] += 1
    return online


def _scored_unit(pk, agency, ctx, groups):
    """One agency's index: each indicator's rate and points, the group subtotals and the totals."""
    unit = AgencyIndex(
        agency_id=pk,
        code=(agency.identity_code or agency.short_name) if agency else "",
        agency=agency.name if agency else "",
    )
    for g in groups:
        got, out_of = Decimal(0), Decimal(0)
        for ind in g.indicator_list:
            rate = MEASURES[ind.measure](ctx) if ind.measure in MEASURES else None
            points = score(ind, rate)
            unit.indicators[ind.key] = (rate, points)
            if points is not None:
                got += points
                out_of += ind.max_points
        unit.groups[g.key] = got if out_of else None
        unit.points += got
        unit.available += out_of
    return unit


def _rank(units):
    """Sort the units by share of available points (best first, then by name) and number them."""
    units.sort(key=lambda u: (-(u.points / u.available) if u.available else 0, u.agency))
    for position, unit in enumerate(units, start=1):
        unit.rank = position


def quality_index(date_from, date_to, agency_ids=None, *, digitised=None, evaluations=None, timeliness=None):
    """The index of each agency with dossiers in the period, by the version in force on `date_to`.

    Returns {"version": IndexVersion, "groups": [IndexGroup with .indicator_list], "units": [AgencyIndex]}.
    """
    from motcua.feedback.services import aggregate, answer_timeliness
    from motcua.national_portal.reports import sync_counts_by_agency
    from motcua.payments.reports import online_payment_counts

    from .figures import DIGITISATION_MEASURES, _digitisation_rates

    date_from, date_to = parse_period(date_from, date_to)
    version, groups = _version_and_groups(date_to)
    facts.sync()
    grouped = counts_by("agency_id", date_from, date_to, agency_ids=agency_ids)
    catalog = _catalog(agency_ids)
    online_enabled = set(
        Procedure.objects.published().filter(online_level__in=ONLINE_LEVELS).values_list("pk", flat=True)
    )
    measures = ["online", *DIGITISATION_MEASURES] if digitised is None else ["received", "online"]
    received = rollup.flows(
        date_from, date_to, measures, by=("agency_id", "procedure_id"), agency_ids=agency_ids
    )
    if digitised is None:
        digitised = _digitisation_rates(received)
    online = _online_use(received, online_enabled)
    synced = sync_counts_by_agency(date_from, date_to, agencies=agency_ids)
    payments = online_payment_counts(date_from, date_to, agencies=agency_ids)
    if evaluations is None:
        evaluations = aggregate(date_from, date_to, agencies=agency_ids)
    by_agency = {row["agency"]: row for row in evaluations["rows"]}
    answers = (
        timeliness if timeliness is not None else answer_timeliness(date_from, date_to, agencies=agency_ids)
    )
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=[k for k in grouped if k is not None])}
    units = []
    for pk, counts in grouped.items():
        if pk is None or not counts.received:
            continue
        ctx = Context(
            counts=counts,
            catalog=catalog.get(pk, {"published": 0, "complete": 0, "online": 0}),
            online=online.get(pk, {"received": 0, "online": 0, "used": 0}),
            sync=synced.get(pk, {"synced": 0, "total": 0}),
            pay=payments.get(
                pk, {"fee_procedures": 0, "procedures_paid_online": 0, "fee_dossiers": 0, "paid_online": 0}
            ),
            evaluation=by_agency.get(pk),
            answers=answers.get(pk, {"answered": 0, "on_time": 0, "overdue": 0}),
            digitised=digitised.get(pk),
        )
        units.append(_scored_unit(pk, agencies.get(pk), ctx, groups))
    _rank(units)
    return {"version": version, "groups": groups, "units": units}


def as_api(index: dict) -> dict:
    """The shape of `GET /api/v1/reports/quality_index` (API.md)."""
    return {
        "version": index["version"].code,
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "max_points": float(g.max_points),
                "indicators": [
                    {
                        "key": i.key,
                        "label": i.label,
                        "max_points": float(i.max_points),
                        "formula": i.formula,
                        "threshold_percent": float(i.threshold_percent) if i.threshold_percent else None,
                        "measured": i.measure in MEASURES,
                        "evidence": i.evidence,
                    }
                    for i in g.indicator_list
                ],
            }
            for g in index["groups"]
        ],
        "rows": [
            {
                "agency": {"code": u.code, "name": u.agency},
                "points": float(u.points),
                "max_points": float(u.available),
                "rank": u.rank,
                "groups": {k: (float(v) if v is not None else None) for k, v in u.groups.items()},
            }
            for u in index["units"]
        ],
    }
