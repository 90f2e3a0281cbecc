"""The Django side of the working-time calendar: build a `WorkCalendar` from settings and overrides, cached.

Working hours come from the `WorkingHoursPeriod` table (seasons per center, then seasons for every center), and
for days no season covers, from the settings (all optional):
- ``MOTCUA_WORKING_HOURS``: a `core.WorkingHours`, or windows as text ("07:00-11:30,13:30-17:00");
- ``MOTCUA_WORKING_WEEKDAYS``: working weekdays when the hours are given as text (default 0–4, Mon–Fri);
- ``MOTCUA_SAME_DAY_CUTOFF``: "15:00" by default.

The cache is per process and keyed by (province, center); a call checks a cheap fingerprint of the override and
working-hours tables (row counts and last updates), so an override added, edited or deleted anywhere (another
process, a rolled-back test transaction) rebuilds the calendar. The check is made at most once every
``MOTCUA_CALENDAR_RECHECK_SECONDS`` (1 s by default; 0 checks on every call, as the tests do): a dossier intake
asks for the calendar several times, and one query per call was a tenth of its statements. Saving or deleting an
override or a season through the models also clears the process's cache at once, so the process that made the
change sees it on its next call. Callers computing many due dates should call `get_calendar()` once and reuse it.
"""

import datetime as dt
import threading
import time

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from motcua.refcache import ReferenceCache

from . import core
from .models import CalendarOverride, WorkingHoursPeriod

_lock = threading.Lock()
_cache: dict[tuple[str | None, int | None], tuple[tuple, core.WorkCalendar]] = {}
# When this process last compared the fingerprint (monotonic seconds) and what it read.
_checked: list = [None, None]


