"""Administrators' overrides change the compiled calendar at once, per province where set."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.workdays import services
from motcua.workdays.core import TIMEZONE
from motcua.workdays.models import CalendarOverride

from .factories import CalendarOverrideFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2024, 12, 31, 10, 0, tzinfo=TIMEZONE)


def due_one_day(province_code=None):
    return services.get_calendar(province_code).add(RECEIVED, 1, "working_days")


def test_without_overrides_the_package_calendar_applies():
    # 01/01/2025 is a holiday, so 1 working day from Tue 31/12/2024 is Thu 02/01/2025.
    assert due_one_day() == dt.datetime(2025, 1, 2, 10, tzinfo=TIMEZONE)


def test_adding_an_override_rebuilds_the_calendar():
    assert due_one_day().date() == dt.date(2025, 1, 2)
    CalendarOverrideFactory(date=dt.date(2025, 1, 2), kind="day_off")
    assert due_one_day().date() == dt.date(2025, 1, 3)


def test_editing_and_deleting_an_override_rebuild_the_calendar():
    override = CalendarOverrideFactory(date=dt.date(2025, 1, 2), kind="day_off")
    assert due_one_day().date() == dt.date(2025, 1, 3)
    override.date = dt.date(2025, 1, 3)
    override.save()
    assert due_one_day().date() == dt.date(2025, 1, 2)
    override.delete()
    assert not services.get_calendar().is_working_day(dt.date(2025, 1, 4))
    assert services.get_calendar().is_working_day(dt.date(2025, 1, 3))


def test_a_change_made_without_signals_is_still_seen():
    # A bulk update (another process, a raw query) sends no signal; the fingerprint check still catches it.
    services.get_calendar()
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=dt.date(2025, 1, 2), kind="day_off", name="Nghỉ", legal_reference="QĐ 1")]
    )
    assert due_one_day().date() == dt.date(2025, 1, 3)


def test_calendar_is_reused_while_nothing_changes():
    assert services.get_calendar() is services.get_calendar()


def test_extra_working_day_on_a_saturday():
    CalendarOverrideFactory(date=dt.date(2025, 1, 4), kind="extra_working_day", name="Làm bù")
    calendar = services.get_calendar()
    assert calendar.is_working_day(dt.date(2025, 1, 4))
    assert calendar.day(dt.date(2025, 1, 4)).kind == "override_working_day"
    assert calendar.day(dt.date(2025, 1, 4)).source == "admin"


def test_province_override_applies_only_to_that_province_and_beats_the_national_one():
    province = ProvinceFactory()
    CalendarOverrideFactory(
        date=dt.date(2025, 1, 2), kind="day_off", province=province, name="Nghỉ riêng Bắc Ninh"
    )
    assert due_one_day().date() == dt.date(2025, 1, 2)
    assert due_one_day("27").date() == dt.date(2025, 1, 3)
    # A national extra day off on 03/01 is overridden in Bắc Ninh by its own extra working day.
    CalendarOverrideFactory(date=dt.date(2025, 1, 3), kind="day_off", name="Nghỉ toàn quốc")
    CalendarOverrideFactory(
        date=dt.date(2025, 1, 3), kind="extra_working_day", province=province, name="Bắc Ninh làm việc"
    )
    assert not services.get_calendar().is_working_day(dt.date(2025, 1, 3))
    assert services.get_calendar("27").is_working_day(dt.date(2025, 1, 3))


def test_one_override_per_date_and_scope():
    CalendarOverrideFactory(date=dt.date(2025, 1, 2))
    duplicate = CalendarOverride(
        date=dt.date(2025, 1, 2), kind="extra_working_day", name="Trùng", legal_reference="QĐ 2"
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Ngày này đã có một điều chỉnh áp dụng toàn quốc." in str(error.value)


def test_override_outside_the_calendar_years_is_refused_in_vietnamese():
    override = CalendarOverride(date=dt.date(2099, 1, 2), kind="day_off", name="Nghỉ", legal_reference="QĐ 1")
    with pytest.raises(ValidationError) as error:
        override.full_clean()
    assert "Năm 2099 nằm ngoài lịch làm việc" in str(error.value)


def test_administrator_adds_an_override_in_the_admin_and_is_recorded_as_its_author(client):
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {
            "date": "02/01/2025",  # dd/mm/yyyy: 2 January, not 1 February
            "kind": "day_off",
            "name": "Nghỉ thêm sau Tết Dương lịch",
            "legal_reference": "Quyết định số 01/QĐ-UBND",
            "province": "",
        },
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.date == dt.date(2025, 1, 2)
    assert override.entered_by == admin
    assert due_one_day().date() == dt.date(2025, 1, 3)


def test_admin_form_with_a_malformed_date_is_refused_in_vietnamese(client):
    client.force_login(UserFactory(username="quantri3", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"date": "31/02/2025", "kind": "day_off", "name": "Nghỉ", "legal_reference": "QĐ 1", "province": ""},
    )
    assert response.status_code == 200
    assert "hãy ghi dạng dd/mm/yyyy" in response.content.decode()
    assert CalendarOverride.objects.count() == 0


def test_admin_form_without_a_legal_reference_is_refused_and_saves_nothing(client):
    client.force_login(UserFactory(username="quantri2", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"date": "2025-01-02", "kind": "day_off", "name": "Nghỉ", "legal_reference": "", "province": ""},
    )
    assert response.status_code == 200
    assert CalendarOverride.objects.count() == 0
    assert due_one_day().date() == dt.date(2025, 1, 2)


def test_working_hours_and_cut_off_come_from_settings(settings):
    settings.MOTCUA_WORKING_HOURS = "07:30-12:00,13:30-17:00"  # winter mornings of some bodies; 8 h
    settings.MOTCUA_SAME_DAY_CUTOFF = "16:00"
    calendar = services.get_calendar()
    assert calendar.normalize(dt.datetime(2025, 10, 14, 7, 0, tzinfo=TIMEZONE)).time() == dt.time(7, 30)
    assert calendar.add(dt.datetime(2025, 10, 14, 15, 30, tzinfo=TIMEZONE), 0, "same_day").date() == dt.date(
        2025, 10, 14
    )


def test_with_a_recheck_interval_a_change_without_signals_is_seen_once_the_interval_has_passed(
    settings, monkeypatch
):
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 1.0
    clock = [500.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    services.invalidate()
    assert due_one_day().date() == dt.date(2025, 1, 2)
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=dt.date(2025, 1, 2), kind="day_off", name="Nghỉ", legal_reference="QĐ 1")]
    )
    clock[0] += 0.5
    assert due_one_day().date() == dt.date(2025, 1, 2)  # within the interval: the last reading stands
    clock[0] += 0.6
    assert due_one_day().date() == dt.date(2025, 1, 3)


def test_with_a_recheck_interval_a_change_saved_here_is_seen_at_once(settings, monkeypatch):
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 60.0
    monkeypatch.setattr(services.time, "monotonic", lambda: 900.0)
    services.invalidate()
    assert due_one_day().date() == dt.date(2025, 1, 2)
    CalendarOverrideFactory(date=dt.date(2025, 1, 2), kind="day_off", name="Nghỉ")
    assert due_one_day().date() == dt.date(2025, 1, 3)
