"""Working-time calendar: due dates in working days and hours around Vietnamese holidays.

This module is pure Python (no Django import) so that it can be tested in isolation and reused.
The Django layer (`motcua.workdays.services.get_calendar`) builds a `WorkCalendar` from the
administrator-editable override and working-hours tables and caches it.

Rules the code follows
======================

Time zone
    Every instant is handled in Asia/Ho_Chi_Minh (UTC+07:00, no daylight saving). Aware datetimes are
    converted to it; naive datetimes are taken to be local time already. Results are aware datetimes in
    Asia/Ho_Chi_Minh.

Days
    A day is a working day when its weekday has working windows in the schedule (by default Monday to
    Friday), unless it is a day off; a weekend day is a working day when it is a swapped working day.
    Precedence, strongest first:

    1. an administrator override (``day_off`` or ``extra_working_day``; a province's own override beats a
       national one for the same date — the Django layer resolves that before building the calendar);
    2. the public holidays of the ``holidays`` package for Vietnam (Labour Code 2019 Art. 112: New Year,
       Tết, Hùng Kings, 30/4, 1/5, 2/9 and its adjacent day, the compensatory days off for holidays falling
       on a weekend, and the bridge days off given in exchange for a swapped Saturday);
    3. the package's ``weekend_workdays`` (Saturdays that become working days in exchange for a bridge day
       off, e.g. 26/04/2025 and 22/08/2026), filtered to the calendar's years;
    4. the weekly schedule.

    An extra working day on a weekend uses the working windows of the first working weekday of its season.

    Data checked with ``holidays`` 0.109 (the minimum version required): Tết 2025 = Mon 27/01 to Fri 31/01,
    Tết 2026 = Mon 16/02 to Fri 20/02, Hùng Kings 2026 = Sun 26/04 observed Mon 27/04, 2/9 with 1/9 (2025,
    2026), swapped Saturdays 26/04/2025 (bridge day 02/05/2025) and 22/08/2026 (bridge day 31/08/2026).
    Future years are the package's rule-based estimates; the Government's yearly announcement may differ,
    which is what the override table is for. From 2026 the package also lists "Ngày Văn hóa Việt Nam" (24/11,
    citing Resolution 80-NQ/TW) as a day off; it is kept, and an administrator can cancel it with an
    ``extra_working_day`` override if the legal text does not confirm it.

Working hours
    The schedule is a list of yearly recurring periods (seasons), each with working windows per weekday.
    The default is Monday to Friday 07:00–11:30 and 13:30–17:00: 4 h 30 + 3 h 30 = 8 working hours, the
    length of one working day. A window is half-open: [opening, closing).

Normalisation of a receipt instant
    Inside a working window: unchanged. Before the opening or during the lunch break: the next opening of
    the same day. At or after the afternoon closing, or on a day that is not a working day: the first
    opening of the next working day.

Units (the exact strings are shared with the catalog and the API)
    ``working_hours``  N working hours of working time counted from the normalised start.
    ``working_days``   N working days = N × 8 working hours (durations are stored in hours by both
                       reference systems), so the due instant is the same clock time N working days later
                       (when counting starts at an opening: the closing time of the N-th working day, the
                       start day being the first). Fractions are allowed (0.5 working day = 4 working hours).
    ``calendar_days``  The due day is the normalised start's date + N calendar days (only whole N); if that
                       day is not a working day, the next working day (Civil Code 2015 Art. 148). The due
                       instant is that day's closing time. With ``skip_holidays=True`` (a per-procedure flag)
                       listed holidays and administrator days off are not counted among the N days;
                       weekends still are.
    ``same_day``       Due at the closing time of the normalised start's day; if the normalised start is
                       after the same-day cut-off (15:00 by default; exactly 15:00 is not "after"), due at
                       the closing time of the next working day. The value is not used (0 or 1 by
                       convention) but must not be negative.

    A duration that ends exactly at the end of a window is due at that closing time (e.g. 17:00), not at
    the next opening. A zero duration is due at the normalised start.

Working time between two instants
    Only time inside working windows of working days counts. The result is negative when the second
    instant is earlier than the first.

Pauses
    A pause (waiting for a supplement, for a financial obligation) extends a due instant by the working
    time between the pause start and the resumption, so the clock stops only during working time that
    was actually lost; a pause spanning Tết extends the due instant by the working days around Tết only.

Remaining time as people say it
    Working time, 8 hours a day: "Còn 2 ngày 3 giờ", "Còn 3 giờ 20 phút", "Quá hạn 1 ngày", "Đến hạn" at
    the due instant, "Vừa quá hạn" when the due instant has passed but no working time has since.
    Minutes are shown only when less than a day remains; smaller parts are truncated.

Calendar range and errors
    A calendar covers whole years (by default 2010 to 2045). Every error is a subclass of
    ``WorkdaysError`` (itself a ``ValueError``) whose message is Vietnamese, for people:
    ``InvalidDuration`` (negative, fractional calendar days, not a number), ``UnknownUnit``,
    ``InvalidDate`` (malformed or wrong type), ``OutOfCalendarRange`` (a year outside the calendar),
    ``InvalidSchedule`` (bad working-hours configuration).

Speed
    The calendar is compiled once into per-day arrays: prefix sums of working time and of working days, so
    adding a duration or measuring working time costs O(log n) (a bisection) whatever the duration.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "CALENDAR_DAYS",
    "DAY_OFF",
    "DEFAULT_WORKING_HOURS",
    "EXTRA_WORKING_DAY",
    "SAME_DAY",
    "TIMEZONE",
    "UNITS",
    "WORKING_DAYS",
    "WORKING_HOURS",
    "CalendarDay",
    "InvalidDate",
    "InvalidDuration",
    "InvalidSchedule",
    "OutOfCalendarRange",
    "Override",
    "SchedulePeriod",
    "UnknownUnit",
    "Window",
    "WorkCalendar",
    "WorkdaysError",
    "WorkingHours",
    "parse_datetime",
    "parse_windows",
    "weekday_name",
]

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"
SAME_DAY = "same_day"
UNITS = (WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS, SAME_DAY)
UNIT_LABELS = {
    WORKING_DAYS: "ngày làm việc",
    WORKING_HOURS: "giờ làm việc",
    CALENDAR_DAYS: "ngày (theo lịch)",
    SAME_DAY: "trong ngày",
}

DAY_OFF = "day_off"
EXTRA_WORKING_DAY = "extra_working_day"
OVERRIDE_KINDS = (DAY_OFF, EXTRA_WORKING_DAY)

# Kinds of day, as shown on the calendar page and by the `workdays` command.
KIND_WORKING = "working"
KIND_WEEKEND = "weekend"
KIND_HOLIDAY = "holiday"
KIND_SWAPPED_WORKING = "swapped_working_day"
KIND_OVERRIDE_OFF = "override_day_off"
KIND_OVERRIDE_WORKING = "override_working_day"
KIND_LABELS = {
    KIND_WORKING: "Ngày làm việc",
    KIND_WEEKEND: "Nghỉ hằng tuần",
    KIND_HOLIDAY: "Nghỉ lễ, Tết, nghỉ bù",
    KIND_SWAPPED_WORKING: "Làm việc bù (hoán đổi)",
    KIND_OVERRIDE_OFF: "Nghỉ theo quyết định bổ sung",
    KIND_OVERRIDE_WORKING: "Làm việc theo quyết định bổ sung",
}

DEFAULT_FIRST_YEAR = 2010
DEFAULT_LAST_YEAR = 2045
HOURS_PER_DAY = 8
DEFAULT_SAME_DAY_CUTOFF = dt.time(15, 0)

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND
_WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday_name(day: dt.date) -> str:
    """ "Thứ Hai" ... "Chủ nhật"."""
    return _WEEKDAY_NAMES[day.weekday()]


# --------------------------------------------------------------------------------------------- errors
class WorkdaysError(ValueError):
    """Base class of the calendar's errors; ``str(error)`` is a Vietnamese message for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidDuration(WorkdaysError):
    """The duration is negative, not a number, or not whole where it must be."""


