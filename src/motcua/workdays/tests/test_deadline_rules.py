"""The deadline rules, one plain-language case per row (national calendar, default hours 07:00–11:30, 13:30–17:00).

Holiday dates are those of the `holidays` package for Vietnam (Labour Code 2019 Art. 112 and the yearly
announcements it carries), checked against the national announcements for 2025 and 2026.
"""

import datetime as dt

import pytest

from motcua.workdays.core import DAY_OFF, EXTRA_WORKING_DAY, TIMEZONE, Override, WorkCalendar

CALENDAR = WorkCalendar()
# An administrator announced an extra day off on Thu 02/01/2025 and an extra working day on Sat 04/01/2025.
WITH_OVERRIDES = WorkCalendar(
    overrides=[
        Override(
            dt.date(2025, 1, 2), DAY_OFF, "Nghỉ thêm sau Tết Dương lịch", "Quyết định số 01/QĐ-UBND (ví dụ)"
        ),
        Override(
            dt.date(2025, 1, 4),
            EXTRA_WORKING_DAY,
            "Làm bù cho ngày 02/01",
            "Quyết định số 01/QĐ-UBND (ví dụ)",
        ),
    ]
)


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=TIMEZONE)


ADD_CASES = [
    # (calendar, received, value, unit, due)
    # The worked example: Fri 25/04/2025 10:00 + 3 working days counts the swapped Saturday 26/04 -> Tue 29/04 10:00.
    (CALENDAR, "25/04/2025 10:00", 3, "working_days", "29/04/2025 10:00"),
    # Received on the swapped working Saturday 26/04/2025 itself: it is a working day, counting starts at once.
    (CALENDAR, "26/04/2025 08:00", 1, "working_days", "28/04/2025 08:00"),
    # 30/04 and 01/05/2025 are holidays and 02/05 is the bridge day off for Saturday 26/04: Tue 29/04 + 1 day -> Mon 05/05.
    (CALENDAR, "29/04/2025 10:00", 1, "working_days", "05/05/2025 10:00"),
    # Tết 2025: Mon 27/01 to Fri 31/01 are days off, so 2 days from Fri 24/01 10:00 end on Tue 04/02 10:00.
    (CALENDAR, "24/01/2025 10:00", 2, "working_days", "04/02/2025 10:00"),
    # Tết 2026: Mon 16/02 to Fri 20/02 are days off; 1 day from Fri 13/02 14:00 = 3 h that Friday + 5 h on Mon 23/02.
    (CALENDAR, "13/02/2026 14:00", 1, "working_days", "23/02/2026 14:00"),
    # Hùng Kings 2026 falls on Sunday 26/04, observed on Monday 27/04: Fri 24/04 + 1 day -> Tue 28/04.
    (CALENDAR, "24/04/2026 10:00", 1, "working_days", "28/04/2026 10:00"),
    # 30/04 (Thu) and 01/05 (Fri) 2026 are holidays: Wed 29/04 + 1 day -> Mon 04/05.
    (CALENDAR, "29/04/2026 10:00", 1, "working_days", "04/05/2026 10:00"),
    # National Day 2025: 02/09 (Tue) with the adjacent 01/09 (Mon): Fri 29/08 + 1 day -> Wed 03/09.
    (CALENDAR, "29/08/2025 10:00", 1, "working_days", "03/09/2025 10:00"),
    # National Day 2026: 01/09 + 02/09, and Mon 31/08 is the bridge day off for the swapped Saturday 22/08: Fri 28/08 + 1 -> Thu 03/09.
    (CALENDAR, "28/08/2026 10:00", 1, "working_days", "03/09/2026 10:00"),
    # The swapped working Saturday 22/08/2026 counts: Fri 21/08 10:00 + 1 day -> Sat 22/08 10:00.
    (CALENDAR, "21/08/2026 10:00", 1, "working_days", "22/08/2026 10:00"),
    # Without an override Thu 02/01/2025 is a working day: Tue 31/12/2024 + 1 day -> Thu 02/01 (01/01 is a holiday).
    (CALENDAR, "31/12/2024 10:00", 1, "working_days", "02/01/2025 10:00"),
    # An administrator's extra day off on Thu 02/01/2025 moves the same deadline to Fri 03/01.
    (WITH_OVERRIDES, "31/12/2024 10:00", 1, "working_days", "03/01/2025 10:00"),
    # An administrator's extra working day on Sat 04/01/2025: Fri 03/01 + 1 day -> Sat 04/01.
    (WITH_OVERRIDES, "03/01/2025 10:00", 1, "working_days", "04/01/2025 10:00"),
    # Same-day procedure received before the 15:00 cut-off: due at the close of the same day.
    (CALENDAR, "14/10/2025 14:59", 0, "same_day", "14/10/2025 17:00"),
    # Received at exactly 15:00 is not "after 15:00": still due the same day.
    (CALENDAR, "14/10/2025 15:00", 0, "same_day", "14/10/2025 17:00"),
    # Received after the 15:00 cut-off: due within the next working day.
    (CALENDAR, "14/10/2025 15:01", 0, "same_day", "15/10/2025 17:00"),
    # After the cut-off on Friday 24/04/2026: the next working day is Tue 28/04 (Mon 27/04 is Hùng Kings observed).
    (CALENDAR, "24/04/2026 15:30", 1, "same_day", "28/04/2026 17:00"),
    # Same-day procedure received on an ordinary Saturday: counting starts Monday, due Monday's close.
    (CALENDAR, "18/10/2025 09:00", 1, "same_day", "20/10/2025 17:00"),
    # Received at 17:30, after closing: counting starts at 07:00 the next day, so 1 day is due at its 17:00.
    (CALENDAR, "14/10/2025 17:30", 1, "working_days", "15/10/2025 17:00"),
    # Received at 06:00, before opening: counting starts at 07:00 the same day, 1 day is due at 17:00.
    (CALENDAR, "14/10/2025 06:00", 1, "working_days", "14/10/2025 17:00"),
    # Received during the lunch break: counting starts at 13:30; 4 h -> 15:00 + the morning of the next day.
    (CALENDAR, "14/10/2025 12:00", 4, "working_hours", "15/10/2025 07:30"),
    # Hours-based deadline from Friday 15:00: 2 h on Friday, 2 h from Monday 07:00 -> Mon 09:00.
    (CALENDAR, "10/10/2025 15:00", 4, "working_hours", "13/10/2025 09:00"),
    # 8 working hours from Friday 16:00: 1 h Friday, 4 h 30 Monday morning, 2 h 30 Monday afternoon -> 16:00.
    (CALENDAR, "10/10/2025 16:00", 8, "working_hours", "13/10/2025 16:00"),
    # A duration ending exactly at the lunch break is due at 11:30, not at 13:30.
    (CALENDAR, "14/10/2025 07:00", 4.5, "working_hours", "14/10/2025 11:30"),
    # Half a working day is 4 working hours.
    (CALENDAR, "14/10/2025 07:00", "0.5", "working_days", "14/10/2025 11:00"),
    # Zero working days: due at the normalised start.
    (CALENDAR, "18/10/2025 09:00", 0, "working_days", "20/10/2025 07:00"),
    # Calendar days: Fri 10/10/2025 + 2 days is Sunday 12/10, so the deadline moves to Monday's close.
    (CALENDAR, "10/10/2025 10:00", 2, "calendar_days", "13/10/2025 17:00"),
    # Calendar days landing on holidays: Fri 25/04/2025 + 5 days = 30/04; 01/05, 02/05 and the weekend follow -> Mon 05/05.
    (CALENDAR, "25/04/2025 10:00", 5, "calendar_days", "05/05/2025 17:00"),
    # Calendar days over Tết 2026: Thu 12/02 + 10 days = Sun 22/02 -> Mon 23/02.
    (CALENDAR, "12/02/2026 10:00", 10, "calendar_days", "23/02/2026 17:00"),
]


