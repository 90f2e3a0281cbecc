"""The Django side of the working-time calendar: build a `WorkCalendar` from settings and overrides, cached.

Settings (all optional):
- ``MOTCUA_WORKING_HOURS``: a `core.WorkingHours`, or windows as text ("07:00-11:30,13:30-17:00");
- ``MOTCUA_WORKING_WEEKDAYS``: working weekdays when the hours are given as text (default 0–4, Mon–Fri);
- ``MOTCUA_SAME_DAY_CUTOFF``: "15:00" by default.

The cache is per process and keyed by province; each call checks a cheap fingerprint of the override table
(row count and last update), so an override added, edited or deleted anywhere (another process, a rolled-back
test transaction) rebuilds the calendar on the next call. Saving or deleting an override also clears the
process's cache at once. Callers computing many due dates should call `get_calendar()` once and reuse it.
"""

import datetime as dt
import threading

from django.conf import settings
from django.db.models import Count, Max

from . import core
from .models import CalendarOverride

_lock = threading.Lock()
_cache: dict[str | None, tuple[tuple, core.WorkCalendar]] = {}


def _fingerprint() -> tuple:
    stats = CalendarOverride.objects.aggregate(count=Count("id"), last=Max("updated_at"), top=Max("id"))
    return (stats["count"], stats["last"], stats["top"], _settings_key())


def _settings_key() -> tuple:
    return (
        repr(getattr(settings, "MOTCUA_WORKING_HOURS", None)),
        repr(getattr(settings, "MOTCUA_WORKING_WEEKDAYS", None)),
        repr(getattr(settings, "MOTCUA_SAME_DAY_CUTOFF", None)),
    )


def working_hours() -> core.WorkingHours:
    configured = getattr(settings, "MOTCUA_WORKING_HOURS", None)
    if configured is None:
        return core.DEFAULT_WORKING_HOURS
    if isinstance(configured, core.WorkingHours):
        return configured
    weekdays = getattr(settings, "MOTCUA_WORKING_WEEKDAYS", (0, 1, 2, 3, 4))
    return core.WorkingHours.standard(configured, weekdays)


def same_day_cutoff() -> dt.time:
    configured = getattr(settings, "MOTCUA_SAME_DAY_CUTOFF", None)
    if configured is None:
        return core.DEFAULT_SAME_DAY_CUTOFF
    if isinstance(configured, dt.time):
        return configured
    try:
        return dt.time.fromisoformat(str(configured))
    except ValueError as exc:
        raise core.InvalidSchedule(f"Giờ chốt nhận hồ sơ trong ngày «{configured}» không hợp lệ.") from exc


def overrides_for(province_code: str | None = None) -> list[core.Override]:
    """National overrides, replaced date by date by the province's own ones."""
    rows = CalendarOverride.objects.filter(province__isnull=True)
    by_date = {row.date: row.as_core() for row in rows}
    if province_code:
        for row in CalendarOverride.objects.filter(province__code=province_code):
            by_date[row.date] = row.as_core()
    return sorted(by_date.values(), key=lambda o: o.date)


def build_calendar(province_code: str | None = None) -> core.WorkCalendar:
    return core.WorkCalendar(
        working_hours=working_hours(),
        overrides=overrides_for(province_code),
        same_day_cutoff=same_day_cutoff(),
    )


def get_calendar(province_code: str | None = None) -> core.WorkCalendar:
    """The compiled calendar for a province (None: national), rebuilt when an override changes."""
    key = province_code or None
    fingerprint = _fingerprint()
    cached = _cache.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    calendar = build_calendar(key)
    with _lock:
        _cache[key] = (fingerprint, calendar)
    return calendar


def invalidate() -> None:
    """Forget every compiled calendar of this process."""
    with _lock:
        _cache.clear()
