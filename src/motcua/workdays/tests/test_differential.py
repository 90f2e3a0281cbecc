"""The compiled calendar equals a plain day-by-day walk for every start day from 2015 to 2035 and N from 0 to 60.

The reference below shares no code with the compiled calendar: it asks the `holidays` package directly whether a
day is off, and walks day by day and window by window, in whole minutes.
"""

import datetime as dt

import holidays
import pytest

from motcua.workdays.core import TIMEZONE, WorkCalendar

FIRST, LAST = dt.date(2015, 1, 1), dt.date(2035, 12, 31)
MAX_N = 60
MORNING, AFTERNOON = (7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)
DAY_MINUTES = 8 * 60
# Receipt clock times cycled over the start days: before opening, at opening, inside, at the lunch break, during
# lunch, at the afternoon opening, at the cut-off, at closing, after closing, in the evening.
CLOCKS = [
    6 * 60,
    7 * 60,
    10 * 60,
    11 * 60 + 30,
    12 * 60 + 15,
    13 * 60 + 30,
    15 * 60,
    15 * 60 + 1,
    17 * 60,
    17 * 60 + 30,
    19 * 60,
]

_PACKAGE = holidays.Vietnam(years=range(FIRST.year - 1, LAST.year + 2))
_SWAPPED = {d for d in _PACKAGE.weekend_workdays if FIRST.year - 1 <= d.year <= LAST.year + 1}


def reference_is_working_day(day: dt.date) -> bool:
    if day in _PACKAGE:
        return False
    if day.weekday() >= 5:
        return day in _SWAPPED
    return True


def instant(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()).replace(tzinfo=TIMEZONE) + dt.timedelta(minutes=minutes)


def reference_normalize(day: dt.date, clock: int) -> tuple[dt.date, int]:
    while True:
        if reference_is_working_day(day):
            for opening, closing in (MORNING, AFTERNOON):
                if clock < closing:
                    return day, max(clock, opening)
        day += dt.timedelta(days=1)
        clock = 0


def reference_due_dates(day: dt.date, clock: int, max_n: int) -> list[dt.datetime]:
    """Due instants for 0..max_n working days (of 8 hours) from the receipt, by walking the days."""
    day, clock = reference_normalize(day, clock)
    results = [instant(day, clock)]
    consumed, n = 0, 1
    while n <= max_n:
        if reference_is_working_day(day):
            for opening, closing in (MORNING, AFTERNOON):
                low = max(opening, clock)
                if low >= closing:
                    continue
                available = closing - low
                while n <= max_n and consumed + available >= n * DAY_MINUTES:
                    results.append(instant(day, low + n * DAY_MINUTES - consumed))
                    n += 1
                consumed += available
        day += dt.timedelta(days=1)
        clock = 0
    return results


def reference_same_day(day: dt.date, clock: int) -> dt.datetime:
    day, clock = reference_normalize(day, clock)
    if clock > 15 * 60:
        day, _ = reference_normalize(day + dt.timedelta(days=1), 0)
    return instant(day, AFTERNOON[1])


def all_start_days():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar()


def test_adding_working_days_equals_the_day_by_day_walk(calendar):
    mismatches = []
    for k, day in enumerate(all_start_days()):
        clock = CLOCKS[k % len(CLOCKS)]
        start = instant(day, clock)
        expected = reference_due_dates(day, clock, MAX_N)
        for n in range(MAX_N + 1):
            got = calendar.add(start, n, "working_days")
            if got != expected[n]:
                mismatches.append((start, n, got, expected[n]))
    assert mismatches == []


def test_working_time_to_the_due_instant_is_exactly_n_days(calendar):
    # For every start day, the working time from the receipt to the due instant of N days is N × 8 hours.
    for k, day in enumerate(all_start_days()):
        start = instant(day, CLOCKS[k % len(CLOCKS)])
        for n in (0, 1, 7, 60):
            assert calendar.working_time_between(
                start, calendar.add(start, n, "working_days")
            ) == dt.timedelta(hours=8 * n)


def test_same_day_deadline_equals_the_day_by_day_walk(calendar):
    for k, day in enumerate(all_start_days()):
        clock = CLOCKS[k % len(CLOCKS)]
        assert calendar.add(instant(day, clock), 0, "same_day") == reference_same_day(day, clock)


def test_working_day_status_equals_the_package(calendar):
    assert [calendar.is_working_day(d) for d in all_start_days()] == [
        reference_is_working_day(d) for d in all_start_days()
    ]


def test_nth_working_day_and_counts_equal_the_packages_own_helpers(calendar):
    # The package's helpers walk day by day; they must agree with the prefix counts on every start day.
    for k, day in enumerate(all_start_days()):
        n = k % 61
        assert calendar.nth_working_day(day, n) == _PACKAGE.get_nth_working_day(day, n)
        if k % 7 == 0:
            last = day + dt.timedelta(days=n)
            assert calendar.count_working_days(day, last) == _PACKAGE.get_working_days_count(day, last)
