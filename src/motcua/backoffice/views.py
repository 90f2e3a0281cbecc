from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from motcua import menu
from motcua.org.models import Role, StaffAssignment
from motcua.org.permissions import is_staff_member
from motcua.portal.views import public_home

from . import guide_pages
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
                "guides": guide_pages.ROLE_GUIDES.get(role, ()),
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


def guide(request, slug: str = guide_pages.INDEX):
    """A user guide (or, without a slug, the list of guides), in the site's layout."""
    path = guide_pages.guide_path(slug)
    if path is None:
        raise Http404(_("Không có hướng dẫn này."))
    text = path.read_text(encoding="utf-8")
    context = {
        "title": guide_pages.title_of(text) or _("Hướng dẫn sử dụng"),
        "body": mark_safe(guide_pages.to_html(text)),  # the converter escapes the guide's text
        "is_index": slug == guide_pages.INDEX,
    }
    return render(request, "backoffice/guide.html", context)


def guide_image(request, name: str):
    """A picture of the user guides, from the guides packaged with the application."""
    path = guide_pages.image_path(name)
    if path is None:
        raise Http404(_("Không có ảnh này."))
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
