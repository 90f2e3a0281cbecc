"""Bad input gets a specific exception (for code) carrying a clear Vietnamese message (for people)."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.workdays.core import (
    TIMEZONE,
    InvalidDate,
    InvalidDuration,
    InvalidSchedule,
    OutOfCalendarRange,
    Override,
    SchedulePeriod,
    UnknownUnit,
    Window,
    WorkCalendar,
    WorkdaysError,
    WorkingHours,
    parse_datetime,
    parse_windows,
)

CALENDAR = WorkCalendar()
START = dt.datetime(2025, 10, 14, 10, 0, tzinfo=TIMEZONE)


@pytest.mark.parametrize("value", [-1, Decimal("-0.5"), -0.25, "-3"])
def test_negative_time_limit_is_refused(value):
    with pytest.raises(InvalidDuration, match="không được âm"):
        CALENDAR.add(START, value, "working_days")


@pytest.mark.parametrize("value", ["ba", None, True, float("nan"), float("inf"), [1]])
def test_time_limit_that_is_not_a_number_is_refused(value):
    with pytest.raises(InvalidDuration, match="không phải là một số"):
        CALENDAR.add(START, value, "working_hours")


def test_fractional_calendar_days_are_refused():
    with pytest.raises(InvalidDuration, match="số nguyên"):
        CALENDAR.add(START, Decimal("1.5"), "calendar_days")


@pytest.mark.parametrize("unit", ["days", "ngày", "", "WORKING_DAYS", None])
def test_unknown_unit_is_refused_with_the_list_of_units(unit):
    with pytest.raises(UnknownUnit) as error:
        CALENDAR.add(START, 1, unit)
    assert "ngày làm việc (working_days)" in str(error.value)
    assert "trong ngày (same_day)" in str(error.value)


@pytest.mark.parametrize(
    "text", ["2025-13-01 10:00", "2025-02-30 08:00", "25/04/2025 10:00", "hôm qua", "2025-04-25", ""]
)
def test_malformed_instant_is_refused(text):
    with pytest.raises(InvalidDate, match="YYYY-MM-DD HH:MM"):
        parse_datetime(text)
    with pytest.raises(InvalidDate):
        CALENDAR.add(text, 1, "working_days")


def test_instant_of_the_wrong_type_is_refused():
    with pytest.raises(InvalidDate, match="datetime"):
        CALENDAR.add(dt.date(2025, 10, 14), 1, "working_days")
    with pytest.raises(InvalidDate, match="date"):
        CALENDAR.is_working_day(20251014)
    with pytest.raises(InvalidDate, match="YYYY-MM-DD"):
        CALENDAR.is_working_day("30/02/2025")


@pytest.mark.parametrize("start", ["2009-12-31 10:00", "2099-01-05 10:00"])
def test_year_outside_the_calendar_is_refused(start):
    with pytest.raises(OutOfCalendarRange, match=r"nằm ngoài lịch làm việc \(lịch có các năm 2010–2045\)"):
        CALENDAR.add(start, 1, "working_days")


def test_due_date_beyond_the_last_year_is_refused():
    with pytest.raises(OutOfCalendarRange, match="Năm 2046"):
        CALENDAR.add("2045-12-29 10:00", 10, "working_days")
    with pytest.raises(OutOfCalendarRange):
        CALENDAR.add("2045-12-29 10:00", 10, "calendar_days")
    with pytest.raises(OutOfCalendarRange):
        CALENDAR.year_days(2046)
    with pytest.raises(OutOfCalendarRange):
        CALENDAR.is_working_day(dt.date(1990, 1, 1))


def test_resumption_before_the_pause_is_refused():
    with pytest.raises(InvalidDate, match="phải sau thời điểm tạm dừng"):
        CALENDAR.extend_for_pause(START, START, START - dt.timedelta(hours=1))


def test_negative_working_time_is_refused():
    with pytest.raises(InvalidDuration):
        CALENDAR.add_working_time(START, dt.timedelta(hours=-1))


@pytest.mark.parametrize("text", ["7-11", "11:30-07:00", "07:00-11:30,11:00-17:00", "25:00-26:00"])
def test_bad_working_hours_are_refused(text):
    with pytest.raises(InvalidSchedule):
        parse_windows(text)


def test_schedule_must_cover_every_day_and_have_a_working_day():
    windows = (Window(dt.time(7), dt.time(11)),)
    with pytest.raises(InvalidSchedule, match="không thuộc mùa làm việc nào"):
        WorkingHours((SchedulePeriod((1, 1), (6, 30), (windows,) * 7),))
    with pytest.raises(InvalidSchedule, match="ít nhất một ngày làm việc"):
        WorkingHours.standard(windows, working_weekdays=())
    with pytest.raises(InvalidSchedule):
        SchedulePeriod((1, 1), (12, 31), ((),) * 7)


def test_unknown_override_kind_is_refused():
    with pytest.raises(InvalidSchedule, match="day_off"):
        Override(dt.date(2025, 1, 2), "holiday")


def test_every_error_is_a_workdays_error_and_a_value_error():
    for error_class in (InvalidDuration, UnknownUnit, InvalidDate, OutOfCalendarRange, InvalidSchedule):
        assert issubclass(error_class, WorkdaysError)
        assert issubclass(error_class, ValueError)


def test_bad_input_changes_nothing():
    before = CALENDAR.add(START, 3, "working_days")
    for bad in (-1, "x"):
        with pytest.raises(WorkdaysError):
            CALENDAR.add(START, bad, "working_days")
    assert CALENDAR.add(START, 3, "working_days") == before
