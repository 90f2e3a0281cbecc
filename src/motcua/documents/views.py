"""Screens: download a document, digitise and register a dossier's result, the applicant's data store, and the
public check of a downloaded result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua import uploads
from motcua.dossiers import services as dossier_services
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.privacy import access as personal_data

from . import services
from .downloads import attachment, harden
from .forms import ResultForm, SupplementForm, VerifyForm
from .models import Document


def _citizen_applicant(user):
    profile = getattr(user, "citizen_profile", None) if user.is_authenticated else None
    return profile.applicant if profile is not None else None


def _is_own(user, document: Document) -> bool:
    applicant = _citizen_applicant(user)
    return applicant is not None and applicant.pk == document.applicant_id


def _may_read(user, document: Document) -> bool:
    if not user.is_authenticated:
        return False
    applicant = _citizen_applicant(user)
    if applicant is not None and applicant.pk == document.applicant_id:
        return True
    return dossier_services.can_see(user, document.dossier)


@login_required
def download(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("dossier"), pk=pk)
    if not _may_read(request.user, document):
        raise Http404(_("Không tìm thấy giấy tờ."))
    if document.dossier_id is not None and not _is_own(request.user, document):
        personal_data.record(
            request.user, dossier=document.dossier, channel=personal_data.Channel.FILE, what=document.title
        )
    return attachment(document)


@login_required
def dossier_documents(request, code: str):
    dossier = (
        Dossier.objects.select_related("procedure", "applicant", "resolving_agency").filter(code=code).first()
    )
    if dossier is None or not dossier_services.can_see(request.user, dossier):
        raise Http404(_("Không tìm thấy hồ sơ."))
    may_register = dossier_services.holds_role_for(request.user, dossier, "register_result")
    form = ResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_register:
            raise PermissionDenied(
                _("Chỉ văn thư, lãnh đạo hoặc chuyên viên của cơ quan giải quyết mới số hóa kết quả.")
            )
        if form.is_valid():
            data = form.cleaned_data
            content = None
            if not data["pages"] and "generate" in request.POST:
                from .results import render_result_pdf

                content = render_result_pdf(dossier, data)
            try:
                document = services.register_result(
                    dossier=dossier,
                    actor=request.user,
                    pages=data["pages"],
                    content=content,
                    title=data["title"],
                    number=data["number"],
                    signer_name=data["signer_name"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                    summary=data["summary"],
                    sign=data["sign"],
                )
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Đã số hóa kết quả số %(n)s.") % {"n": document.number})
                return redirect("documents:dossier", code=dossier.code)
    personal_data.record(request.user, dossier=dossier, what=_("Giấy tờ số hóa của hồ sơ"))
    return render(
        request,
        "documents/dossier.html",
        {
            "dossier": dossier,
            "documents": dossier.digital_documents.select_related("digitised_by", "reused_from").order_by(
                "kind", "id"
            ),
            "state": services.refresh_state(dossier)
            if not hasattr(dossier, "digitisation")
            else dossier.digitisation,
            "form": form if may_register else None,
            "may_supplement": dossier.state == State.PAUSED_SUPPLEMENT
            and "supplement" in dossier_services.allowed_actions(dossier, request.user),
        },
    )


@login_required
def supplement(request, code: str):
    """The officer scans or uploads each component the applicant supplied; the dossier then resumes."""
    dossier = Dossier.objects.select_related("procedure", "applicant").filter(code=code).first()
    if dossier is None or not dossier_services.can_see(request.user, dossier):
        raise Http404(_("Không tìm thấy hồ sơ."))
    if dossier.state != State.PAUSED_SUPPLEMENT:
        messages.error(request, _("Hồ sơ không ở trạng thái chờ bổ sung."))
        return redirect("documents:dossier", code=dossier.code)
    if "supplement" not in dossier_services.allowed_actions(dossier, request.user):
        raise PermissionDenied(_("Bạn không có quyền nhận giấy tờ bổ sung của hồ sơ này."))
    form = SupplementForm(request.POST or None, request.FILES or None, items=dossier.supplement_items or [])
    if request.method == "POST" and form.is_valid():
        try:
            dossier, documents = services.receive_supplement(
                dossier, request.user, form.supplied(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            for message in sum(exc.message_dict.values(), []) if hasattr(exc, "error_dict") else exc.messages:
                form.add_error(None, message)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã số hóa %(n)d giấy tờ bổ sung; hồ sơ %(code)s tiếp tục được xử lý.")
                % {"n": len(documents), "code": dossier.code},
            )
            return redirect("dossiers:detail", code=dossier.code)
    return render(request, "documents/supplement.html", {"dossier": dossier, "form": form})


@login_required
def signed_receipt(request, code: str):
    """Download the dossier's receipt (Mẫu 01) signed with the receiving agency's certificate."""
    from motcua.dossiers.pdf_forms import FormNotApplicable

    dossier = Dossier.objects.select_related("agency", "procedure", "applicant").filter(code=code).first()
    if dossier is None or not dossier_services.can_see(request.user, dossier):
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        content = services.signed_receipt(dossier)
    except (ValidationError, FormNotApplicable) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("documents:dossier", code=dossier.code)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-nhan-ky-so-{dossier.code}.pdf"'
    return harden(response)


@login_required
def my_store(request):
    """The citizen's own electronic data store (kho quản lý dữ liệu điện tử)."""
    applicant = _citizen_applicant(request.user)
    if applicant is None:
        raise PermissionDenied(_("Chức năng này dành cho tài khoản công dân."))
    return render(
        request, "documents/store.html", {"applicant": applicant, "documents": services.store_of(applicant)}
    )


def verify(request):
    """Anyone may check that a downloaded result is intact and was issued by the system."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            checked = uploads.check_upload(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            verification, document = services.verify_result_file(checked.content)
            outcome = {"verification": verification, "document": document}
    return render(request, "documents/verify.html", {"form": form, "outcome": outcome})
