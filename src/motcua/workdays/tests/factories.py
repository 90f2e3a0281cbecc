import datetime as dt

import factory

from motcua.accounts.tests.factories import UserFactory
from motcua.org.models import AdminLevel, AdminUnit
from motcua.workdays.models import CalendarOverride


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