def _fingerprint() -> tuple:
    """Row counts, last updates and highest ids of the two tables, in one round trip to the database."""
    quote = connection.ops.quote_name
    parts = []
    for model in (CalendarOverride, WorkingHoursPeriod):
        table = quote(model._meta.db_table)
        parts += [
            f"(SELECT COUNT(*) FROM {table})",
            f"(SELECT MAX({quote('updated_at')}) FROM {table})",
            f"(SELECT MAX({quote('id')}) FROM {table})",
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = tuple(cursor.fetchone())
    return (*row, _settings_key())


def _settings_key() -> tuple:
    return (
        repr(getattr(settings, "MOTCUA_WORKING_HOURS", None)),
        repr(getattr(settings, "MOTCUA_WORKING_WEEKDAYS", None)),
        repr(getattr(settings, "MOTCUA_SAME_DAY_CUTOFF", None)),
    )


def _dated_first(rows) -> list[core.SchedulePeriod]:
    """Periods with validity dates (a working week from a given day) before the undated seasons."""
    periods = [p.as_core() for p in rows]
    return sorted(periods, key=lambda p: (not p.dated, -(p.valid_from or dt.date.min).toordinal()))


def working_hours(center_id: int | None = None) -> core.WorkingHours:
    """The center's periods, then the periods for every center, then the default hours for the rest; within
    each, those with validity dates first (the latest start first)."""
    periods = []
    if center_id is not None:
        periods += _dated_first(WorkingHoursPeriod.objects.filter(center_id=center_id))
    periods += _dated_first(WorkingHoursPeriod.objects.filter(center__isnull=True))
    default = default_working_hours()
    if not periods:
        return default
    return core.WorkingHours((*periods, *default.periods))


def default_working_hours() -> core.WorkingHours:
    """The working hours from the settings, or Mon–Fri 07:00–11:30 and 13:30–17:00."""
    configured = getattr(settings, "MOTCUA_WORKING_HOURS", None)
    if configured is None:
        return core.DEFAULT_WORKING_HOURS
    if isinstance(configured, core.WorkingHours):
        return configured
    weekdays = getattr(settings, "MOTCUA_WORKING_WEEKDAYS", (0, 1, 2, 3, 4))
    return core.WorkingHours.standard(configured, weekdays)


# agency pk -> (the center's id or None,): reference data, read once per process until it changes
_centers = ReferenceCache("agency centers")


def center_of(agency) -> int | None:
    """The id of the center that receives for `agency` (an Agency or its pk): the center that is the agency,
    or else the first center serving it; None when no center does (one query the first time, then the reference
    cache until a center or its agencies change)."""
    pk = getattr(agency, "pk", agency)
    if pk is None:
        return None
    return _centers.get(pk, lambda: (_read_center_of(pk),))[0]


def _read_center_of(pk) -> int | None:
    from django.db.models import Q

    from motcua.org.models import Center

    rows = list(
        Center.objects.filter(Q(agency_id=pk) | Q(agencies=pk)).values_list("pk", "agency_id").distinct()
    )
    if not rows:
        return None
    rows.sort(key=lambda row: (row[1] != pk, row[0]))
    return rows[0][0]


def same_day_cutoff() -> dt.time:
    configured = getattr(settings, "MOTCUA_SAME_DAY_CUTOFF", None)
    if configured is None:
        return core.DEFAULT_SAME_DAY_CUTOFF
    if isinstance(configured, dt.time):
        return configured
    try:
        return dt.time.fromisoformat(str(configured))
    except ValueError as exc:
        raise core.InvalidSchedule(
            _("Giờ chốt nhận hồ sơ trong ngày «%(value)s» không hợp lệ.") % {"value": configured}
        ) from exc


def overrides_for(province_code: str | None = None) -> list[core.Override]:
    """National overrides, replaced date by date by the province's own ones."""
    rows = CalendarOverride.objects.filter(province__isnull=True)
    by_date = {row.date: row.as_core() for row in rows}
    if province_code:
        for row in CalendarOverride.objects.filter(province__code=province_code):
            by_date[row.date] = row.as_core()
    return sorted(by_date.values(), key=lambda o: o.date)


def build_calendar(province_code: str | None = None, center_id: int | None = None) -> core.WorkCalendar:
    return core.WorkCalendar(
        working_hours=working_hours(center_id),
        overrides=overrides_for(province_code),
        same_day_cutoff=same_day_cutoff(),
    )


def get_calendar(province_code: str | None = None, *, center_id: int | None = None) -> core.WorkCalendar:
    """The compiled calendar for a province (None: national) and a center's working hours (None: the common
    hours), rebuilt when an override or the working hours change."""
    key = (province_code or None, center_id)
    fingerprint = _current_fingerprint()
    cached = _cache.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    calendar = build_calendar(*key)
    with _lock:
        _cache[key] = (fingerprint, calendar)
    return calendar


def _current_fingerprint() -> tuple:
    """The fingerprint, read again when the last reading is older than the recheck interval."""
    interval = float(getattr(settings, "MOTCUA_CALENDAR_RECHECK_SECONDS", 1.0) or 0)
    now = time.monotonic()
    checked_at, fingerprint = _checked
    if interval > 0 and checked_at is not None and now - checked_at < interval:
        return fingerprint
    fingerprint = _fingerprint()
    with _lock:
        _checked[:] = [now, fingerprint]
    return fingerprint


def invalidate() -> None:
    """Forget every compiled calendar of this process."""
    with _lock:
        _cache.clear()
        _checked[:] = [None, None]


# ----------------------------------------------------------------------------------- year overview
WEEKDAY_HEADERS = (
    pgettext_lazy("weekday", "T2"),
    pgettext_lazy("weekday", "T3"),
    pgettext_lazy("weekday", "T4"),
    pgettext_lazy("weekday", "T5"),
    pgettext_lazy("weekday", "T6"),
    pgettext_lazy("weekday", "T7"),
    pgettext_lazy("weekday", "CN"),
)
WEEKDAY_NAMES = (
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)


def month_name(month: int) -> str:
    return _("Tháng %(month)s") % {"month": month}


def parse_year(text, calendar: core.WorkCalendar | None = None) -> int:
    """A year typed by a person, checked against the calendar's range (Vietnamese error otherwise)."""
    first = calendar.first_year if calendar else core.DEFAULT_FIRST_YEAR
    last = calendar.last_year if calendar else core.DEFAULT_LAST_YEAR
    value = str(text).strip()
    if not value.isdigit():
        raise core.InvalidDate(
            _("Năm «%(text)s» không hợp lệ; hãy ghi năm bằng 4 chữ số, ví dụ 2026.") % {"text": text}
        )
    year = int(value)
    if not first <= year <= last:
        raise core.OutOfCalendarRange(
            _("Năm %(year)s nằm ngoài lịch làm việc (lịch có các năm %(first)s–%(last)s).")
            % {"year": year, "first": first, "last": last}
        )
    return year


def year_overview(year: int, province_code: str | None = None) -> dict:
    """Everything the calendar page shows for a year: month grids, the list of exceptions and totals."""
    calendar = get_calendar(province_code)
    days = calendar.year_days(year)
    months = []
    for month in range(1, 13):
        month_days = [d for d in days if d.date.month == month]
        lead = month_days[0].date.weekday()
        cells = [None] * lead + month_days
        cells += [None] * (-len(cells) % 7)
        months.append(
            {"name": month_name(month), "weeks": [cells[k : k + 7] for k in range(0, len(cells), 7)]}
        )
    exceptions = [d for d in days if d.is_exception]
    return {
        "year": year,
        "months": months,
        "exceptions": exceptions,
        "working_day_count": sum(1 for d in days if d.is_working_day),
        "day_off_count": sum(1 for d in exceptions if not d.is_working_day),
        "swapped_count": sum(1 for d in exceptions if d.is_working_day),
        "weekday_headers": WEEKDAY_HEADERS,
        "working_hours": describe_working_hours(calendar.working_hours),
        "same_day_cutoff": calendar.same_day_cutoff,
    }


def describe_working_hours(hours: core.WorkingHours) -> list[str]:
    """One line per season: "Thứ Hai–Thứ Sáu: 07:00–11:30, 13:30–17:00"."""
    names = [str(name) for name in WEEKDAY_NAMES]
    lines = []
    for period in hours.periods:
        groups: list[tuple[list[int], tuple]] = []
        for weekday, windows in enumerate(period.weekdays):
            if not windows:
                continue
            if groups and groups[-1][1] == windows and groups[-1][0][-1] == weekday - 1:
                groups[-1][0].append(weekday)
            else:
                groups.append(([weekday], windows))
        text = "; ".join(
            (names[days[0]] if len(days) == 1 else f"{names[days[0]]}–{names[days[-1]]}")
            + ": "
            + ", ".join(str(w) for w in windows)
            for days, windows in groups
        )
        if len(hours.periods) > 1:
            text = _("Từ %(first)s đến %(last)s — %(hours)s") % {
                "first": f"{period.first[1]:02d}/{period.first[0]:02d}",
                "last": f"{period.last[1]:02d}/{period.last[0]:02d}",
                "hours": text,
            }
        lines.append(text)
    return lines


# ------------------------------------------------------------------------------------ due-date check
def parse_local_datetime(text: str) -> dt.datetime:
    """ "29/04/2025 10:00" (as people type it) or ISO "2025-04-29 10:00", in Asia/Ho_Chi_Minh."""
    value = (text or "").strip()
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=core.TIMEZONE)
        except ValueError:
            continue
    try:
        return core.parse_datetime(value)
    except core.InvalidDate:
        raise core.InvalidDate(
            _(
                "Thời điểm tiếp nhận «%(text)s» không hợp lệ; hãy ghi dạng dd/mm/yyyy hh:mm, ví dụ 25/04/2025 10:00."
            )
            % {"text": text}
        ) from None


def check_due(received: str, value: str, unit: str, province_code: str | None = None) -> dict:
    """The due instant of a time limit and how it was counted, for the calendar page's calculator."""
    calendar = get_calendar(province_code)
    start = parse_local_datetime(received)
    number = str(value).strip().replace(",", ".")
    due = calendar.add(start, number, unit)
    slot = calendar.normalize(start)
    return {
        "received_at": start,
        "counting_from": slot,
        "due_at": due,
        "due_weekday": core.weekday_name(due.date()),
        "working_hours": f"{calendar.working_time_between(start, due) / dt.timedelta(hours=1):g}".replace(
            ".", ","
        ),
        "unit_label": core.UNIT_LABELS[unit],
    }
