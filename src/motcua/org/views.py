"""Staff screens for agencies: those in the user's scope only (the same check dossiers use)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.audit.models import AuditEntry

from .forms import AgencyContactForm
from .models import Agency, Center, Role
from .permissions import agencies_in_scope, can_act_on_agency, has_role
from .services import update_agency_contacts


def _agency_in_scope(user, pk) -> Agency:
    agency = get_object_or_404(Agency.objects.select_related("unit"), pk=pk)
    if not can_act_on_agency(user, agency):
        # Another agency's object is not even acknowledged to exist.
        raise Http404
    return agency


def _can_edit(user, agency) -> bool:
    return has_role(user, Role.LEADER, agency=agency) or has_role(user, Role.ADMINISTRATOR, agency=agency)


@login_required
def agency_list(request):
    agencies = agencies_in_scope(request.user).select_related("unit").order_by("unit__level__rank", "name")
    centers = Center.objects.filter(agency__in=agencies).prefetch_related("counters__agencies")
    return render(request, "org/agency_list.html", {"agencies": agencies, "centers": centers})


@login_required
def agency_detail(request, pk):
    agency = _agency_in_scope(request.user, pk)
    history = AuditEntry.objects.filter(agency_id=agency.pk).select_related("content_type")[:20]
    return render(
        request,
        "org/agency_detail.html",
        {"agency": agency, "history": history, "can_edit": _can_edit(request.user, agency)},
    )


@login_required
def agency_edit(request, pk):
    agency = _agency_in_scope(request.user, pk)
    if not _can_edit(request.user, agency):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị của cơ quan được sửa thông tin liên hệ."))
    if request.method == "POST":
        form = AgencyContactForm(request.POST)
        if form.is_valid():
            try:
                update_agency_contacts(agency, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Đã lưu thông tin liên hệ của cơ quan."))
                return redirect("org:agency_detail", pk=agency.pk)
    else:
        form = AgencyContactForm(
            initial={"address": agency.address, "phone": agency.phone, "email": agency.email}
        )
    return render(request, "org/agency_edit.html", {"agency": agency, "form": form})
