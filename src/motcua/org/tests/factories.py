import factory

from motcua.accounts.tests.factories import UserFactory
from motcua.org.models import AdminLevel, AdminUnit, Agency, Center, Counter, Role, StaffAssignment


class AdminLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminLevel
        django_get_or_create = ("code",)

    code = "district"
    name = factory.LazyAttribute(
        lambda o: {"province": "Cấp tỉnh", "commune": "Cấp xã"}.get(o.code, "Cấp huyện")
    )
    rank = factory.LazyAttribute(lambda o: {"province": 1, "district": 2, "commune": 3}.get(o.code, 2))


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Huyện Mẫu {n}")
    kind = AdminUnit.Kind.DISTRICT
    level = factory.SubFactory(AdminLevelFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Phòng Mẫu {n}")
    short_name = factory.Sequence(lambda n: f"PM{n}")
    identity_code = factory.Sequence(lambda n: f"000.{n % 100:02d}.{n // 100:02d}.H99")
    identity_code_is_demo = True
    kind = Agency.Kind.DISTRICT_OFFICE
    unit = factory.SubFactory(AdminUnitFactory)


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center

    name = factory.Sequence(lambda n: f"Trung tâm Hành chính công mẫu {n}")
    agency = factory.SubFactory(AgencyFactory, kind=Agency.Kind.CENTER)
    unit = factory.SelfAttribute("agency.unit")


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    center = factory.SubFactory(CenterFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Quầy {n + 1}")


class StaffAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.SPECIALIST
    agency = factory.SubFactory(AgencyFactory)
