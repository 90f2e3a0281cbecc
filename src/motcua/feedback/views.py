"""Evaluation pages (kiosk, link in the notification), recommendations (public and staff), the report."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import lookup_throttle
from motcua.org.models import Agency
from motcua.org.permissions import agencies_in_scope, has_role
from motcua.privacy import access as personal_data

from . import services, submission_throttle
from .forms import AnswerForm, AssignForm, EvaluationForm, KioskLookupForm, RecommendationForm
from .models import Evaluation, Recommendation


def _record_form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def evaluate_dossier(request, dossier, channel: str, template: str, extra: dict | None = None):
    """Show and take the evaluation form for `dossier` (the caller has checked who may evaluate it)."""
    problem = services.evaluation_problem(dossier)
    form = EvaluationForm(request.POST or None)
    context = {"dossier": dossier, "form": form, "problem": problem, **(extra or {})}
    if request.method == "POST" and not problem and form.is_valid():
        try:
            services.submit_evaluation(
                dossier,
                points=form.points(),
                overall=form.cleaned_data["overall"],
                channel=channel,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _record_form_errors(form, exc)
        else:
            return render(request, "feedback/thanks.html", context)
    return render(request, template, context)


def evaluate_link(request, token: str):
    dossier = services.dossier_from_token(token)
    if dossier is None:
        raise Http404(_("Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn."))
    return evaluate_dossier(request, dossier, Evaluation.Channel.LINK, "feedback/evaluate.html")


def kiosk(request):
    """A counter tablet: the citizen enters the dossier code and phone (or ID) number, then evaluates."""
    if request.method == "POST" and "dossier_token" in request.POST:
        dossier = services.dossier_from_token(request.POST["dossier_token"])
        if dossier is None:
            raise Http404
        return evaluate_dossier(
            request,
            dossier,
            Evaluation.Channel.KIOSK,
            "feedback/kiosk_evaluate.html",
            {"dossier_token": request.POST["dossier_token"]},
        )
    form = KioskLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = lookup_throttle.confirm(request, form.cleaned_data["code"], form.cleaned_data["phone"])
        except lookup_throttle.Throttled as exc:
            locked = isinstance(exc, lookup_throttle.CodeLocked)
            context = {"form": form, "throttled": True, "throttled_message": exc.message if locked else ""}
            return render(request, "feedback/kiosk.html", context, status=429)
        if dossier is None:
            form.add_error(None, _("Không tìm thấy hồ sơ với mã và số điện thoại (hoặc số giấy tờ) đã nhập."))
        else:
            return render(
                request,
                "feedback/kiosk_evaluate.html",
                {
                    "dossier": dossier,
                    "form": EvaluationForm(),
                    "problem": services.evaluation_problem(dossier),
                    "dossier_token": services.evaluation_token(dossier),
                },
            )
    return render(request, "feedback/kiosk.html", {"form": form})


def _period(request):
    today = timezone.localdate()
    try:
        date_from = datetime.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        date_from = today.replace(month=((today.month - 1) // 3) * 3 + 1, day=1)
    try:
        date_to = datetime.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        date_to = today
    return date_from, date_to


@login_required
def evaluation_report(request):
    if not (
        has_role(request.user, "supervisor")
        or has_role(request.user, "administrator")
        or has_role(request.user, "leader")
    ):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo đánh giá."))
    date_from, date_to = _period(request)
    report = services.aggregate(date_from, date_to)
    if not (has_role(request.user, "supervisor") or has_role(request.user, "administrator")):
        scope = set(agencies_in_scope(request.user).values_list("pk", flat=True))
        report["rows"] = [row for row in report["rows"] if row["agency"] in scope]
    from .indicators import INDICATORS

    return render(
        request,
        "feedback/report.html",
        {"report": report, "indicators": INDICATORS, "date_from": date_from, "date_to": date_to},
    )


# --- recommendations --------------------------------------------------------------------------------------


def recommendation_send(request):
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and submission_throttle.is_throttled(request):
        context = {"form": form, "throttled": True}
        return render(request, "feedback/recommendation_form.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            rec = services.send_recommendation(**form.cleaned_data)
        except ValidationError as exc:
            _record_form_errors(form, exc)
        else:
            submission_throttle.record(request)
            return render(request, "feedback/recommendation_sent.html", {"rec": rec})
    return render(request, "feedback/recommendation_form.html", {"form": form})


def recommendation_public_list(request):
    rows = Recommendation.objects.published().select_related("agency").order_by("-answered_at")[:100]
    return render(request, "feedback/recommendation_public.html", {"rows": rows})


def _staff_reader(user):
    if not services.can_read_recommendations(user):
        raise PermissionDenied(_("Bạn không có quyền xem kiến nghị, phản ánh."))


@login_required
def recommendation_inbox(request):
    _staff_reader(request.user)
    qs = services.recommendations_for(request.user)
    view = request.GET.get("loc", "")
    if view == "qua-han":
        qs = qs.overdue()
    elif view == "chua-tra-loi":
        qs = qs.open()
    return render(
        request,
        "feedback/recommendation_inbox.html",
        {
            "rows": qs.order_by("due_at", "-created_at")[:300],
            "view": view,
            "overdue_count": services.recommendations_for(request.user).overdue().count(),
            "can_manage": services.can_manage_recommendations(request.user),
        },
    )


@login_required
def recommendation_detail(request, pk: int):
    _staff_reader(request.user)
    rec = get_object_or_404(services.recommendations_for(request.user), pk=pk)
    can_manage = services.can_manage_recommendations(request.user)
    assign_form = AssignForm(
        agencies=Agency.objects.order_by("name"),
        initial={"agency": rec.agency_id, "days": services.answer_days()},
    )
    answer_form = AnswerForm()
    personal_data.record_recommendation(request.user, rec, what=_("Phản ánh, kiến nghị"))
    return render(
        request,
        "feedback/recommendation_detail.html",
        {
            "rec": rec,
            "assign_form": assign_form if can_manage and rec.state != rec.State.ANSWERED else None,
            "answer_form": answer_form
            if services.can_answer(request.user, rec) and rec.state != rec.State.ANSWERED
            else None,
        },
    )


@login_required
@require_POST
def recommendation_assign(request, pk: int):
    _staff_reader(request.user)
    rec = get_object_or_404(services.recommendations_for(request.user), pk=pk)
    form = AssignForm(request.POST, agencies=Agency.objects.all())
    if not form.is_valid():
        messages.error(request, _("Chưa chọn cơ quan hoặc thời hạn không hợp lệ."))
        return redirect("feedback:recommendation_detail", pk=pk)
    try:
        services.assign_recommendation(
            rec, agency=form.cleaned_data["agency"], by=request.user, days=form.cleaned_data["days"]
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã giao xử lý kiến nghị."))
    return redirect("feedback:recommendation_detail", pk=pk)


@login_required
@require_POST
def recommendation_answer(request, pk: int):
    _staff_reader(request.user)
    rec = get_object_or_404(services.recommendations_for(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa nhập nội dung trả lời."))
        return redirect("feedback:recommendation_detail", pk=pk)
    try:
        services.answer_recommendation(rec, answer=form.cleaned_data["answer"], by=request.user)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã trả lời kiến nghị."))
    return redirect("feedback:recommendation_detail", pk=pk)
