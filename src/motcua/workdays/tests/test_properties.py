"""Properties that hold for every instant and duration (hypothesis), on the national calendar and on random schedules."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays.core import TIMEZONE, SchedulePeriod, Window, WorkCalendar, WorkingHours

CALENDAR = WorkCalendar()
instants = st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2035, 12, 31, 23, 59)).map(
    lambda d: d.replace(tzinfo=TIMEZONE)
)
hours = st.integers(min_value=0, max_value=8 * 400)
working_time = st.integers(min_value=0, max_value=8 * 400 * 3600 * 10**6).map(
    lambda us: dt.timedelta(microseconds=us)
)


@given(start=instants, n=hours)
def test_working_time_between_start_and_start_plus_n_hours_is_n_hours(start, n):
    assert CALENDAR.working_time_between(start, CALENDAR.add(start, n, "working_hours")) == dt.timedelta(
        hours=n
    )


@given(start=instants, amount=working_time)
def test_adding_any_working_time_round_trips_to_the_microsecond(start, amount):
    assert CALENDAR.working_time_between(start, CALENDAR.add_working_time(start, amount)) == amount


@given(start=instants, a=hours, b=st.integers(min_value=1, max_value=8 * 400))
def test_adding_in_two_steps_equals_adding_at_once(start, a, b):
    # b starts at 1: a first step may end exactly at a closing time (17:00), and adding nothing to a closing
    # time is a receipt outside working hours, which moves to the next opening (07:00 the next working day).
    assert CALENDAR.add(CALENDAR.add(start, a, "working_hours"), b, "working_hours") == CALENDAR.add(
        start, a + b, "working_hours"
    )


@given(start=instants, a=st.integers(0, 400), b=st.integers(0, 400))
def test_a_longer_time_limit_is_never_due_earlier(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.add(start, low, "working_days") <= CALENDAR.add(start, high, "working_days")


@given(start=instants)
def test_normalised_instant_is_a_working_slot_not_before_the_receipt(start):
    slot = CALENDAR.normalize(start)
    assert slot >= start
    assert CALENDAR.normalize(slot) == slot
    assert CALENDAR.is_working_day(slot.date())
    # a working slot is inside a window: the next instant is working time
    tick = dt.timedelta(microseconds=1)
    assert CALENDAR.working_time_between(slot, slot + tick) == tick
    # nothing between the receipt and the slot is working time
    assert CALENDAR.working_time_between(start, slot) == dt.timedelta(0)


@given(start=instants, n=st.integers(min_value=0, max_value=400))
def test_due_instant_of_n_working_days_falls_on_a_working_day(start, n):
    due = CALENDAR.add(start, n, "working_days")
    assert CALENDAR.is_working_day(due.date())
    assert due >= start


@given(due=instants, paused_from=instants, pause=working_time)
def test_a_pause_extends_the_due_instant_by_exactly_the_working_time_paused(due, paused_from, pause):
    resumed_at = paused_from + pause  # calendar time; the working time lost is what the calendar measures
    lost = CALENDAR.working_time_between(paused_from, resumed_at)
    extended = CALENDAR.extend_for_pause(due, paused_from, resumed_at)
    assert extended >= due
    assert CALENDAR.working_time_between(due, extended) == lost


@given(now=instants, due=instants)
def test_remaining_text_says_late_only_after_the_due_instant(now, due):
    text = CALENDAR.describe_remaining(now, due)
    if now < due:
        assert not text.startswith(("Quá hạn", "Vừa quá hạn"))
    elif now > due:
        assert not text.startswith(("Còn", "Đến hạn"))
    else:
        assert text == "Đến hạn"


@given(first=instants, second=instants)
def test_working_time_is_antisymmetric(first, second):
    assert CALENDAR.working_time_between(first, second) == -CALENDAR.working_time_between(second, first)


# Random schedules: seasons with their own windows, any weekend days.
minutes = st.lists(st.integers(min_value=0, max_value=24 * 60 - 1), min_size=2, max_size=6, unique=True).map(
    sorted
)


def _windows(points: list[int]) -> tuple[Window, ...]:
    pairs = list(zip(points[0::2], points[1::2], strict=False))
    return tuple(Window(dt.time(a // 60, a % 60), dt.time(b // 60, b % 60)) for a, b in pairs if a < b)


week = st.lists(st.one_of(st.just(()), minutes.map(_windows)), min_size=7, max_size=7).filter(any)


@st.composite
def schedules(draw):
    summer, winter = draw(week), draw(week)
    return WorkingHours(
        (
            SchedulePeriod((5, 1), (9, 30), tuple(summer)),
            SchedulePeriod((10, 1), (4, 30), tuple(winter)),
        )
    )


_calendars: dict = {}


def _calendar_for(schedule: WorkingHours) -> WorkCalendar:
    if schedule not in _calendars:
        _calendars[schedule] = WorkCalendar(first_year=2024, last_year=2027, working_hours=schedule)
    return _calendars[schedule]


@settings(max_examples=40, deadline=None)
@given(
    schedule=schedules(),
    start=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2025, 12, 31)),
    amount=st.integers(min_value=0, max_value=200 * 3600 * 10**6).map(
        lambda us: dt.timedelta(microseconds=us)
    ),
)
def test_any_schedule_round_trips_working_time(schedule, start, amount):
    calendar = _calendar_for(schedule)
    due = calendar.add_working_time(start, amount)
    assert calendar.working_time_between(start, due) == amount
    assert due >= calendar.normalize(start) or amount == dt.timedelta(0)


@given(end=instants, amount=working_time)
def test_subtracting_working_time_lands_exactly_that_much_working_time_before(end, amount):
    start = CALENDAR.subtract_working_time(end, amount)
    assert start <= end
    assert CALENDAR.working_time_between(start, end) == amount
