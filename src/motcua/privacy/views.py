"""The supervisor's page of the personal-data access log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.org.models import Role
from motcua.org.permissions import has_role

from . import access


def can_read_access_log(user) -> bool:
    return has_role(user, Role.SUPERVISOR) or has_role(user, Role.ADMINISTRATOR)


@login_required
def access_list(request):
    """Who read which applicant's data, newest first; filter by applicant name, dossier code or account."""
    if not can_read_access_log(request.user):
        raise PermissionDenied(
            _("Chỉ giám đốc trung tâm, giám sát và quản trị được xem nhật ký truy cập dữ liệu.")
        )
    rows = access.visible_to(request.user)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        from django.db.models import Q

        rows = rows.filter(
            Q(applicant_name__icontains=query) | Q(dossier_code__iexact=query) | Q(username__iexact=query)
        )
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return render(request, "privacy/access_list.html", {"page": page, "q": query})
