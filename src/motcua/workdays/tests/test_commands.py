"""The `duedate` and `workdays` commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .factories import CalendarOverrideFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        # the worked example with the swapped Saturday 26/04/2025
        (["--working-days", "3"], "2025-04-29T10:00:00+07:00"),
        (["--working-hours", "4"], "2025-04-25T16:00:00+07:00"),
        (["--calendar-days", "5"], "2025-05-05T17:00:00+07:00"),
        (["--same-day"], "2025-04-25T17:00:00+07:00"),
        (["--working-days", "0.5"], "2025-04-25T16:00:00+07:00"),
    ],
)
def test_duedate_prints_the_due_instant_in_iso_8601(args, printed):
    assert run("duedate", "--start", "2025-04-25 10:00", *args).strip() == printed


def test_duedate_sees_overrides():
    CalendarOverrideFactory(kind="day_off")  # 02/01/2025
    assert (
        run("duedate", "--start", "2024-12-31 10:00", "--working-days", "1").strip()
        == "2025-01-03T10:00:00+07:00"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-04-25 10:00", "--working-days", "-3"], "không được âm"),
        (["--start", "25/04/2025", "--working-days", "3"], "YYYY-MM-DD HH:MM"),
        (["--start", "2099-04-25 10:00", "--working-days", "3"], "nằm ngoài lịch làm việc"),
        (["--start", "2025-04-25 10:00", "--working-days", "ba"], "không phải là một số"),
    ],
)
def test_duedate_refuses_bad_input_with_a_vietnamese_message(args, message):
    with pytest.raises(CommandError, match=message):
        run("duedate", *args)


def test_duedate_needs_exactly_one_unit():
    with pytest.raises(CommandError):
        run("duedate", "--start", "2025-04-25 10:00", "--working-days", "1", "--same-day")
    with pytest.raises(CommandError):
        run("duedate", "--start", "2025-04-25 10:00")


def test_workdays_lists_the_years_days_off_and_swaps_with_names():
    output = run("workdays", "2026")
    assert "17/02/2026  Thứ Ba    Nghỉ lễ, Tết, nghỉ bù" in output
    assert "Tết Nguyên Đán" in output
    assert "27/04/2026" in output and "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in output
    assert "22/08/2026  Thứ Bảy" in output and "Làm việc bù cho ngày nghỉ 31/08/2026" in output
    assert "Tổng cộng: 14 ngày nghỉ, 1 ngày làm việc bù." in output
    assert "14/10/2026" not in output  # an ordinary working day is not listed


def test_workdays_shows_overrides_with_their_legal_reference():
    CalendarOverrideFactory(kind="day_off")
    output = run("workdays", "2025")
    assert "02/01/2025" in output
    assert "Quyết định số 01/QĐ-UBND" in output
    assert "[điều chỉnh của quản trị]" in output


@pytest.mark.parametrize(("year", "message"), [("20x6", "4 chữ số"), ("2099", "nằm ngoài lịch làm việc")])
def test_workdays_refuses_a_bad_year(year, message):
    with pytest.raises(CommandError, match=message):
        run("workdays", year)
