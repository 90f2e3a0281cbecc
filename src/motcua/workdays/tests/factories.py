import datetime as dt

import factory

from motcua.accounts.tests.factories import UserFactory
from motcua.org.models import AdminLevel, AdminUnit, Center
from motcua.workdays.models import CalendarOverride, WorkingHoursPeriod


class ProvinceLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminLevel
        django_get_or_create = ("code",)

    code = "province"
    name = "Cấp tỉnh"
    rank = 1


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = "27"
    name = "Tỉnh Bắc Ninh"
    kind = AdminUnit.Kind.PROVINCE
    level = factory.SubFactory(ProvinceLevelFactory)


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarOverride

    date = dt.date(2025, 1, 2)
    kind = CalendarOverride.Kind.DAY_OFF
    name = "Nghỉ thêm sau Tết Dương lịch"
    legal_reference = "Quyết định số 01/QĐ-UBND ngày 20/12/2024 (ví dụ)"
    province = None
    entered_by = factory.SubFactory(UserFactory)


class DistrictLevelFactory(ProvinceLevelFactory):
    code = "district"
    name = "Cấp huyện"
    rank = 2


class DistrictFactory(ProvinceFactory):
    code = "263"
    name = "Huyện Gia Bình"
    kind = AdminUnit.Kind.DISTRICT
    level = factory.SubFactory(DistrictLevelFactory)
    parent = factory.SubFactory(ProvinceFactory)


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = "Trung tâm Hành chính công huyện Gia Bình"
    unit = factory.SubFactory(DistrictFactory)


class WorkingHoursPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHoursPeriod

    name = "Giờ làm việc mùa hè"
    starts_on = "16/04"
    ends_on = "15/10"
    monday = tuesday = wednesday = thursday = friday = "06:30-11:00,13:30-17:00"