@pytest.mark.parametrize(("calendar", "received", "value", "unit", "due"), ADD_CASES)
def test_due_instant_follows_the_rules(calendar, received, value, unit, due):
    assert calendar.add(at(received), value, unit) == at(due)


def test_calendar_days_can_skip_listed_holidays_as_a_per_procedure_flag():
    # Thu 12/02/2026 + 10 days not counting the 5 Tết days off (16/02–20/02; weekends still count) = Fri 27/02.
    assert CALENDAR.add(at("12/02/2026 10:00"), 10, "calendar_days", skip_holidays=True) == at(
        "27/02/2026 17:00"
    )


SUBTRACT_CASES = [
    # (end, working time, start)
    # Saturday 02:00 at night: one working hour earlier is Friday 16:00 (hours 07:00–11:30, 13:30–17:00).
    ("05/12/2026 02:00", dt.timedelta(hours=1), "04/12/2026 16:00"),
    # A whole working day before Monday 08:00 is the previous Friday 08:00.
    ("07/12/2026 08:00", dt.timedelta(hours=8), "04/12/2026 08:00"),
    # Tết 2026 is skipped backwards too: 1 hour before Mon 23/02 07:30 is Fri 13/02 16:30.
    ("23/02/2026 07:30", dt.timedelta(hours=1), "13/02/2026 16:30"),
    # The swapped working Saturday 22/08/2026 counts backwards as well: 1 hour before Mon 24/08 07:30.
    ("24/08/2026 07:30", dt.timedelta(hours=1), "22/08/2026 16:30"),
]


