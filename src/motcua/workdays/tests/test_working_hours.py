"""Working hours per center and per season, edited by administrators."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.workdays import services
from motcua.workdays.core import TIMEZONE
from motcua.workdays.models import WorkingHoursPeriod

from .factories import CenterFactory, WorkingHoursPeriodFactory

pytestmark = pytest.mark.django_db

SUMMER_MORNING = dt.datetime(2025, 7, 14, 6, 45, tzinfo=TIMEZONE)  # a Monday
WINTER_MORNING = dt.datetime(2025, 11, 17, 6, 45, tzinfo=TIMEZONE)  # a Monday


def test_default_hours_apply_without_any_season():
    assert services.get_calendar().normalize(SUMMER_MORNING).time() == dt.time(7, 0)


def test_a_centers_summer_season_applies_to_that_center_only():
    center = CenterFactory()
    WorkingHoursPeriodFactory(center=center)
    mine = services.get_calendar(center_id=center.pk)
    # Summer at this center opens at 06:30; winter falls back to the default 07:00.
    assert mine.normalize(SUMMER_MORNING) == SUMMER_MORNING
    assert mine.normalize(WINTER_MORNING).time() == dt.time(7, 0)
    # Other centers keep the default hours.
    assert services.get_calendar().normalize(SUMMER_MORNING).time() == dt.time(7, 0)
    # One working day is still 8 hours: received 06:30, due 17:00 the same day.
    assert mine.add(SUMMER_MORNING.replace(minute=30), 1, "working_days").time() == dt.time(17, 0)


def test_a_season_for_every_center_applies_where_a_center_has_none_of_its_own():
    WorkingHoursPeriodFactory(center=None)
    center = CenterFactory()
    assert services.get_calendar(center_id=center.pk).normalize(SUMMER_MORNING) == SUMMER_MORNING
    assert services.get_calendar().normalize(SUMMER_MORNING) == SUMMER_MORNING


def test_editing_the_hours_rebuilds_the_calendar():
    period = WorkingHoursPeriodFactory(center=None)
    assert services.get_calendar().normalize(SUMMER_MORNING) == SUMMER_MORNING
    period.monday = "07:00-11:30,13:30-17:00"
    period.save()
    assert services.get_calendar().normalize(SUMMER_MORNING).time() == dt.time(7, 0)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"monday": "07:00-11:00,13:30-17:00"},
            "monday",
            "cộng lại 7.5 giờ; một ngày làm việc phải đủ 8 giờ",
        ),
        ({"tuesday": "7h-11h"}, "tuesday", "Không đọc được khung giờ"),
        ({"friday": "13:30-17:00,07:00-11:30"}, "friday", "chồng lên nhau hoặc không theo thứ tự"),
        ({"starts_on": "31/02"}, "starts_on", "hãy ghi dạng dd/mm"),
        (
            {"monday": "", "tuesday": "", "wednesday": "", "thursday": "", "friday": ""},
            "monday",
            "ít nhất một ngày làm việc",
        ),
    ],
)
def test_bad_working_hours_are_refused_in_vietnamese(fields, field, message):
    values = {"name": "Mùa hè", "starts_on": "16/04", "ends_on": "15/10", **fields}
    with pytest.raises(ValidationError) as error:
        WorkingHoursPeriod(**values).full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_overlapping_seasons_of_the_same_scope_are_refused():
    WorkingHoursPeriodFactory(center=None)
    winter = WorkingHoursPeriod(name="Mùa đông", starts_on="01/10", ends_on="15/04")
    with pytest.raises(ValidationError) as error:
        winter.full_clean()
    assert "trùng thời gian" in str(error.value)
    WorkingHoursPeriod(name="Mùa đông", starts_on="16/10", ends_on="15/04").full_clean()
