"""Citizen portal pages (accounts, online submission, supplements, results, status lookup) and the
reception officer's screens for online submissions. Each view parses input, calls one service, renders."""

import json
import logging
import secrets
import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import Procedure
from motcua.db_routing import replica_reads
from motcua.documents import downloads
from motcua.dossiers import lookup_throttle
from motcua.dossiers import services as dossier_services
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.org.permissions import has_role
from motcua.privacy import access as personal_data

from . import login_providers, online_form, services
from .forms import (
    CloseAccountForm,
    ExternalConsentForm,
    LookupForm,
    ProfileForm,
    ReasonForm,
    RegisterForm,
    SupplementRequestForm,
    WalkInForm,
)
from .models import OnlineResult, Submission, SubmissionFile

logger = logging.getLogger(__name__)


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _citizen_required(view):
    @login_required(login_url="citizens:login")
    def wrapped(request, *args, **kwargs):
        if services.profile_of(request.user) is None:
            messages.error(request, _("Chức năng này dành cho tài khoản công dân."))
            return redirect("home")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _attachment(fieldfile, filename: str, content_type: str):
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    return downloads.harden(response)


# --- accounts ---------------------------------------------------------------------------------------------


def _passwords_off(request):
    """The answer to a local-password page where the deployment keeps citizens on VNeID only."""
    messages.error(
        request,
        _(
            "Hệ thống không dùng tài khoản mật khẩu cho công dân: vui lòng đăng nhập bằng tài khoản định danh "
            "điện tử VNeID."
        ),
    )
    return redirect("citizens:login")