@pytest.mark.parametrize("end, amount, start", SUBTRACT_CASES)
def test_working_time_can_be_counted_backwards(end, amount, start):
    assert CALENDAR.subtract_working_time(at(end), amount) == at(start)


NORMALIZE_CASES = [
    # Inside the morning window: unchanged.
    ("14/10/2025 09:15", "14/10/2025 09:15"),
    # 06:00 is before opening: 07:00 the same day.
    ("14/10/2025 06:00", "14/10/2025 07:00"),
    # 11:30 is the end of the morning window: the afternoon opening.
    ("14/10/2025 11:30", "14/10/2025 13:30"),
    # 17:30 is after closing: 07:00 the next working day.
    ("14/10/2025 17:30", "15/10/2025 07:00"),
    # Friday evening: Monday 07:00.
    ("17/10/2025 19:00", "20/10/2025 07:00"),
    # Online submission on the eve of Tết 2026 (a day off): the first working day after Tết.
    ("16/02/2026 10:00", "23/02/2026 07:00"),
    # Saturday 22/08/2026 is a swapped working day: unchanged.
    ("22/08/2026 10:00", "22/08/2026 10:00"),
]


@pytest.mark.parametrize(("received", "normalized"), NORMALIZE_CASES)
def test_receipt_instant_is_moved_to_the_next_working_slot(received, normalized):
    assert CALENDAR.normalize(at(received)) == at(normalized)


PAUSE_CASES = [
    # (due, paused from, resumed at, new due)
    # A supplement pause spanning Tết 2026: Thu 12/02 10:00 to Mon 23/02 10:00 loses 5 h + 8 h + 3 h = 2 working
    # days only (the Tết days off are not lost time), so Wed 25/02 10:00 becomes Fri 27/02 10:00.
    ("25/02/2026 10:00", "12/02/2026 10:00", "23/02/2026 10:00", "27/02/2026 10:00"),
    # A pause over a weekend loses no working time: the due instant is unchanged.
    ("22/10/2025 10:00", "17/10/2025 17:00", "20/10/2025 07:00", "22/10/2025 10:00"),
    # A financial-obligation pause of 3 working hours: 1 h left on Wed 22/10 after 16:00, then 2 h on Thu -> 09:00.
    ("22/10/2025 16:00", "14/10/2025 08:00", "14/10/2025 11:00", "23/10/2025 09:00"),
]


@pytest.mark.parametrize(("due", "paused_from", "resumed_at", "new_due"), PAUSE_CASES)
def test_pause_extends_the_due_instant_by_the_working_time_paused(due, paused_from, resumed_at, new_due):
    assert CALENDAR.extend_for_pause(at(due), at(paused_from), at(resumed_at)) == at(new_due)


def test_several_supplement_rounds_add_up():
    # Two rounds of one working day each push the due date by two working days, never flagging it overdue early.
    due = at("22/10/2025 10:00")
    due = CALENDAR.extend_for_pause(due, at("14/10/2025 10:00"), at("15/10/2025 10:00"))
    due = CALENDAR.extend_for_pause(due, at("16/10/2025 10:00"), at("17/10/2025 10:00"))
    assert due == at("24/10/2025 10:00")


