"""Staff screens for dossiers: inbox, counter intake, the dossier page with its actions, printing, search.

Each view parses input, calls one service of `motcua.dossiers`, and renders.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog.models import Procedure, ProcedureImplementation
from motcua.catalog.text import tokens
from motcua.org.models import StaffAssignment
from motcua.org.permissions import agencies_in_scope, has_role, is_staff_member
from motcua.privacy import access as personal_data

from . import deadlines, queries, services, workflow
from .applicants import check_submitter, find_or_create_applicant
from .exceptions import TransitionNotAllowed, UnknownAction
from .forms import IntakeForm
from .models import CounterGuidance, Dossier
from .pdf_forms import (
    ALL_FORMS,
    STOP_NOTICE,
    FormNotApplicable,
    available_forms,
    form_title,
    render_form,
    render_guidance,
)
from .signals import intake_offer_providers

# Lazy: translated when a page shows them (in the reader's language), not once when the module loads.
FORM_LABELS = {
    "01": gettext_lazy("In phiếu tiếp nhận"),
    "02": gettext_lazy("In phiếu yêu cầu bổ sung"),
    "03": gettext_lazy("In phiếu từ chối"),
    "04": gettext_lazy("In phiếu xin lỗi"),
    "05": gettext_lazy("In phiếu kiểm soát"),
    "06": gettext_lazy("In sổ theo dõi"),
    STOP_NOTICE: gettext_lazy("In thông báo dừng giải quyết"),
}


def _staff_only(request):
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Chỉ cán bộ được phân công mới dùng được chức năng này."))


def _dossier_for(request, code: str) -> Dossier:
    dossier = (
        Dossier.objects.select_related(
            "procedure",
            "applicant",
            "submitter",
            "agency",
            "resolving_agency",
            "current_agency",
            "current_step",
            "holder",
            "received_by",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None or not services.can_see(request.user, dossier):
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


@login_required
def inbox(request):
    _staff_only(request)
    box = request.GET.get("box", "mine")
    if box not in queries.BOXES:
        box = "mine"
    field = request.GET.get("field", "code")
    text = request.GET.get("q", "")
    qs = queries.search(
        queries.inbox(request.user, box) if not text else queries.visible_to(request.user), field, text
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    now = timezone.now()
    calendar = services.calendar()
    rows = []
    for dossier in page:
        rows.append({"dossier": dossier, "deadlines": deadlines.deadlines(dossier, now, calendar)})
    personal_data.record_list(request.user, [row["dossier"] for row in rows], what=_("Danh sách hồ sơ"))
    return render(
        request,
        "dossiers/inbox.html",
        {
            "box": box,
            "box_label": queries.BOXES[box][0],
            "boxes": [(key, label) for key, (label, _group) in queries.BOXES.items()],
            "rows": rows,
            "page": page,
            "field": field,
            "q": text,
            "search_fields": list(queries.SEARCH_FIELDS.items()),
            "can_batch": box == "mine",
            "can_intake": _may_receive(request.user),
        },
    )


def _reception_agencies(user):
    if user.is_superuser:
        return None
    return agencies_in_scope(user, "reception_officer")


def _may_receive(user) -> bool:
    """Counter intake ("Thêm mới") is for reception officers (and the administrator)."""
    return user.is_superuser or has_role(user, "reception_officer")


def _intake_procedures(user):
    """The published procedures `user` may receive dossiers for at the counter."""
    procedures = Procedure.objects.filter(status=Procedure.Status.PUBLISHED).select_related(
        "resolving_agency"
    )
    scope = _reception_agencies(user)
    if scope is not None:
        # The procedures the officer's agencies resolve by default or implement today (a commune's birth
        # registration, implemented by every commune of the province).
        implemented = ProcedureImplementation.objects.valid_on(timezone.localdate()).filter(agency__in=scope)
        procedures = procedures.filter(
            Q(resolving_agency__in=scope) | Q(pk__in=implemented.values("procedure_id"))
        )
    return procedures


def _pick_procedure(request, procedures):
    """The page listing the procedures matching the search words, to pick one for intake."""
    text = request.GET.get("q", "").strip()
    found = procedures.order_by("code")
    for word in tokens(text):
        found = found.filter(search_text__contains=word)
    return render(
        request,
        "dossiers/intake_pick.html",
        {"procedures": found[:50], "q": text, "total": found.count()},
    )


def _intake_form(request, procedure) -> IntakeForm:
    """The intake form for `procedure`, bound to the request, with the offers of the intake providers."""
    data = request.POST or request.GET
    offers = {}
    for provider in intake_offer_providers:
        offers.update(provider(data.get("id_type", ""), data.get("id_number", ""), procedure))
    return IntakeForm(request.POST or None, request.FILES or None, procedure=procedure, offers=offers)


def _guide_at_counter(request, form, procedure):
    """Record counter guidance instead of an intake: the redirect to its Form 02, or None on errors."""
    try:
        with transaction.atomic():
            applicant = find_or_create_applicant(**form.applicant_fields())
            guidance = services.guide_at_counter(
                procedure=procedure,
                applicant=applicant,
                actor=request.user,
                items=form.cleaned_data.get("guidance_items", ""),
            )
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    messages.success(
        request,
        _("Đã hướng dẫn hoàn thiện hồ sơ, không tiếp nhận. In Mẫu 02 để giao công dân."),
    )
    return redirect("dossiers:guidance_print", pk=guidance.pk)


def _record_intake(request, form, procedure, *, refusing: bool, resolving_now: bool) -> Dossier:
    """The dossier received, refused or resolved on the spot from the valid form (inside a transaction)."""
    applicant = find_or_create_applicant(**form.applicant_fields())
    submitter_fields = form.submitter_fields()
    submitter = find_or_create_applicant(**submitter_fields) if submitter_fields else None
    check_submitter(applicant, submitter)
    if refusing:
        return services.refuse_at_intake(
            procedure=procedure,
            applicant=applicant,
            submitter=submitter,
            actor=request.user,
            reason=form.cleaned_data.get("refusal_reason", ""),
            channel=form.cleaned_data["channel"],
            summary=form.cleaned_data.get("summary", ""),
        )
    dossier = services.intake(
        procedure=procedure,
        applicant=applicant,
        submitter=submitter,
        actor=request.user,
        channel=form.cleaned_data["channel"],
        documents=form.documents(),
        return_method=form.cleaned_data["return_method"],
        summary=form.cleaned_data.get("summary", ""),
        set_count=form.cleaned_data["set_count"],
        on_the_spot=form.cleaned_data.get("on_the_spot", False),
    )
    if resolving_now:
        # "5 tại chỗ" in one sitting: received, resolved and returned, or nothing at all.
        dossier = services.resolve_on_the_spot(dossier, request.user)
    return dossier


def _intake_done_message(dossier: Dossier, *, refusing: bool, resolving_now: bool) -> str:
    """The confirmation shown after an intake, a refusal or an on-the-spot resolution."""
    if refusing:
        return _("Đã từ chối tiếp nhận hồ sơ %(code)s. In Mẫu 03 để giao công dân.") % {"code": dossier.code}
    if resolving_now:
        return _("Đã tiếp nhận, giải quyết và trả kết quả tại chỗ hồ sơ %(code)s.") % {"code": dossier.code}
    return _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code}


def _receive(request, form, procedure):
    """Receive, refuse or resolve on the spot: the redirect to the dossier, or None on errors."""
    refusing = "refuse" in request.POST
    resolving_now = "resolve_now" in request.POST and form.cleaned_data.get("on_the_spot", False)
    try:
        with transaction.atomic():
            dossier = _record_intake(request, form, procedure, refusing=refusing, resolving_now=resolving_now)
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    except (TransitionNotAllowed, PermissionDenied) as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, _intake_done_message(dossier, refusing=refusing, resolving_now=resolving_now))
    return redirect("dossiers:detail", code=dossier.code)


@login_required
def intake(request):
    _staff_only(request)
    if not _may_receive(request.user):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận mới tiếp nhận hồ sơ."))
    procedures = _intake_procedures(request.user)
    code = request.GET.get("procedure") or request.POST.get("procedure")
    procedure = procedures.filter(code=code).first() if code else None
    if procedure is None:
        return _pick_procedure(request, procedures)
    form = _intake_form(request, procedure)
    response = None
    if request.method == "POST" and "guide" in request.POST and form.is_valid():
        response = _guide_at_counter(request, form, procedure)
    elif request.method == "POST" and "find_store" not in request.POST and form.is_valid():
        response = _receive(request, form, procedure)
    if response is not None:
        return response
    return render(request, "dossiers/intake_form.html", {"form": form, "procedure": procedure})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _eligible_users(dossier: Dossier, step):
    """Staff who hold `step`'s role at its agency (to hand the dossier to by name)."""
    if step is None:
        return []
    agency = step.agency or dossier.resolving_agency
    candidates = (
        StaffAssignment.objects.active()
        .filter(role=step.role)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    users, seen = [], set()
    for assignment in candidates:
        if assignment.user_id not in seen and agency.pk in assignment.agency_ids():
            seen.add(assignment.user_id)
            users.append(assignment.user)
    return users


@login_required
def detail(request, code: str):
    _staff_only(request)
    dossier = _dossier_for(request, code)
    personal_data.record(request.user, dossier=dossier, what=_("Trang hồ sơ"))
    allowed = services.allowed_actions(dossier, request.user)
    next_step = services.next_step(dossier, dossier.current_step) if dossier.current_step else None
    due = deadlines.deadlines(dossier)
    forms_available = [
        (form, FORM_LABELS[form], form_title(form, dossier)) for form in available_forms(dossier)
    ]
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "events": dossier.events.select_related("agency", "handed_to").order_by("at", "id"),
            "documents": dossier.documents.all(),
            "actions": [(a, workflow.TRANSITIONS[a].label) for a in allowed]
            + [(a, services.action_label(a)) for a in services.composite_actions(dossier, request.user)],
            "allowed": set(allowed),
            "next_step": next_step,
            "next_users": _eligible_users(dossier, next_step),
            "current_users": _eligible_users(dossier, dossier.current_step),
            "deadlines": due,
            "forms": forms_available,
        },
    )