def register(request):
    if not login_providers.passwords_enabled():
        return _passwords_off(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.register_citizen(form.cleaned_data, form.cleaned_data["password"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            login(request, profile.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng ký tài khoản thành công."))
            return redirect("citizens:home")
    return render(request, "citizens/register.html", {"form": form})


class CitizenLoginView(auth_views.LoginView):
    template_name = "citizens/login.html"

    def get_default_redirect_url(self):
        return reverse("citizens:home")

    def post(self, request, *args, **kwargs):
        if not login_providers.passwords_enabled():
            return _passwords_off(request)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "providers": login_providers.buttons(),
            "passwords": login_providers.passwords_enabled(),
        }


OIDC_SESSION_KEY = "motcua_oidc"


def _callback_url(request, name):
    return request.build_absolute_uri(reverse("citizens:external_callback", args=[name]))


def external_login(request, name: str):
    """Send the citizen to the configured identity provider (authorization code + PKCE)."""
    plugin = login_providers.provider(name)
    if plugin is None:
        raise Http404
    verifier, challenge = login_providers.new_pkce()
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    request.session[OIDC_SESSION_KEY] = {
        "provider": name,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
    }
    return redirect(
        plugin.authorization_url(
            redirect_uri=_callback_url(request, name), state=state, nonce=nonce, code_challenge=challenge
        )
    )


def external_callback(request, name: str):
    plugin = login_providers.provider(name)
    pending = request.session.pop(OIDC_SESSION_KEY, None)
    if plugin is None:
        raise Http404
    failed = _("Đăng nhập không thành công. Vui lòng thử lại hoặc dùng tài khoản của hệ thống.")
    state = request.GET.get("state", "")
    if (
        not pending
        or pending.get("provider") != name
        or not state
        or not secrets.compare_digest(state, pending.get("state", ""))
        or not request.GET.get("code")
    ):
        messages.error(request, failed)
        return redirect("citizens:login")
    try:
        identity = plugin.identity(
            code=request.GET["code"],
            redirect_uri=_callback_url(request, name),
            code_verifier=pending["verifier"],
            nonce=pending.get("nonce", ""),
        )
        if services.external_login_needs_consent(identity):
            # Nothing is stored and nobody is logged in until the citizen has read the notice and agreed.
            request.session[PENDING_SESSION_KEY] = {
                "provider": name,
                "identity": identity,
                "expires": time.time() + PENDING_SECONDS,
            }
            return redirect("citizens:external_consent")
        user = services.login_with_identity(identity, provider=name)
    except login_providers.LoginError as exc:
        logger.warning("external login failed", exc_info=True, extra={"provider": name})
        messages.error(request, exc.user_message or failed)
        return redirect("citizens:login")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("citizens:login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("citizens:home")


# The identity a provider vouched for, kept in the session while the citizen reads the notice (first login).
PENDING_SESSION_KEY = "motcua_oidc_pending"
PENDING_SECONDS = 15 * 60


def external_consent(request):
    """The first login through an identity provider: the Decree 13/2023 notice, then "agree" (the account is
    created or linked, the consent recorded, the citizen logged in) or "refuse" (the session is cleared: no
    account, no identity, no consent is kept; the citizen is not logged in)."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or pending.get("expires", 0) < time.time():
        request.session.pop(PENDING_SESSION_KEY, None)
        messages.error(request, _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."))
        return redirect("citizens:login")
    form = ExternalConsentForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("decision") == "refuse":
            request.session.flush()
            logger.info("external login: notice refused", extra={"provider": pending.get("provider")})
            messages.info(
                request,
                _(
                    "Ông/bà đã không đồng ý xử lý dữ liệu cá nhân: chưa đăng nhập, hệ thống không tạo tài khoản "
                    "và không lưu thông tin nhà cung cấp định danh gửi về. Ông/bà vẫn có thể nộp hồ sơ trực "
                    "tiếp tại Bộ phận Một cửa."
                ),
            )
            return redirect("citizens:login")
        if form.is_valid():
            try:
                user = services.login_with_identity(
                    pending["identity"], consent=True, provider=pending.get("provider", "")
                )
            except ValidationError as exc:
                request.session.pop(PENDING_SESSION_KEY, None)
                messages.error(request, " ".join(exc.messages))
                return redirect("citizens:login")
            request.session.pop(PENDING_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng nhập thành công."))
            return redirect("citizens:home")
    identity = pending["identity"]
    return render(
        request,
        "citizens/external_consent.html",
        {
            "form": form,
            "full_name": identity.get("full_name", ""),
            "level": int(identity.get("identity_level") or 0),
        },
    )


def _page_of(dossier: Dossier, user) -> str:
    """Where the citizen opens one of their dossiers: the page of their online submission, else its own page."""
    submission = (
        getattr(dossier, "online_submission", None) if hasattr(dossier, "online_submission") else None
    )
    if submission is not None and submission.user_id == user.pk:
        return reverse("citizens:dossier", args=[submission.pk])
    return reverse("citizens:own_dossier", args=[dossier.code])


@_citizen_required
def home(request):
    profile = services.profile_of(request.user)
    dossiers = [{"dossier": d, "url": _page_of(d, request.user)} for d in services.my_dossiers(request.user)]
    groups = {
        "drafts": list(services.citizen_dossiers(request.user).filter(state=Submission.State.DRAFT)),
        "supplement": [row for row in dossiers if row["dossier"].state == State.PAUSED_SUPPLEMENT],
        "results": [row for row in dossiers if row["dossier"].state in (State.RESULT_READY, State.RETURNED)],
        "submitted": dossiers,
    }
    return render(request, "citizens/home.html", {"profile": profile, **groups})


@_citizen_required
def own_dossier(request, code: str):
    """A dossier of the citizen that was not submitted through their account (counter, post, national portal)."""
    try:
        d = services.my_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    url = _page_of(d, request.user)
    if url != request.path:
        return redirect(url)
    return render(
        request,
        "citizens/own_dossier.html",
        {"dossier": d, "status": services.public_status(d), "has_receipt": _has_receipt(d)},
    )


def _has_receipt(d: Dossier) -> bool:
    """The receipt slip exists once the dossier is received (the appointment is then set)."""
    return bool(d.code) and d.received_at is not None


def _receipt_response(d: Dossier) -> HttpResponse:
    from motcua.dossiers.pdf_forms import FormNotApplicable, render_form

    try:
        pdf = render_form(d, "01")
    except FormNotApplicable:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giay-tiep-nhan-{d.code}.pdf"'
    return response


@_citizen_required
def own_receipt(request, code: str):
    """The receipt and appointment slip (Mẫu 01) of one of the citizen's dossiers."""
    try:
        d = services.my_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404 from None
    return _receipt_response(d)


@_citizen_required
def profile(request):
    profile = services.profile_of(request.user)
    applicant = profile.applicant
    form = ProfileForm(
        request.POST or None,
        initial={
            "date_of_birth": applicant.date_of_birth,
            "phone": applicant.phone,
            "email": applicant.email,
            "address": applicant.address,
            "has_national_portal_account": profile.has_national_portal_account,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(profile, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("citizens:profile")
    return render(request, "citizens/profile.html", {"form": form, "profile": profile})


@_citizen_required
def my_data(request):
    """The citizen's personal data: download it, or withdraw consent and close the account (ASVS V8.3.2)."""
    return render(
        request,
        "citizens/my_data.html",
        {"form": CloseAccountForm(), "kept_dossiers": len(services.my_dossiers(request.user))},
    )


@_citizen_required
def my_data_download(request):
    data = services.personal_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    return downloads.harden(response)


@require_POST
@_citizen_required
def close_account(request):
    form = CloseAccountForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "citizens/my_data.html",
            {"form": form, "kept_dossiers": len(services.my_dossiers(request.user))},
            status=400,
        )
    services.close_account(request.user)
    logout(request)
    messages.success(
        request,
        _(
            "Đã rút lại sự đồng ý và xóa tài khoản. Hồ sơ đã nộp được giữ theo quy định về lưu trữ; hồ sơ đang "
            "giải quyết vẫn được giải quyết và trả kết quả."
        ),
    )
    return redirect("citizens:login")


@login_required
def walk_in_account(request):
    if not has_role(request.user, "reception_officer"):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận mới tạo tài khoản cho công dân."))
    if not login_providers.passwords_enabled():
        messages.error(
            request,
            _(
                "Hệ thống không dùng tài khoản mật khẩu cho công dân: công dân đăng nhập bằng tài khoản định danh "
                "điện tử VNeID."
            ),
        )
        return redirect("home")
    form = WalkInForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            profile, password = services.create_account_for_walk_in(
                request.user, form.cleaned_data, form.cleaned_data["registered_national_portal"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            created = {"profile": profile, "password": password}
            form = WalkInForm()
    return render(request, "citizens/walk_in.html", {"form": form, "created": created})


@login_required
def registration_report(request):
    if not any(has_role(request.user, r) for r in ("supervisor", "administrator", "reception_officer")):
        raise PermissionDenied
    return render(request, "citizens/registration_report.html", {"stats": services.registration_stats()})


# --- online submission ------------------------------------------------------------------------------------


def online_catalog(request):
    q = request.GET.get("q", "")
    try:
        procedures = list(services.online_procedures(q)[:100])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        procedures = []
    return render(request, "citizens/online_catalog.html", {"procedures": procedures, "q": q})


@_citizen_required
def start(request, code: str):
    """ "Nộp trực tuyến": opened directly (GET) it shows what the citizen is about to start; POST starts it."""
    procedure = get_object_or_404(Procedure.objects.published(), code=code)
    if request.method != "POST":
        return render(
            request,
            "citizens/start.html",
            {
                "procedure": procedure,
                "online": procedure.online_level in services.ONLINE_LEVELS,
                "drafts": services.citizen_dossiers(request.user).filter(
                    procedure=procedure, state=Submission.State.DRAFT
                ),
            },
        )
    try:
        submission = services.start_submission(request.user, procedure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("citizens:online_catalog")
    return redirect("citizens:draft", pk=submission.pk)


def _own(request, pk) -> Submission:
    try:
        return services.own_submission(request.user, pk)
    except Submission.DoesNotExist:
        raise Http404 from None


def _draft_uploads(request, documents, applicant, offers) -> dict:
    """The files posted for each required document: a new upload, else a copy of the chosen stored document."""
    from motcua.documents import services as document_services

    uploads = {}
    for document in documents:
        uploaded = request.FILES.get(f"doc_{document.pk}")
        if not uploaded and request.POST.get(f"reuse_{document.pk}"):
            # "Chọn giấy tờ số hóa": a copy of a document of the citizen's own data store
            uploaded = document_services.stored_copy(
                applicant, request.POST[f"reuse_{document.pk}"], offers.get(document.pk, [])
            )
        if uploaded:
            uploads[document.pk] = uploaded
    return uploads


def _save_or_submit_draft(request, submission: Submission, uploads: dict):
    """Save the posted draft, then submit it when asked: (the redirect when done, else the errors to show)."""
    try:
        services.save_draft(
            submission,
            request.user,
            summary=request.POST.get("summary", ""),
            return_method=request.POST.get("return_method", ""),
            uploads=uploads,
            form_data=request.POST,
        )
    except ValidationError as exc:
        messages.error(request, _("Hồ sơ chưa được lưu. Vui lòng xem các lỗi bên dưới."))
        return None, exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    if "submit" not in request.POST:
        messages.success(request, _("Đã lưu nháp. Ông/bà có thể quay lại hoàn thiện sau."))
        return redirect("citizens:draft", pk=submission.pk), {}
    try:
        services.submit(submission, request.user, consent=bool(request.POST.get("consent")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None, exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return redirect("citizens:submitted", pk=submission.pk), {}


def _draft_form(request, fields, submission: Submission, errors: dict):
    """The procedure's form: the posted answers with the save's errors added, or the draft's saved answers."""
    if request.method != "POST":
        return online_form.procedure_form(fields, values=submission.form_data)
    form = online_form.procedure_form(fields, data=request.POST)
    form.is_valid()
    for name, field_errors in errors.items():
        for message in field_errors if name in form.fields else []:
            if message not in form.errors.get(name, []):
                form.add_error(name, message)
    return form


def _draft_rows(submission: Submission, documents, offers: dict, errors: dict) -> list[dict]:
    """One row per required document: the file given so far, its error and the stored documents offered."""
    files = {
        f.required_document_id: f for f in submission.files.filter(purpose=SubmissionFile.Purpose.INITIAL)
    }
    return [
        {
            "document": d,
            "file": files.get(d.pk),
            "error": " ".join(errors.get(f"doc_{d.pk}", [])),
            "offers": offers.get(d.pk, []),
        }
        for d in documents
    ]


@_citizen_required
def draft(request, pk: int):
    submission = _own(request, pk)
    if submission.state != Submission.State.DRAFT:
        return redirect("citizens:dossier", pk=pk)
    from motcua.documents import services as document_services

    documents = services.required_documents(submission)
    fields = services.form_fields(submission.procedure)
    applicant = services.profile_of(request.user).applicant
    offers = document_services.offers_for(applicant, submission.procedure)
    errors = {}
    if request.method == "POST":
        uploads = _draft_uploads(request, documents, applicant, offers)
        done, errors = _save_or_submit_draft(request, submission, uploads)
        if done is not None:
            return done
        submission.refresh_from_db()
    return render(
        request,
        "citizens/draft.html",
        {
            "submission": submission,
            "form": _draft_form(request, fields, submission, errors),
            "rows": _draft_rows(submission, documents, offers, errors),
            "errors": errors,
            "return_methods": services.return_methods_for(submission.procedure),
            "summary": request.POST.get("summary", submission.summary)
            if request.method == "POST"
            else submission.summary,
            "max_mb": services_max_mb(),
        },
    )


def services_max_mb() -> int:
    from .uploads import max_upload_bytes

    return max_upload_bytes() // (1024 * 1024)


@_citizen_required
def submitted(request, pk: int):
    submission = _own(request, pk)
    if submission.dossier is None:
        return redirect("citizens:draft", pk=pk)
    return render(request, "citizens/submitted.html", {"submission": submission})


@_citizen_required
def dossier(request, pk: int):
    submission = _own(request, pk)
    if submission.dossier is None:
        return redirect("citizens:draft", pk=pk)
    d = submission.dossier
    from motcua.feedback.models import Evaluation

    return render(
        request,
        "citizens/dossier.html",
        {
            "submission": submission,
            "dossier": d,
            "status": services.public_status(d),
            "files": submission.files.all(),
            "result": OnlineResult.objects.filter(dossier=d).first(),
            "can_supplement": d.state == State.PAUSED_SUPPLEMENT,
            "items": list(enumerate(d.supplement_items or [])),
            "evaluated": Evaluation.objects.filter(dossier=d).exists(),
            "can_evaluate": d.state in (State.RESULT_READY, State.RETURNED),
            "has_receipt": _has_receipt(d),
            "max_mb": services_max_mb(),
        },
    )


@_citizen_required
@require_POST
def supplement(request, pk: int):
    submission = _own(request, pk)
    uploads = {key[len("item_") :]: f for key, f in request.FILES.items() if key.startswith("item_")}
    try:
        services.supplement_online(
            submission, request.user, uploads=uploads, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        for message in sum(exc.message_dict.values(), []) if hasattr(exc, "error_dict") else exc.messages:
            messages.error(request, message)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi giấy tờ bổ sung. Hồ sơ tiếp tục được xử lý."))
    return redirect("citizens:dossier", pk=pk)


@_citizen_required
def own_file(request, pk: int, file_pk: int):
    submission = _own(request, pk)
    item = get_object_or_404(SubmissionFile, pk=file_pk, submission=submission)
    return _attachment(item.file, item.original_name, item.content_type)


@_citizen_required
def result(request, pk: int):
    submission = _own(request, pk)
    item = get_object_or_404(OnlineResult, dossier=submission.dossier)
    services.mark_result_downloaded(item)
    return _attachment(item.file, f"ket-qua-{submission.dossier.code}.pdf", "application/pdf")


@_citizen_required
def receipt(request, pk: int):
    """The receipt and appointment slip (Mẫu 01) of the citizen's own received dossier."""
    submission = _own(request, pk)
    d = submission.dossier
    if d is None or not d.code:
        raise Http404
    return _receipt_response(d)


@_citizen_required
def evaluate(request, pk: int):
    from motcua.feedback.models import Evaluation
    from motcua.feedback.views import evaluate_dossier

    submission = _own(request, pk)
    if submission.dossier is None:
        raise Http404
    return evaluate_dossier(
        request,
        submission.dossier,
        Evaluation.Channel.PORTAL,
        "feedback/evaluate.html",
        {"back_url": reverse("citizens:dossier", kwargs={"pk": pk})},
    )


# --- public status lookup ---------------------------------------------------------------------------------


@replica_reads()
def lookup(request):
    """TRA CỨU TIẾN ĐỘ HỒ SƠ: code + phone or ID number; a wrong pair answers exactly like an unknown code.

    Answers a POST from its form only, so that no personal number travels in a URL; a GET with the code (the QR
    code on the receipt) only fills the form in. Every try goes through the shared lookup throttle.
    """
    asked = request.method == "POST"
    form = LookupForm(request.POST if asked else None, initial={"code": request.GET.get("code", "")[:40]})
    context = {"form": form}
    if not asked:
        return render(request, "citizens/lookup.html", context)
    dossier = None
    try:
        if form.is_valid():
            data = form.cleaned_data
            dossier = lookup_throttle.confirm(
                request, data["code"], data["contact"], phone=data["phone"], id_number=data["id_number"]
            )
        elif lookup_throttle.is_throttled(lookup_throttle.client_address(request)):
            raise lookup_throttle.Throttled
        else:
            lookup_throttle.record_failure(lookup_throttle.client_address(request))
    except lookup_throttle.Throttled as exc:
        context["throttled"] = True
        if isinstance(exc, lookup_throttle.CodeLocked):
            context["throttled_message"] = exc.message
        return render(request, "citizens/lookup.html", context, status=429)
    if dossier is None:
        context["not_found"] = True
        return render(request, "citizens/lookup.html", context, status=404)
    context["status"] = services.public_status(dossier)
    return render(request, "citizens/lookup.html", context)


# --- reception officer: online submissions ----------------------------------------------------------------


def _reception_staff(user):
    if not (user.is_superuser or has_role(user, "reception_officer")):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận mới xử lý hồ sơ trực tuyến."))


@login_required
def reception_inbox(request):
    _reception_staff(request.user)
    rows = list(services.online_inbox(request.user))
    personal_data.record_list(request.user, rows, what=_("Danh sách hồ sơ nộp trực tuyến"))
    return render(request, "citizens/reception_inbox.html", {"rows": rows})


def _staff_dossier(request, pk) -> Dossier:
    _reception_staff(request.user)
    try:
        return services.staff_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


@login_required
def reception_detail(request, pk: int):
    d = _staff_dossier(request, pk)
    personal_data.record(request.user, dossier=d, what=_("Hồ sơ nộp trực tuyến"))
    return render(
        request,
        "citizens/reception_detail.html",
        {
            "dossier": d,
            "files": services.submission_files(d),
            "status": services.public_status(d),
            "actions": dossier_services.allowed_actions(d, request.user),
            "supplement_form": SupplementRequestForm(),
            "reason_form": ReasonForm(),
            "result": OnlineResult.objects.filter(dossier=d).first(),
        },
    )


@login_required
@require_POST
def reception_action(request, pk: int, action: str):
    d = _staff_dossier(request, pk)
    try:
        if action == "receive":
            d = dossier_services.receive(d, request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Đã tiếp nhận hồ sơ, mã hồ sơ %(code)s.") % {"code": d.code})
        elif action == "request_supplement":
            form = SupplementRequestForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Phải liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện."))
            dossier_services.request_supplement(d, request.user, form.item_list(), form.cleaned_data["note"])
            messages.success(request, _("Đã gửi yêu cầu bổ sung cho công dân."))
        elif action == "refuse_intake":
            dossier_services.refuse_intake(d, request.user, request.POST.get("reason", ""))
            messages.success(request, _("Đã từ chối tiếp nhận và báo cho công dân."))
        elif action == "deliver_result":
            uploaded = request.FILES.get("result")
            if not uploaded:
                raise ValidationError(_("Chưa chọn tệp kết quả (PDF)."))
            services.deliver_result_online(d, request.user, uploaded)
            messages.success(request, _("Đã trả kết quả trực tuyến cho công dân."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in sum(exc.message_dict.values(), []) if hasattr(exc, "error_dict") else exc.messages:
            messages.error(request, message)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    return redirect("citizens:reception_detail", pk=pk)


@login_required
def staff_file(request, pk: int, file_pk: int):
    d = _staff_dossier(request, pk)
    item = get_object_or_404(SubmissionFile, pk=file_pk, submission__dossier=d)
    personal_data.record(request.user, dossier=d, channel=personal_data.Channel.FILE, what=item.title)
    return _attachment(item.file, item.original_name, item.content_type)
