"""A province of the two-tier government (from 01/07/2025): communes that each run a service point and
implement the same national procedure, built from the project's factories."""

import datetime

from motcua.catalog.models import ProcedureImplementation
from motcua.org.models import AdminLevel, AdminUnit, Agency, Role
from motcua.org.tests.factories import AgencyFactory

from .factories import ProcedureWithProcessFactory, StaffSet, UserFactory, grant

TWO_TIER_FROM = datetime.date(2025, 7, 1)


class TwoTierProvince:
    """Province "Tỉnh Mẫu" with communes A, B (same province) and C (another province); a birth-registration
    procedure implemented by A (its default agency) and B from 01/07/2025, with staff at A and at B."""

    def __init__(self, *, receive_anywhere: bool = False):
        province_level, _ = AdminLevel.objects.get_or_create(
            code="province", defaults={"name": "Cấp tỉnh", "rank": 1}
        )
        commune_level, _ = AdminLevel.objects.get_or_create(
            code="commune", defaults={"name": "Cấp xã", "rank": 3}
        )
        self.province = AdminUnit.objects.create(
            code="T01", name="Tỉnh Mẫu", kind=AdminUnit.Kind.PROVINCE, level=province_level
        )
        self.other_province = AdminUnit.objects.create(
            code="T02", name="Tỉnh Khác", kind=AdminUnit.Kind.PROVINCE, level=province_level
        )

        def commune(code, name, parent):
            unit = AdminUnit.objects.create(
                code=code,
                name=name,
                kind=AdminUnit.Kind.COMMUNE,
                level=commune_level,
                parent=parent,
                valid_from=TWO_TIER_FROM,
            )
            return AgencyFactory(
                name=f"Ủy ban nhân dân {name.lower()}",
                kind=Agency.Kind.PEOPLES_COMMITTEE,
                unit=unit,
                valid_from=TWO_TIER_FROM,
            )

        self.a = commune("T0101", "Xã An", self.province)
        self.b = commune("T0102", "Xã Bình", self.province)
        self.c = commune("T0201", "Xã Cường", self.other_province)
        self.procedure = ProcedureWithProcessFactory(
            code="1.001193",
            name="Thủ tục đăng ký khai sinh",
            resolving_agency=self.a,
            levels="commune",
            receive_anywhere=receive_anywhere,
        )
        for agency in (self.b, self.c):
            ProcedureImplementation.objects.create(
                procedure=self.procedure, agency=agency, level="commune", valid_from=TWO_TIER_FROM
            )
        self.staff_a = StaffSet(self.procedure, receiving_agency=self.a)
        self.staff_b = StaffSet(self.procedure, receiving_agency=self.b)
        for user in (self.staff_b.specialist, self.staff_b.leader, self.staff_b.clerk):
            for role in (Role.SPECIALIST, Role.LEADER, Role.CLERK):
                grant(user, role, self.b)
        self.superuser = UserFactory(username="quantri-2tier", is_superuser=True, is_staff=True)