def _parse_local(value: str):
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(value, fmt))
        except ValueError:
            continue
    raise ValidationError({"new_appointment_at": _("Ngày hẹn trả mới không hợp lệ (dd/mm/yyyy hh:mm).")})


@login_required
@require_POST
def act(request, code: str):
    _staff_only(request)
    dossier = _dossier_for(request, code)
    action = request.POST.get("action", "")
    expected = request.POST.get("expected_step")
    try:
        params = {
            "note": request.POST.get("note", ""),
            "reason": request.POST.get("reason", ""),
            "items": [line for line in request.POST.get("items", "").splitlines() if line.strip()],
            "to_user": request.POST.get("to_user") or None,
            "new_appointment_at": _parse_local(request.POST.get("new_appointment_at", "")),
        }
        if expected:
            params["expected_step_id"] = int(expected)
        services.perform(dossier, request.user, action, **params)
    except (TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (UnknownAction, ValueError):
        messages.error(request, _("Thao tác không hợp lệ."))
    else:
        messages.success(
            request,
            _("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.")
            % {"action": services.action_label(action), "code": code},
        )
    return redirect("dossiers:detail", code=code)


@login_required
@require_POST
def batch_advance(request):
    """ "Chuyển bước xử lý nhiều hồ sơ": each dossier is its own transition; failures are listed."""
    _staff_only(request)
    codes = request.POST.getlist("codes")
    note = request.POST.get("note", "")
    done, failed = [], []
    for code in codes:
        dossier = Dossier.objects.filter(code=code).first()
        if dossier is None or not services.can_see(request.user, dossier):
            failed.append(f"{code}: " + _("không tìm thấy"))
            continue
        try:
            services.advance(dossier, request.user, note=note)
            done.append(code)
        except (TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
            failed.append(f"{code}: {exc.messages[0] if isinstance(exc, ValidationError) else exc}")
    if not codes:
        messages.error(request, _("Chưa chọn hồ sơ nào."))
    if done:
        messages.success(request, _("Đã chuyển bước %(n)d hồ sơ.") % {"n": len(done)})
    for line in failed:
        messages.error(request, line)
    return redirect(reverse("dossiers:inbox"))


@login_required
def print_form(request, code: str, form: str):
    _staff_only(request)
    dossier = _dossier_for(request, code)
    if form not in ALL_FORMS:
        raise Http404(_("Không có mẫu phiếu này."))
    try:
        pdf = render_form(dossier, form, user=request.user)
    except FormNotApplicable as exc:
        messages.error(request, str(exc))
        return redirect("dossiers:detail", code=code)
    personal_data.record(
        request.user,
        dossier=dossier,
        channel=personal_data.Channel.FILE,
        what=_("In mẫu %(form)s") % {"form": form},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{form}-{dossier.code}.pdf"'
    return response


@login_required
def guidance_print(request, pk: int):
    """The guidance slip given at the counter without receiving (Mẫu 02), as a PDF, for the officer's scope."""
    _staff_only(request)
    guidance = (
        CounterGuidance.objects.select_related("procedure", "agency__unit__parent", "applicant")
        .filter(pk=pk)
        .first()
    )
    if guidance is None or not (
        request.user.is_superuser or has_role(request.user, "reception_officer", agency=guidance.agency)
    ):
        raise Http404(_("Không tìm thấy phiếu hướng dẫn."))
    response = HttpResponse(render_guidance(guidance), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="huong-dan-{guidance.pk}.pdf"'
    return response
