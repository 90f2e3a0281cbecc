"""Digitisation rates for the reports (Decision 766, group 6 "Số hóa hồ sơ").

- dossiers with digitised components: received dossiers of the period having ≥ 1 digitised component;
- results digitised: resolved dossiers (result ready or returned) of the period whose result is digitised;
- components re-used: components re-used from the applicant's store among the components of those dossiers.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State

RESOLVED = (State.RESULT_READY, State.RETURNED)


@dataclass
class DigitisationRates:
    dossiers: int
    dossiers_with_digitised_components: int
    resolved: int
    results_digitised: int
    components: int
    components_reused: int

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 2) if whole else None

    @property
    def digitised_components_rate(self):
        return self._pct(self.dossiers_with_digitised_components, self.dossiers)

    @property
    def results_digitised_rate(self):
        return self._pct(self.results_digitised, self.resolved)

    @property
    def reuse_rate(self):
        return self._pct(self.components_reused, self.components)


def digitisation_rates(
    start: datetime.datetime, end: datetime.datetime, *, agency=None, unit=None, group_by: str | None = None
):
    """Rates over dossiers received in [start, end). `agency` (an Agency or id) filters by resolving agency,
    `unit` (an AdminUnit or id) by the receiving agency's administrative unit. With `group_by` "agency" or "unit"
    returns {key: DigitisationRates}; otherwise one DigitisationRates."""
    qs = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency is not None:
        qs = qs.filter(resolving_agency=agency)
    if unit is not None:
        qs = qs.filter(agency__unit=unit)
    aggregates = {
        "dossiers": Count("id"),
        "dossiers_with_digitised_components": Count("id", filter=Q(digitisation__components_digitised__gt=0)),
        "resolved": Count("id", filter=Q(state__in=RESOLVED)),
        "results_digitised": Count("id", filter=Q(state__in=RESOLVED, digitisation__result_digitised=True)),
        "components": Coalesce(Sum("digitisation__components_total"), 0),
        "components_reused": Coalesce(Sum("digitisation__components_reused"), 0),
    }
    if group_by is None:
        return DigitisationRates(**qs.aggregate(**aggregates))
    key = {"agency": "resolving_agency_id", "unit": "agency__unit_id"}[group_by]
    rows = qs.values(group=F(key)).annotate(**aggregates).order_by("group")
    return {row.pop("group"): DigitisationRates(**row) for row in rows}
