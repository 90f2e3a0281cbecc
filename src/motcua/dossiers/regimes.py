"""Which one-stop rules a dossier follows: chosen by where and when it is received (`RegimePeriod`).

Decree 61/2018/NĐ-CP applied until 30/06/2025 and Decree 118/2025/NĐ-CP from 01/07/2025 (the nationwide
default periods; a province may have its own). The choice is made once, at receipt, and kept for life: a dossier
imported with a 2022 receipt instant is a 2018-regime dossier and prints the 2018 forms.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from motcua.org.models import AdminUnit, Agency
from motcua.refcache import ReferenceCache

from .models import RegimePeriod

_periods = ReferenceCache("regime periods")
_provinces = ReferenceCache("agency provinces")


# The law's dates, used when no period is stored at all (the migration stores the same two rows; a test
# database flushed by a transactional test has none).
DEFAULT_PERIODS = [(None, None, "2018"), (None, datetime.date(2025, 7, 1), "2025")]


def _all_periods() -> list[tuple[int | None, datetime.date | None, str]]:
    return list(RegimePeriod.objects.order_by().values_list("province_id", "valid_from", "regime")) or list(
        DEFAULT_PERIODS
    )


def province_id_of(agency: Agency) -> int:
    """The primary key of the top administrative unit above an agency (its province)."""

    def load():
        unit = AdminUnit.objects.only("pk", "parent_id").get(pk=agency.unit_id)
        chain = unit.ancestors()
        return (chain[-1] if chain else unit).pk

    return _provinces.get(agency.unit_id, load)


def regime_on(day: datetime.date, province_id: int | None = None) -> str:
    """The regime in force on `day` in the province (the latest period begun by then; the province's own
    periods win over the nationwide ones). The `MOTCUA_RULE_REGIME` setting answers only for a day that no
    period covers (an administrator removed the open-ended first period)."""
    periods = _periods.get("all", _all_periods)
    for scope in (province_id, None) if province_id is not None else (None,):
        started = [
            (start, regime)
            for pid, start, regime in periods
            if pid == scope and (start is None or start <= day)
        ]
        if started:
            return max(started, key=lambda p: p[0] or datetime.date.min)[1]
    return getattr(settings, "MOTCUA_RULE_REGIME", "2018")


def regime_for(agency: Agency | None, day: datetime.date) -> str:
    """The regime of a dossier received by `agency` on `day`."""
    return regime_on(day, province_id_of(agency) if agency is not None and agency.unit_id else None)


def _forms_periods() -> list[tuple[int | None, datetime.date | None, datetime.date | None]]:
    return list(
        RegimePeriod.objects.order_by()
        .filter(regime="2025")
        .values_list("province_id", "valid_from", "forms_from")
    )


def forms_regime(dossier) -> str:
    """The regime whose forms a dossier prints: its own, except a 2025-regime dossier received before its
    province adopted the Circular 03/2025/TT-VPCP forms (`RegimePeriod.forms_from`), which prints the 2018 forms."""
    if dossier.regime != "2025" or dossier.received_at is None:
        return dossier.regime
    day = timezone.localdate(dossier.received_at)
    province_id = province_id_of(dossier.agency) if dossier.agency_id and dossier.agency.unit_id else None
    periods = _periods.get("forms", _forms_periods)
    for scope in (province_id, None) if province_id is not None else (None,):
        started = [
            (start, forms)
            for pid, start, forms in periods
            if pid == scope and (start is None or start <= day)
        ]
        if started:
            forms_from = max(started, key=lambda p: p[0] or datetime.date.min)[1]
            return "2018" if forms_from is not None and day < forms_from else "2025"
    return dossier.regime
