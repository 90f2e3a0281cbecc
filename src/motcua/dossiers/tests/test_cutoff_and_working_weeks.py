"""The procedure's own 15:00 rule and each center's working week (issue 20, finding 7)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.dossiers import services
from motcua.org.tests.factories import CenterFactory
from motcua.workdays import core
from motcua.workdays.models import WorkingHoursPeriod

from .factories import ApplicantFactory, ProcedureWithProcessFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=HCM)


@pytest.mark.parametrize(
    ("cutoff", "due"),
    [
        # "Nhận hồ sơ sau 15 giờ ... trả kết quả trong ngày làm việc tiếp theo" in the procedure's text.
        (True, at(2022, 11, 14, 17, 0)),
        # Without that sentence the same-day result is due at the close of the day of receipt.
        (False, at(2022, 11, 11, 17, 0)),
    ],
)
def test_the_procedures_own_15h_rule_decides_a_same_day_due_date(superuser, cutoff, due):
    procedure = ProcedureWithProcessFactory(
        time_limit_value=None, time_limit_unit="same_day", same_day_cutoff=cutoff
    )
    with time_machine.travel(at(2022, 11, 11, 15, 30), tick=False):  # Friday 15:30
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    assert dossier.due_at == due


def test_before_15h_both_kinds_are_due_the_same_day(superuser):
    for cutoff in (True, False):
        procedure = ProcedureWithProcessFactory(
            time_limit_value=None, time_limit_unit="same_day", same_day_cutoff=cutoff
        )
        with time_machine.travel(at(2022, 11, 11, 14, 59), tick=False):
            dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        assert dossier.due_at == at(2022, 11, 11, 17, 0)


@pytest.fixture
def saturday_center(procedure):
    """The center receiving for the procedure's agency works Saturday mornings from 01/11/2022."""
    center = CenterFactory()
    center.agencies.add(procedure.resolving_agency)
    week = WorkingHoursPeriod(
        center=center,
        name="Làm việc sáng thứ Bảy",
        valid_from=datetime.date(2022, 11, 1),
        saturday="07:30-11:30",
    )
    week.full_clean()
    week.save()
    return center


def test_a_center_open_on_saturday_mornings_counts_them(procedure, superuser, saturday_center):
    procedure.time_limit_value = 1
    procedure.save()
    with time_machine.travel(at(2022, 11, 11, 9, 0), tick=False):  # Friday 09:00, 1 working day = 8 h
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    # Friday 2 h 30 + 3 h 30 = 6 h, Saturday 07:30-09:30 = 2 h.
    assert dossier.due_at == at(2022, 11, 12, 9, 30)


def test_before_its_validity_date_the_center_keeps_the_monday_to_friday_week(
    procedure, superuser, saturday_center
):
    procedure.time_limit_value = 1
    procedure.save()
    with time_machine.travel(at(2022, 10, 28, 9, 0), tick=False):  # Friday 28/10, before 01/11
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    assert dossier.due_at == at(2022, 10, 31, 9, 0)


def test_other_centers_keep_the_monday_to_friday_week(superuser, saturday_center):
    other = ProcedureWithProcessFactory(time_limit_value=1)
    with time_machine.travel(at(2022, 11, 11, 9, 0), tick=False):
        dossier = services.intake(procedure=other, applicant=ApplicantFactory(), actor=superuser)
    assert dossier.due_at == at(2022, 11, 14, 9, 0)


def test_a_weekday_must_still_be_a_full_working_day(saturday_center):
    week = WorkingHoursPeriod(
        center=saturday_center, name="Sai", valid_from=datetime.date(2023, 1, 1), monday="07:30-11:30"
    )
    with pytest.raises(ValidationError) as error:
        week.full_clean()
    assert "một ngày làm việc phải đủ 8 giờ" in str(error.value)


def test_the_pure_core_takes_a_dated_week_over_the_yearly_season():
    saturday = (
        *core.WorkingHours.standard().periods[0].weekdays[:5],
        core.parse_windows("07:30-11:30"),
        (),
    )
    dated = core.SchedulePeriod((1, 1), (12, 31), saturday, valid_from=datetime.date(2022, 11, 1))
    calendar = core.WorkCalendar(
        first_year=2022,
        last_year=2023,
        working_hours=core.WorkingHours((dated, *core.DEFAULT_WORKING_HOURS.periods)),
    )
    assert calendar.is_working_day(datetime.date(2022, 11, 12))
    assert not calendar.is_working_day(datetime.date(2022, 10, 29))
    assert calendar.working_time_between(
        at(2022, 11, 12, 7, 0), at(2022, 11, 12, 12, 0)
    ) == datetime.timedelta(hours=4)
    with pytest.raises(core.InvalidSchedule):
        core.SchedulePeriod(
            (1, 1),
            (12, 31),
            saturday,
            valid_from=datetime.date(2023, 1, 1),
            valid_to=datetime.date(2022, 1, 1),
        )