class UnknownUnit(WorkdaysError):
    """The time-limit unit is not one of ``UNITS``."""


class InvalidDate(WorkdaysError):
    """A date or instant is malformed, of the wrong type, or out of order."""


class OutOfCalendarRange(WorkdaysError):
    """The date (or the due date it leads to) falls in a year the calendar does not cover."""


class InvalidSchedule(WorkdaysError):
    """The working-hours configuration is inconsistent."""


# ------------------------------------------------------------------------------------------- schedule
def _fmt_time(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _fmt_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _time_us(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _US_PER_SECOND + value.microsecond


@dataclass(frozen=True)
class Window:
    """One working window of a day, half-open: [start, end)."""

    start: dt.time
    end: dt.time

    def __post_init__(self):
        if not (isinstance(self.start, dt.time) and isinstance(self.end, dt.time)):
            raise InvalidSchedule("Giờ làm việc phải là giờ:phút.")
        if self.start >= self.end:
            raise InvalidSchedule(
                f"Khung giờ làm việc {_fmt_time(self.start)}–{_fmt_time(self.end)} không hợp lệ: "
                "giờ bắt đầu phải trước giờ kết thúc."
            )

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(microseconds=_time_us(self.end) - _time_us(self.start))

    def __str__(self) -> str:
        return f"{_fmt_time(self.start)}–{_fmt_time(self.end)}"


_WINDOW_RE = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*[-–]\s*(\d{1,2})[:h](\d{2})\s*$")


def parse_windows(text: str) -> tuple[Window, ...]:
    """Parse "07:00-11:30,13:30-17:00" into windows (empty text: no window, a day off)."""
    if not isinstance(text, str):
        raise InvalidSchedule("Khung giờ làm việc phải là chuỗi dạng 07:00-11:30,13:30-17:00.")
    windows = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _WINDOW_RE.match(part)
        if not match:
            raise InvalidSchedule(f"Không đọc được khung giờ «{part}»; dùng dạng 07:00-11:30.")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            windows.append(Window(dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError as exc:
            if isinstance(exc, WorkdaysError):
                raise
            raise InvalidSchedule(f"Giờ không hợp lệ trong khung «{part}».") from exc
    return _check_windows(tuple(windows))


def _check_windows(windows: tuple[Window, ...]) -> tuple[Window, ...]:
    for earlier, later in zip(windows, windows[1:], strict=False):
        if later.start < earlier.end:
            raise InvalidSchedule(
                f"Các khung giờ {earlier} và {later} chồng lên nhau hoặc không theo thứ tự thời gian."
            )
    return windows


@dataclass(frozen=True)
class SchedulePeriod:
    """A yearly recurring period (season) with working windows per weekday (0 = Monday ... 6 = Sunday).

    ``first`` and ``last`` are (month, day), inclusive; a period may wrap the year end (16/10 to 15/04).
    """

    first: tuple[int, int]
    last: tuple[int, int]
    weekdays: tuple[tuple[Window, ...], ...]

    def __post_init__(self):
        if len(self.weekdays) != 7:
            raise InvalidSchedule("Lịch giờ làm việc phải có đủ 7 ngày trong tuần.")
        for month_day in (self.first, self.last):
            try:
                dt.date(2024, *month_day)
            except (TypeError, ValueError) as exc:
                raise InvalidSchedule(f"Ngày/tháng {month_day} của mùa làm việc không hợp lệ.") from exc
        for windows in self.weekdays:
            _check_windows(tuple(windows))
        if not any(self.weekdays):
            raise InvalidSchedule("Lịch giờ làm việc phải có ít nhất một ngày làm việc trong tuần.")

    def covers(self, day: dt.date) -> bool:
        key = (day.month, day.day)
        if self.first <= self.last:
            return self.first <= key <= self.last
        return key >= self.first or key <= self.last

    @property
    def workday_windows(self) -> tuple[Window, ...]:
        """Windows used on an extra working day that falls on a weekend."""
        return next(w for w in self.weekdays if w)


@dataclass(frozen=True)
class WorkingHours:
    """A working-hours schedule: seasons, each with per-weekday windows. Every day of a year is covered."""

    periods: tuple[SchedulePeriod, ...]

    def __post_init__(self):
        if not self.periods:
            raise InvalidSchedule("Lịch giờ làm việc phải có ít nhất một mùa.")
        day = dt.date(2024, 1, 1)  # a leap year, so 29/02 is checked too
        while day.year == 2024:
            if not any(p.covers(day) for p in self.periods):
                raise InvalidSchedule(f"Ngày {day:%d/%m} không thuộc mùa làm việc nào.")
            day += dt.timedelta(days=1)

    @classmethod
    def standard(
        cls,
        windows: str | Sequence[Window] = "07:00-11:30,13:30-17:00",
        working_weekdays: Iterable[int] = (0, 1, 2, 3, 4),
    ) -> WorkingHours:
        """The same windows on every working weekday, all year round."""
        parsed = parse_windows(windows) if isinstance(windows, str) else _check_windows(tuple(windows))
        if not parsed:
            raise InvalidSchedule("Phải có ít nhất một khung giờ làm việc.")
        weekdays = set(working_weekdays)
        if not weekdays:
            raise InvalidSchedule("Lịch giờ làm việc phải có ít nhất một ngày làm việc trong tuần.")
        if not weekdays <= set(range(7)):
            raise InvalidSchedule("Các ngày làm việc trong tuần phải nằm trong 0 (Thứ Hai) đến 6 (Chủ nhật).")
        return cls(
            (SchedulePeriod((1, 1), (12, 31), tuple(parsed if d in weekdays else () for d in range(7))),)
        )

    def period_for(self, day: dt.date) -> SchedulePeriod:
        return next(p for p in self.periods if p.covers(day))


DEFAULT_WORKING_HOURS = WorkingHours.standard()


@dataclass(frozen=True)
class Override:
    """An administrator's override of one date: an extra day off or an extra working day."""

    date: dt.date
    kind: str
    name: str = ""
    legal_reference: str = ""

    def __post_init__(self):
        if self.kind not in OVERRIDE_KINDS:
            raise InvalidSchedule(
                f"Loại điều chỉnh «{self.kind}» không hợp lệ (day_off hoặc extra_working_day)."
            )
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise InvalidDate("Ngày điều chỉnh phải là một ngày (dd/mm/yyyy).")


@dataclass(frozen=True)
class CalendarDay:
    """What the calendar knows about one date."""

    date: dt.date
    is_working_day: bool
    kind: str
    name: str = ""
    source: str = "schedule"  # "schedule" | "package" | "admin"
    legal_reference: str = ""
    windows: tuple[Window, ...] = field(default=())

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def weekday_name(self) -> str:
        return weekday_name(self.date)

    @property
    def is_exception(self) -> bool:
        """True for holidays, swaps and overrides (what the `workdays` command lists)."""
        return self.kind not in (KIND_WORKING, KIND_WEEKEND)


# ----------------------------------------------------------------------------------------- parsing
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_datetime(text: str) -> dt.datetime:
    """Parse "YYYY-MM-DD HH:MM" (or ISO 8601, with or without offset) into an aware local datetime."""
    if not isinstance(text, str):
        raise InvalidDate("Thời điểm phải được ghi dạng YYYY-MM-DD HH:MM.")
    value = text.strip()
    parsed = None
    for fmt in _DATETIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or not re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", value):
        raise InvalidDate(
            f"Thời điểm «{text}» không hợp lệ; hãy ghi dạng YYYY-MM-DD HH:MM, ví dụ 2025-04-25 10:00."
        )
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=TIMEZONE)
    return parsed.astimezone(TIMEZONE)


def _to_local_naive(value, what: str = "Thời điểm") -> dt.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, dt.datetime):
        raise InvalidDate(f"{what} phải là ngày giờ (datetime), không phải {type(value).__name__}.")
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(TIMEZONE)
    return value.replace(tzinfo=None)


def _to_date(value) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise InvalidDate(f"Ngày «{value}» không hợp lệ; hãy ghi dạng YYYY-MM-DD.") from exc
    if isinstance(value, dt.datetime):
        return _to_local_naive(value).date()
    if isinstance(value, dt.date):
        return value
    raise InvalidDate(f"Ngày phải là kiểu date, không phải {type(value).__name__}.")


def _to_decimal(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidDuration(f"Thời hạn «{value}» không phải là một số.")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise InvalidDuration(f"Thời hạn «{value}» không phải là một số.") from exc
    if not number.is_finite():
        raise InvalidDuration(f"Thời hạn «{value}» không phải là một số hữu hạn.")
    if number < 0:
        raise InvalidDuration(f"Thời hạn không được âm (nhận được {value}).")
    return number


# ------------------------------------------------------------------------------------- package data
_SWAP_RE = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


@lru_cache(maxsize=8)
def _package_days(first_year: int, last_year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """Vietnam's holidays (Vietnamese names) and swapped working Saturdays for the years, from `holidays`."""
    years = range(first_year, last_year + 1)
    calendar = holidays.Vietnam(years=years, language="vi")
    days_off = {day: name for day, name in calendar.items() if first_year <= day.year <= last_year}
    # The package's set also carries a few dates whatever years are asked for: keep the calendar's years.
    swapped = frozenset(
        day for day in getattr(calendar, "weekend_workdays", ()) if first_year <= day.year <= last_year
    )
    return days_off, swapped


# ------------------------------------------------------------------------------------------ calendar
class WorkCalendar:
    """A compiled working-time calendar (see the module docstring for the rules)."""

    def __init__(
        self,
        *,
        first_year: int = DEFAULT_FIRST_YEAR,
        last_year: int = DEFAULT_LAST_YEAR,
        working_hours: WorkingHours | None = None,
        overrides: Iterable[Override] = (),
        same_day_cutoff: dt.time = DEFAULT_SAME_DAY_CUTOFF,
        use_package_holidays: bool = True,
    ):
        if not (isinstance(first_year, int) and isinstance(last_year, int)) or not (
            1995 <= first_year <= last_year <= 2100
        ):
            raise InvalidSchedule(
                "Khoảng năm của lịch phải nằm trong 1995–2100 và năm đầu không sau năm cuối."
            )
        if not isinstance(same_day_cutoff, dt.time):
            raise InvalidSchedule("Giờ chốt nhận hồ sơ trong ngày phải là giờ:phút.")
        self.first_year = first_year
        self.last_year = last_year
        self.working_hours = working_hours or DEFAULT_WORKING_HOURS
        self.same_day_cutoff = same_day_cutoff
        self._cutoff_us = _time_us(same_day_cutoff)
        self._origin = dt.date(first_year, 1, 1)
        self._end = dt.date(last_year, 12, 31)
        overrides = list(overrides)
        self.overrides = {o.date: o for o in overrides}
        self._compile(use_package_holidays)

    # ------------------------------------------------------------------ compilation
    def _compile(self, use_package_holidays: bool) -> None:
        if use_package_holidays:
            package_off, package_swapped = _package_days(self.first_year, self.last_year)
        else:
            package_off, package_swapped = {}, frozenset()
        self.package_days_off = package_off
        self.package_swapped_days = package_swapped
        # "Ngày nghỉ (thay cho ngày 26/04/2025)" names the Saturday worked in exchange for the bridge day off.
        self._swap_names: dict[dt.date, str] = {}
        for bridge, name in package_off.items():
            match = _SWAP_RE.search(name)
            if match:
                worked = dt.date(int(match[3]), int(match[2]), int(match[1]))
                self._swap_names[worked] = f"Làm việc bù cho ngày nghỉ {_fmt_date(bridge)}"

        n_days = (self._end - self._origin).days + 1
        windows_us: list[tuple[tuple[int, int], ...]] = []
        kinds: list[str] = []
        cum = [0] * (n_days + 1)  # working time (µs) before day i
        wcount = [0] * (n_days + 1)  # working days before day i
        hcount = [0] * (n_days + 1)  # days counted by calendar-day units that skip listed holidays
        period_cache: dict[tuple[int, int], SchedulePeriod] = {}
        window_cache: dict[tuple[Window, ...], tuple[tuple[int, int], ...]] = {}

        day = self._origin
        for i in range(n_days):
            key = (day.month, day.day)
            period = period_cache.get(key)
            if period is None:
                period = period_cache[key] = self.working_hours.period_for(day)
            weekly = period.weekdays[day.weekday()]
            override = self.overrides.get(day)
            if override is not None:
                if override.kind == DAY_OFF:
                    windows, kind = (), KIND_OVERRIDE_OFF
                else:
                    windows, kind = (weekly or period.workday_windows), KIND_OVERRIDE_WORKING
            elif day in package_off:
                # a holiday on a weekend day stays a day off; its observed day is listed by the package too
                windows, kind = (), KIND_HOLIDAY
            elif day in package_swapped and not weekly:
                windows, kind = period.workday_windows, KIND_SWAPPED_WORKING
            elif weekly:
                windows, kind = weekly, KIND_WORKING
            else:
                windows, kind = (), KIND_WEEKEND
            compiled = window_cache.get(windows)
            if compiled is None:
                compiled = window_cache[windows] = tuple(
                    (_time_us(w.start), _time_us(w.end)) for w in windows
                )
            windows_us.append(compiled)
            kinds.append(kind)
            cum[i + 1] = cum[i] + sum(end - start for start, end in compiled)
            wcount[i + 1] = wcount[i] + (1 if compiled else 0)
            listed_off = kind in (KIND_HOLIDAY, KIND_OVERRIDE_OFF)
            hcount[i + 1] = hcount[i] + (0 if listed_off else 1)
            day += dt.timedelta(days=1)

        self._windows = windows_us
        self._kinds = kinds
        self._cum = cum
        self._wcount = wcount
        self._hcount = hcount
        self._n_days = n_days
        self._origin_ordinal = self._origin.toordinal()
        self._dates = [self._origin + dt.timedelta(days=k) for k in range(n_days)]

    # ------------------------------------------------------------------ low-level helpers
    def _out_of_range(self, year: int) -> OutOfCalendarRange:
        return OutOfCalendarRange(
            f"Năm {year} nằm ngoài lịch làm việc (lịch có các năm {self.first_year}–{self.last_year})."
        )

    def _index(self, day: dt.date) -> int:
        i = (day - self._origin).days
        if not 0 <= i < self._n_days:
            raise self._out_of_range(day.year)
        return i

    def _date(self, i: int) -> dt.date:
        return self._dates[i]

    def _split(self, value, what: str = "Thời điểm") -> tuple[int, int]:
        """(day index, clock in µs since local midnight) of an instant, in Asia/Ho_Chi_Minh."""
        if type(value) is not dt.datetime or (value.tzinfo is not None and value.tzinfo is not TIMEZONE):
            value = _to_local_naive(value, what)
        i = value.toordinal() - self._origin_ordinal
        if not 0 <= i < self._n_days:
            raise self._out_of_range(value.year)
        clock = ((value.hour * 60 + value.minute) * 60 + value.second) * _US_PER_SECOND + value.microsecond
        return i, clock

    def _instant(self, i: int, offset_us: int) -> dt.datetime:
        day = self._dates[i]
        seconds, micro = divmod(offset_us, _US_PER_SECOND)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=TIMEZONE)

    def _position(self, i: int, clock: int) -> int:
        """Working time (µs) from the calendar's origin up to the instant."""
        elapsed = 0
        for start, end in self._windows[i]:
            if clock <= start:
                break
            elapsed += (clock if clock < end else end) - start
        return self._cum[i] + elapsed

    def _from_position(self, target: int) -> dt.datetime:
        """The earliest instant whose position is `target` (> 0): a closing time rather than the next opening."""
        k = bisect_left(self._cum, target)
        if k > self._n_days:
            raise self._out_of_range(self.last_year + 1)
        i = k - 1
        rest = target - self._cum[i]
        for start, end in self._windows[i]:
            length = end - start
            if rest <= length:
                return self._instant(i, start + rest)
            rest -= length
        raise AssertionError("inconsistent compiled calendar")  # pragma: no cover

    def _next_working_index(self, i: int) -> int:
        """The first working day strictly after day index i."""
        j = bisect_right(self._wcount, self._wcount[i + 1]) - 1
        if j >= self._n_days:
            raise self._out_of_range(self.last_year + 1)
        return j

    def _working_index_on_or_after(self, i: int) -> int:
        return i if self._windows[i] else self._next_working_index(i)

    def _close(self, i: int) -> dt.datetime:
        return self._instant(i, self._windows[i][-1][1])

    def _normalize_split(self, i: int, clock: int) -> tuple[int, int]:
        for start, end in self._windows[i]:
            if clock < end:
                return i, (clock if clock > start else start)
        j = self._next_working_index(i)
        return j, self._windows[j][0][0]

    def _add_us(self, i: int, clock: int, amount: int) -> dt.datetime:
        if amount == 0:
            return self._instant(*self._normalize_split(i, clock))
        return self._from_position(self._position(i, clock) + amount)

    # ------------------------------------------------------------------ public API
    def normalize(self, value: dt.datetime) -> dt.datetime:
        """The receipt instant moved to a working slot (unchanged when already inside a window)."""
        return self._instant(*self._normalize_split(*self._split(value)))

    def add(self, start: dt.datetime, value, unit: str, *, skip_holidays: bool = False) -> dt.datetime:
        """The due instant of a time limit of `value` `unit` counted from `start`."""
        if unit not in UNITS:
            choices = ", ".join(f"{label} ({code})" for code, label in UNIT_LABELS.items())
            raise UnknownUnit(f"Đơn vị thời hạn «{unit}» không hợp lệ; hãy dùng một trong: {choices}.")
        # a non-negative int is the common case: skip the cost of Decimal
        number = value if type(value) is int and value >= 0 else _to_decimal(value)
        i, clock = self._split(start, "Thời điểm bắt đầu")
        if unit == WORKING_DAYS:
            return self._add_us(i, clock, _hours_to_us(number * HOURS_PER_DAY))
        if unit == WORKING_HOURS:
            return self._add_us(i, clock, _hours_to_us(number))
        i, offset = self._normalize_split(i, clock)
        if unit == SAME_DAY:
            if offset > self._cutoff_us:
                i = self._next_working_index(i)
            return self._close(i)
        # calendar days
        if number != int(number):
            raise InvalidDuration(f"Thời hạn theo ngày lịch phải là số nguyên (nhận được {value}).")
        n = int(number)
        if skip_holidays:
            if n == 0:
                j = i
            else:
                # the n-th day after day i that is not a listed holiday
                j = bisect_left(self._hcount, self._hcount[i + 1] + n) - 1
                if j >= self._n_days:
                    raise self._out_of_range(self.last_year + 1)
        else:
            j = i + n
            if j >= self._n_days:
                raise self._out_of_range((self._origin + dt.timedelta(days=j)).year)
        return self._close(self._working_index_on_or_after(j))

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta | int) -> dt.datetime:
        """`start` plus an amount of working time (a timedelta, or an int of microseconds)."""
        if isinstance(amount, dt.timedelta):
            amount = (amount.days * 86_400 + amount.seconds) * _US_PER_SECOND + amount.microseconds
        elif isinstance(amount, bool) or not isinstance(amount, int):
            raise InvalidDuration("Thời gian làm việc phải là timedelta hoặc số micro giây.")
        if amount < 0:
            raise InvalidDuration("Thời hạn không được âm.")
        return self._add_us(*self._split(start), amount)

    def subtract_working_time(self, end: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest instant that lies `amount` of working time before `end` (so 8 working hours before
        Monday 08:00 is the previous working day's 08:00, and 1 hour before Saturday 02:00 is Friday 16:00)."""
        us = (amount.days * 86_400 + amount.seconds) * _US_PER_SECOND + amount.microseconds
        if us < 0:
            raise InvalidDuration("Thời hạn không được âm.")
        target = self._position(*self._split(end)) - us
        if target <= 0:
            raise self._out_of_range(self.first_year - 1)
        return self._from_position(target)

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from `a` to `b` (negative when `b` is before `a`)."""
        us = self._position(*self._split(b)) - self._position(*self._split(a))
        return dt.timedelta(microseconds=us)

    def extend_for_pause(
        self, due: dt.datetime, paused_from: dt.datetime, resumed_at: dt.datetime
    ) -> dt.datetime:
        """The due instant pushed back by the working time lost while paused."""
        due_at = self._split(due, "Hạn giải quyết")
        start = self._split(paused_from, "Thời điểm tạm dừng")
        end = self._split(resumed_at, "Thời điểm tiếp tục")
        if end < start:
            raise InvalidDate(
                "Thời điểm tiếp tục xử lý phải sau thời điểm tạm dừng "
                f"({self._instant(*end):%H:%M %d/%m/%Y} trước {self._instant(*start):%H:%M %d/%m/%Y})."
            )
        lost = self._position(*end) - self._position(*start)
        if lost == 0:
            return self._instant(*due_at)
        return self._from_position(self._position(*due_at) + lost)

    def describe_remaining(self, now: dt.datetime, due: dt.datetime) -> str:
        """Remaining or overdue working time as people say it: "Còn 2 ngày 3 giờ", "Quá hạn 1 ngày"."""
        now_at = self._split(now)
        due_at = self._split(due, "Hạn giải quyết")
        us = self._position(*due_at) - self._position(*now_at)
        if us == 0:
            return "Đến hạn" if now_at <= due_at else "Vừa quá hạn"
        text = _spoken_duration(abs(us))
        if us > 0:
            return f"Còn {text}" if text else "Còn dưới 1 phút"
        return f"Quá hạn {text}" if text else "Vừa quá hạn"

    def is_working_day(self, day) -> bool:
        return bool(self._windows[self._index(_to_date(day))])

    def next_working_day(self, day) -> dt.date:
        """The first working day strictly after `day`."""
        return self._date(self._next_working_index(self._index(_to_date(day))))

    def nth_working_day(self, day, n: int) -> dt.date:
        """The n-th working day after `day` (n = 0: `day` itself if it is a working day, else the next one)."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise InvalidDuration(f"Số ngày làm việc «{n}» phải là số nguyên.")
        if n < 0:
            raise InvalidDuration(f"Số ngày làm việc không được âm (nhận được {n}).")
        i = self._index(_to_date(day))
        if n == 0:
            return self._date(self._working_index_on_or_after(i))
        j = bisect_left(self._wcount, self._wcount[i + 1] + n) - 1
        if j >= self._n_days:
            raise self._out_of_range(self.last_year + 1)
        return self._date(j)

    def count_working_days(self, first, last) -> int:
        """Working days from `first` to `last`, both included (0 when `last` is before `first`)."""
        i, j = self._index(_to_date(first)), self._index(_to_date(last))
        return max(0, self._wcount[j + 1] - self._wcount[i])

    def day(self, day) -> CalendarDay:
        """What the calendar knows about one date."""
        day = _to_date(day)
        i = self._index(day)
        kind = self._kinds[i]
        override = self.overrides.get(day)
        if override is not None:
            name, source, reference = override.name, "admin", override.legal_reference
        elif kind == KIND_HOLIDAY:
            name, source, reference = self.package_days_off.get(day, ""), "package", ""
        elif kind == KIND_SWAPPED_WORKING:
            name = self._swap_names.get(day, "Ngày làm việc bù (hoán đổi ngày nghỉ)")
            source, reference = "package", ""
        else:
            name, source, reference = "", "schedule", ""
        windows = self.working_hours.period_for(day).weekdays[day.weekday()] if self._windows[i] else ()
        if self._windows[i] and not windows:
            windows = self.working_hours.period_for(day).workday_windows
        return CalendarDay(
            date=day,
            is_working_day=bool(self._windows[i]),
            kind=kind,
            name=name,
            source=source,
            legal_reference=reference,
            windows=windows,
        )

    def year_days(self, year: int) -> list[CalendarDay]:
        """Every day of the year."""
        if not isinstance(year, int) or not self.first_year <= year <= self.last_year:
            raise self._out_of_range(year)
        first = dt.date(year, 1, 1)
        count = (dt.date(year, 12, 31) - first).days + 1
        return [self.day(first + dt.timedelta(days=k)) for k in range(count)]

    def exceptions(self, year: int) -> list[CalendarDay]:
        """The year's holidays, days off, swapped working days and overrides, in date order."""
        return [d for d in self.year_days(year) if d.is_exception]


def _hours_to_us(hours: Decimal | int) -> int:
    if type(hours) is int:
        return hours * _US_PER_HOUR
    return int((hours * _US_PER_HOUR).to_integral_value())


def _spoken_duration(us: int) -> str:
    total_minutes = us // (60 * _US_PER_SECOND)
    hours, minutes = divmod(total_minutes, 60)
    days, hours = divmod(hours, HOURS_PER_DAY)
    parts = []
    if days:
        parts.append(f"{days} ngày")
        if hours:
            parts.append(f"{hours} giờ")
    else:
        if hours:
            parts.append(f"{hours} giờ")
        if minutes:
            parts.append(f"{minutes} phút")
    return " ".join(parts)
