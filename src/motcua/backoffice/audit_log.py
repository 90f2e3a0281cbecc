"""The audit trail page: supervisors and administrators browse the rows of the agencies in their scope.

The page is the back office's: it asks org for roles and scopes, while audit itself (which org writes to) stays
below org."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.forms import AuditFilterForm
from motcua.audit.models import AuditEntry
from motcua.org.models import Role
from motcua.org.permissions import agency_ids_in_scope, has_role


def can_browse_audit(user) -> bool:
    return has_role(user, Role.SUPERVISOR) or has_role(user, Role.ADMINISTRATOR)


def visible_entries(user):
    """Rows the user may read: a superuser all; others the rows of agencies in their scope, plus the rows that
    belong to no agency (accounts, administrative units, applicants)."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(
        models.Q(agency_id__in=agency_ids_in_scope(user)) | models.Q(agency_id__isnull=True)
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
def entry_list(request):
    """Supervisors and administrators browse the audit trail of the agencies in their scope."""
    if not can_browse_audit(request.user):
        raise PermissionDenied(_("Chỉ giám đốc trung tâm, giám sát và quản trị được xem nhật ký thay đổi."))
    entries = visible_entries(request.user).select_related("content_type")
    actors = (
        get_user_model()
        .objects.filter(pk__in=visible_entries(request.user).exclude(actor=None).values("actor_id"))
        .order_by("full_name", "username")
    )
    form = AuditFilterForm(request.GET or None, actors=actors)
    if form.is_valid():
        data = form.cleaned_data
        if data["object_type"]:
            entries = entries.filter(content_type_id=data["object_type"])
        if data["actor"]:
            entries = entries.filter(actor_id=data["actor"].pk)
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(created_at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "audit/entry_list.html", {"form": form, "page": page, "query": query.urlencode()})