REMAINING_CASES = [
    # (now, due, text)
    # 8 h Monday + 8 h Tuesday + 3 h Wednesday = 2 days 3 hours.
    ("13/10/2025 07:00", "15/10/2025 10:00", "Còn 2 ngày 3 giờ"),
    # Remaining time skips the swapped-Saturday weekend correctly: Fri 10:00 to Tue 10:00 (Sat 26/04 worked) = 3 days.
    ("25/04/2025 10:00", "29/04/2025 10:00", "Còn 3 ngày"),
    # Less than one hour: minutes.
    ("14/10/2025 16:15", "14/10/2025 17:00", "Còn 45 phút"),
    # Hours and minutes when less than a day remains.
    ("14/10/2025 07:00", "14/10/2025 10:20", "Còn 3 giờ 20 phút"),
    # One working day late.
    ("16/10/2025 10:00", "15/10/2025 10:00", "Quá hạn 1 ngày"),
    # Late across Tết 2026: due Fri 13/02 17:00, now Mon 23/02 09:00 = 2 working hours late (the holidays do not count).
    ("23/02/2026 09:00", "13/02/2026 17:00", "Quá hạn 2 giờ"),
    # Due Friday 17:00, now Saturday: past due, but no working time has passed yet.
    ("18/10/2025 09:00", "17/10/2025 17:00", "Vừa quá hạn"),
    # Exactly at the due instant.
    ("14/10/2025 10:00", "14/10/2025 10:00", "Đến hạn"),
]


@pytest.mark.parametrize(("now", "due", "text"), REMAINING_CASES)
def test_remaining_time_is_said_in_working_days_and_hours(now, due, text):
    assert CALENDAR.describe_remaining(at(now), at(due)) == text


WORKING_DAY_CASES = [
    # Mon 27/01/2025, the first day off of Tết 2025 (public servants were off 25/01–02/02 with the weekends).
    ("2025-01-27", False),
    # Fri 31/01/2025, mùng ba Tết, the last weekday off of Tết 2025.
    ("2025-01-31", False),
    # Mon 03/02/2025, back to work after Tết 2025.
    ("2025-02-03", True),
    # Mon 16/02/2026, New Year's Eve of Tết 2026: off.
    ("2026-02-16", False),
    # Fri 20/02/2026, mùng bốn Tết 2026: off.
    ("2026-02-20", False),
    # Mon 23/02/2026, back to work after Tết 2026.
    ("2026-02-23", True),
    # Mon 27/04/2026, the observed day of Hùng Kings (26/04/2026 is a Sunday): off.
    ("2026-04-27", False),
    # Wed 30/04/2025, Reunification Day: off.
    ("2025-04-30", False),
    # Thu 01/05/2025, Labour Day: off.
    ("2025-05-01", False),
    # Mon 01/09/2025, the day adjacent to National Day: off.
    ("2025-09-01", False),
    # Tue 02/09/2025, National Day: off.
    ("2025-09-02", False),
    # Wed 03/09/2025, back to work after National Day.
    ("2025-09-03", True),
    # Sat 26/04/2025, the swapped working Saturday: a working day.
    ("2025-04-26", True),
    # Fri 02/05/2025, the bridge day off given for Saturday 26/04: off.
    ("2025-05-02", False),
    # Sat 22/08/2026, the swapped working Saturday: a working day.
    ("2026-08-22", True),
    # Mon 31/08/2026, the bridge day off given for Saturday 22/08: off.
    ("2026-08-31", False),
    # Sat 18/10/2025, an ordinary Saturday: off.
    ("2025-10-18", False),
    # Sun 19/10/2025, an ordinary Sunday: off.
    ("2025-10-19", False),
]


@pytest.mark.parametrize(("day", "working"), WORKING_DAY_CASES)
def test_working_days_follow_holidays_and_swaps(day, working):
    assert CALENDAR.is_working_day(dt.date.fromisoformat(day)) is working


def test_an_extra_working_day_override_cancels_a_package_holiday():
    # The package lists Ngày Văn hóa Việt Nam (Tue 24/11/2026) as a day off; an administrator can cancel it.
    assert not CALENDAR.is_working_day(dt.date(2026, 11, 24))
    assert CALENDAR.add(at("23/11/2026 10:00"), 1, "working_days") == at("25/11/2026 10:00")
    cancelled = WorkCalendar(
        overrides=[
            Override(dt.date(2026, 11, 24), EXTRA_WORKING_DAY, "Làm việc bình thường", "Công văn (ví dụ)")
        ]
    )
    assert cancelled.is_working_day(dt.date(2026, 11, 24))
    assert cancelled.day(dt.date(2026, 11, 24)).kind == "override_working_day"
    assert cancelled.add(at("23/11/2026 10:00"), 1, "working_days") == at("24/11/2026 10:00")
