from django.shortcuts import render

from motcua import menu
from motcua.org.models import Role, StaffAssignment
from motcua.org.permissions import is_staff_member
from motcua.portal.views import public_home

from .roles import ROLE_DESCRIPTIONS


def role_sections(user) -> list[dict]:
    """One section per role the user holds today: where they work, what the role does, its menu."""
    assignments = list(
        StaffAssignment.objects.active().filter(user_id=user.pk).select_related("agency", "unit")
    )
    by_role: dict[str, list[StaffAssignment]] = {}
    for assignment in assignments:
        by_role.setdefault(assignment.role, []).append(assignment)
    if user.is_superuser:
        by_role.setdefault(Role.ADMINISTRATOR, [])
    sections = []
    for role in Role.values:
        if role not in by_role:
            continue
        sections.append(
            {
                "role": role,
                "label": Role(role).label,
                "description": ROLE_DESCRIPTIONS.get(role, ""),
                "assignments": by_role[role],
                "groups": menu.grouped(menu.entries_for(user, role)),
            }
        )
    return sections


def home(request):
    """The landing page: the public face for visitors, each role's own work for staff."""
    user = request.user
    if not user.is_authenticated:
        return public_home(request)
    context = {"is_staff_member": is_staff_member(user), "sections": role_sections(user)}
    context["common"] = menu.grouped(menu.entries_for(user, None)) if context["is_staff_member"] else []
    return render(request, "backoffice/home.html", context)
