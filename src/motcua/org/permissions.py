"""The one permission check every view and API call uses.

A staff member's rights come from their active `StaffAssignment` rows (role + agency [+ unit], valid today).
A superuser passes every check.

    from motcua.org.permissions import has_role, agencies_in_scope, can_act_on_agency, require_agency

    qs = Dossier.objects.filter(resolving_agency__in=agencies_in_scope(request.user))
    require_agency(request.user, dossier.resolving_agency)       # raises PermissionDenied
    if has_role(request.user, "leader", agency=dossier.resolving_agency): ...
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.refcache import ReferenceCache, copied

from .models import Agency, Role, StaffAssignment, scope_agency_ids

ROLES = tuple(Role.values)


def _assignments(user, role: str | None = None):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return StaffAssignment.objects.none()
    qs = StaffAssignment.objects.active().filter(user_id=user.pk)
    if role is not None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        qs = qs.filter(role=role)
    return qs


def _is_superuser(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_superuser)


def roles_of(user) -> set[str]:
    """The roles the user holds today (a superuser holds them all)."""
    if _is_superuser(user):
        return set(ROLES)
    return set(_scope_cache(user)[0])


def has_role(user, role: str, agency: Agency | None = None) -> bool:
    """Does the user hold `role` today — for `agency` (within that assignment's scope) if given?"""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if _is_superuser(user):
        return True
    if agency is None:
        return role in _scope_cache(user)[0]
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return agency_id in agency_ids_in_scope(user, role)


_scope_version = 0


def invalidate_scopes(*args, **kwargs) -> None:
    """Forget the scopes cached on user objects and in this process (connected to changes of assignments,
    agencies, units and centers); other processes see a change within the reference cache's staleness bound."""
    global _scope_version
    _scope_version += 1


def _scope_cache(user) -> tuple[dict[str, list], dict]:
    """The user's active assignments as role -> [(agency_id, unit_id)], with the scopes computed from them so
    far: read in one query, kept on the user object (one request) and in this process until the reference data
    changes; forgotten at midnight and on `invalidate_scopes`."""
    cached = _cached_assignments(user)
    return cached[1], cached[2]


# (user pk, day, scope version, active) -> the cached tuple below, shared by the requests of this process for the
# reference cache until the reference data changes (see motcua.refcache): a staff member's every request reads their assignments once.
_by_user = ReferenceCache("staff assignments")


def _cached_assignments(user) -> tuple:
    """(key, role -> [(agency_id, unit_id)], role -> scope, [(role, agency)] earliest assignment first)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None, {}, {}, []
    key = (user.pk, timezone.localdate(), _scope_version, user.is_active)
    cached = user.__dict__.get("_motcua_scope_cache")
    if cached is None or cached[0] != key:
        cached = _by_user.get(key, lambda: _read_assignments(user, key))
        user.__dict__["_motcua_scope_cache"] = cached
    return cached


def _read_assignments(user, key) -> tuple:
    pairs: dict[str, list] = {}
    ordered = []
    for assignment in (
        _assignments(user)
        .select_related("agency")
        .order_by("valid_from", "pk")
        .only("role", "unit_id", "agency")
    ):
        pairs.setdefault(assignment.role, []).append((assignment.agency_id, assignment.unit_id))
        ordered.append((assignment.role, assignment.agency))
    return (key, pairs, {}, ordered)


def agency_ids_in_scope(user, role: str | None = None) -> set[int]:
    """Primary keys of the agencies in the user's scope (for a role, if given); empty for a superuser's
    unassigned roles — use `agencies_in_scope` for the superuser-aware queryset."""
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    pairs, scopes = _scope_cache(user)
    if role is None:  # every role's scope together (the scope of a pair does not depend on the role)
        return set().union(*(agency_ids_in_scope(user, each) for each in pairs))
    if role not in scopes:
        scopes[role] = frozenset(scope_agency_ids(pairs.get(role, [])))
    return set(scopes[role])


def agencies_in_scope(user, role: str | None = None) -> QuerySet[Agency]:
    """The agencies the user may see and work on (all of them for a superuser)."""
    if _is_superuser(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=agency_ids_in_scope(user, role))


def can_act_on_agency(user, agency: Agency | int | None) -> bool:
    if agency is None:
        return False
    if _is_superuser(user):
        return True
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return agency_id in agency_ids_in_scope(user)


def require_agency(user, agency: Agency | int | None) -> None:
    """Raise PermissionDenied unless the user may act on `agency`."""
    if not can_act_on_agency(user, agency):
        raise PermissionDenied(_("Bạn không có quyền với hồ sơ, dữ liệu của cơ quan này."))


def is_staff_member(user) -> bool:
    return _is_superuser(user) or bool(_scope_cache(user)[0])


def primary_agency(user, role: str | None = None) -> Agency | None:
    """The agency the user works for (their earliest active assignment, for `role` if given), or None —
    e.g. the agency that receives a dossier when the caller names none."""
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    for held, agency in _cached_assignments(user)[3]:
        if role is None or held == role:
            return copied(agency)  # the cached one is shared by this process's requests
    return None


PROVINCE_KINDS = ("province", "city")


def provinces_administered(user) -> list | None:
    """The provinces (administrative units) the user administers today: None for a superuser (every one), else
    the province of each active administrator assignment whose scope unit, or whose agency's unit, is a
    province or a centrally-run city."""
    if _is_superuser(user):
        return None
    provinces = []
    for assignment in _assignments(user, Role.ADMINISTRATOR).select_related("unit", "agency__unit"):
        unit = assignment.unit or assignment.agency.unit
        if unit.kind in PROVINCE_KINDS and unit not in provinces:
            provinces.append(unit)
    return provinces


def is_province_administrator(user) -> bool:
    """A superuser, or an administrator of a province (see `provinces_administered`)."""
    return provinces_administered(user) != []
