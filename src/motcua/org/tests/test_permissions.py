"""One permission check for every role: scopes come from staff assignments (role + agency [+ unit])."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from motcua.accounts.tests.factories import UserFactory
from motcua.org.models import AdminUnit, Agency, Role
from motcua.org.permissions import (
    agencies_in_scope,
    can_act_on_agency,
    has_role,
    require_agency,
    roles_of,
)
from motcua.org.tests.factories import (
    AdminLevelFactory,
    AdminUnitFactory,
    AgencyFactory,
    CenterFactory,
    StaffAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    """A district with a center (serving two offices), one further office and a commune committee."""
    unit = AdminUnitFactory(name="Huyện Gia Bình")
    commune = AdminUnitFactory(
        name="Xã Đại Bái", kind=AdminUnit.Kind.COMMUNE, level=AdminLevelFactory(code="commune"), parent=unit
    )
    justice = AgencyFactory(name="Phòng Tư pháp", unit=unit)
    finance = AgencyFactory(name="Phòng Tài chính – Kế hoạch", unit=unit)
    health = AgencyFactory(name="Phòng Y tế", unit=unit)
    commune_committee = AgencyFactory(
        name="Ủy ban nhân dân xã Đại Bái", unit=commune, kind=Agency.Kind.PEOPLES_COMMITTEE
    )
    center = CenterFactory(agency__unit=unit)
    center.agencies.set([justice, finance])
    return {
        "unit": unit,
        "justice": justice,
        "finance": finance,
        "health": health,
        "commune": commune_committee,
        "center": center.agency,
    }


def staff(role, agency, **kwargs):
    return StaffAssignmentFactory(role=role, agency=agency, **kwargs).user


def names(qs):
    return sorted(a.name for a in qs)


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER, Role.CLERK])
def test_agency_staff_see_and_change_only_their_own_agency(district, role):
    user = staff(role, district["justice"])

    assert names(agencies_in_scope(user)) == ["Phòng Tư pháp"]
    assert has_role(user, role)
    assert has_role(user, role, agency=district["justice"])
    assert can_act_on_agency(user, district["justice"])
    assert not can_act_on_agency(user, district["finance"])
    assert not has_role(user, role, agency=district["finance"])
    with pytest.raises(PermissionDenied):
        require_agency(user, district["finance"])
    assert roles_of(user) == {role}
    assert not has_role(user, Role.SUPERVISOR)


def test_reception_officer_at_the_center_serves_every_agency_of_the_center(district):
    user = staff(Role.RECEPTION_OFFICER, district["center"])

    scope = names(agencies_in_scope(user))
    assert "Phòng Tư pháp" in scope and "Phòng Tài chính – Kế hoạch" in scope
    assert "Phòng Y tế" not in scope
    assert has_role(user, Role.RECEPTION_OFFICER, agency=district["finance"])
    assert not can_act_on_agency(user, district["health"])
    assert not has_role(user, Role.SPECIALIST)


def test_supervisor_with_a_unit_scope_watches_the_district_and_its_communes(district):
    user = staff(Role.SUPERVISOR, district["center"], unit=district["unit"])

    assert can_act_on_agency(user, district["health"])
    assert can_act_on_agency(user, district["commune"])
    assert has_role(user, Role.SUPERVISOR, agency=district["commune"])
    other = AgencyFactory(name="Phòng Tư pháp huyện khác")
    assert not can_act_on_agency(user, other)


def test_administrator_role_and_superuser(district):
    administrator = staff(Role.ADMINISTRATOR, district["justice"])
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert has_role(administrator, Role.ADMINISTRATOR)
    assert not can_act_on_agency(administrator, district["finance"])
    for role in Role.values:
        assert has_role(superuser, role, agency=district["finance"])
    assert agencies_in_scope(superuser).count() == Agency.objects.count()
    assert roles_of(superuser) == set(Role.values)


def test_expired_or_future_assignments_and_inactive_users_grant_nothing(district):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    expired = staff(Role.SPECIALIST, district["justice"], valid_to=yesterday)
    future = staff(
        Role.SPECIALIST, district["justice"], valid_from=datetime.date.today() + datetime.timedelta(days=2)
    )
    inactive = staff(Role.SPECIALIST, district["justice"])
    inactive.is_active = False
    inactive.save()

    for user in (expired, future, inactive):
        assert not has_role(user, Role.SPECIALIST)
        assert not can_act_on_agency(user, district["justice"])
        assert not agencies_in_scope(user).exists()


def test_anonymous_visitors_hold_no_role(district):
    from django.contrib.auth.models import AnonymousUser

    assert not has_role(AnonymousUser(), Role.SPECIALIST)
    assert not can_act_on_agency(AnonymousUser(), district["justice"])
    assert roles_of(AnonymousUser()) == set()


def test_unknown_role_names_are_a_programming_error(district):
    user = staff(Role.SPECIALIST, district["justice"])
    with pytest.raises(ValueError):
        has_role(user, "chuyen_vien")


def test_scope_follows_new_and_removed_assignments_on_the_same_user_object(district):
    user = staff(Role.SPECIALIST, district["justice"])
    assert not can_act_on_agency(user, district["finance"])

    extra = StaffAssignmentFactory(user=user, role=Role.SPECIALIST, agency=district["finance"])
    assert can_act_on_agency(user, district["finance"])
    extra.delete()
    assert not can_act_on_agency(user, district["finance"])
    district["center"].center.agencies.add(district["health"])
    reception = staff(Role.RECEPTION_OFFICER, district["center"])
    assert can_act_on_agency(reception, district["health"])
    district["center"].center.agencies.remove(district["health"])
    assert not can_act_on_agency(reception, district["health"])


def test_primary_agency_is_where_the_user_works(district):
    from motcua.org.permissions import primary_agency

    user = staff(Role.RECEPTION_OFFICER, district["center"])
    StaffAssignmentFactory(user=user, role=Role.SPECIALIST, agency=district["justice"])

    assert primary_agency(user) == district["center"]
    assert primary_agency(user, Role.SPECIALIST) == district["justice"]
    assert primary_agency(user, Role.LEADER) is None
    assert primary_agency(UserFactory(is_superuser=True)) is None
