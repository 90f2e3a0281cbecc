"""REST API v1 for dossiers (API.md "Dossiers" and "Public lookup"): parse, call one service, answer.

Staff calls carry `Authorization: Bearer <token>` (`motcua issue_token USERNAME`). A dossier the caller may not
see answers 404 exactly like an unknown code; an action the caller's role does not allow answers 403; an action
the dossier's state does not allow answers 409.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.api_base import STAFF_ERRORS, ApiError, file_answers, with_errors
from motcua.apitokens.auth import bearer
from motcua.catalog.models import procedure_for_intake
from motcua.org.models import Agency
from motcua.privacy import access as personal_data

from . import deadlines, services
from .applicants import ConcurrentApplicant, find_or_create_applicant
from .exceptions import TransitionNotAllowed, UnknownAction
from .models import Applicant, Dossier
from .pdf_forms import ALL_FORMS, FormNotApplicable, render_form
from .states import PortalStatus
from .workflow import ACTION_LABELS

router = Router(tags=[gettext_lazy("Hồ sơ")], auth=bearer)
# --- schemas ------------------------------------------------------------------------------------------------


class ApplicantIn(Schema):
    type: Literal["citizen", "organisation"] = "citizen"
    name: str = Field(min_length=1, max_length=255)
    id_number: str = Field(min_length=1, max_length=30)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class DocumentIn(Schema):
    name: str = Field(max_length=500)
    original_count: int = Field(0, ge=0, le=99)
    copy_count: int = Field(0, ge=0, le=99)


class DossierIn(Schema):
    procedure: str = Field(min_length=1, max_length=40)
    channel: Literal["counter", "online", "postal"] = "counter"
    applicant: ApplicantIn
    agency: str | None = Field(None, max_length=30)
    resolving_agency: str | None = Field(None, max_length=30)
    received_at: datetime.datetime | None = None
    return_method: Literal["counter", "post", "online"] = "counter"
    on_the_spot: bool = False
    summary: str = Field("", max_length=500)
    documents: list[DocumentIn] = []


class ActionIn(Schema):
    action: str = Field(max_length=40)
    note: str = Field("", max_length=4000)
    reason: str = Field("", max_length=4000)
    items: list[str] | None = None
    new_appointment_at: datetime.datetime | None = None
    to_user: str | None = Field(None, max_length=150)
    expected_step: int | None = None


class EventOut(Schema):
    at: str
    action: str
    action_label: str
    actor: str | None
    agency: str | None
    step: str | None
    step_due_at: str | None
    step_outcome: str | None
    note: str
    from_status: int | None
    to_status: int


class StepOut(Schema):
    position: int
    kind: str
    name: str
    role: str
    agency: str | None
    started_at: str | None
    due_at: str | None


class PersonOut(Schema):
    username: str
    name: str


class ApplicantOut(Schema):
    type: str
    name: str
    id_number: str
    phone: str
    email: str
    address: str


class AgencyRefOut(Schema):
    code: str  # the agency's identity code (mã định danh)
    name: str


class DossierOut(Schema):
    code: str | None
    procedure: str
    procedure_name: str
    channel: str
    status: int
    status_label: str
    state: str
    agency: str  # the receiving agency's identity code (kept from the first version of the API)
    receiving_agency: AgencyRefOut
    resolving_agency: AgencyRefOut
    regime: Literal["2018", "2025"]
    applicant: ApplicantOut
    on_the_spot: bool
    return_method: str
    received_at: str | None
    due_at: str | None
    appointment_at: str | None
    overdue: bool
    finished_at: str | None
    returned_at: str | None
    paused_at: str | None
    current_step: StepOut | None
    holder: PersonOut | None
    supplement_items: list[str]
    closing_reason: str
    allowed_actions: list[str]
    events: list[EventOut]


# --- helpers ------------------------------------------------------------------------------------------------


def iso(value: datetime.datetime | None) -> str | None:
    """ISO 8601 with the +07:00 offset."""
    return timezone.localtime(value).isoformat() if value else None


def _event_out(event) -> dict:
    return {
        "at": iso(event.at),
        "action": event.action,
        "action_label": str(ACTION_LABELS.get(event.action, event.action)),
        "actor": event.actor_name or None,
        "agency": event.agency.name if event.agency_id else None,
        "step": event.step_name or None,
        "step_due_at": iso(event.step_due_at),
        "step_outcome": event.step_outcome or None,
        "note": event.note,
        "from_status": event.from_status,
        "to_status": event.to_status,
    }


def dossier_out(dossier: Dossier, user) -> dict:
    step = dossier.current_step
    applicant = dossier.applicant
    events = getattr(dossier, "new_events", None) or dossier.events.select_related("agency").order_by(
        "at", "id"
    )
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_code,
        "procedure_name": dossier.procedure.name,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": str(PortalStatus(dossier.status).label),
        "state": dossier.state,
        "agency": dossier.agency.identity_code,
        "receiving_agency": {"code": dossier.agency.identity_code, "name": dossier.agency.name},
        "resolving_agency": {
            "code": dossier.resolving_agency.identity_code,
            "name": dossier.resolving_agency.name,
        },
        "regime": dossier.regime,
        "applicant": {
            "type": applicant.applicant_type,
            "name": applicant.name,
            "id_number": applicant.id_number,
            "phone": applicant.phone,
            "email": applicant.email,
            "address": applicant.address,
        },
        "on_the_spot": dossier.on_the_spot,
        "return_method": dossier.return_method,
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "appointment_at": iso(dossier.appointment_at),
        "overdue": deadlines.deadlines(dossier).overdue,
        "finished_at": iso(dossier.finished_at),
        "returned_at": iso(dossier.returned_at),
        "paused_at": iso(dossier.paused_at),
        "current_step": None
        if step is None
        else {
            "position": step.position,
            "kind": step.kind,
            "name": step.name,
            "role": step.role,
            "agency": dossier.current_agency.identity_code if dossier.current_agency_id else None,
            "started_at": iso(dossier.current_step_started_at),
            "due_at": iso(dossier.current_step_due_at),
        },
        "holder": None
        if dossier.holder_id is None
        else {"username": dossier.holder.username, "name": dossier.holder.get_full_name()},
        "supplement_items": list(dossier.supplement_items or []),
        "closing_reason": dossier.closing_reason,
        "allowed_actions": services.allowed_actions(dossier, user),
        "events": [_event_out(e) for e in events],
    }


def _load(code: str) -> Dossier:
    return (
        Dossier.objects.select_related(
            "procedure", "applicant", "agency", "resolving_agency", "current_agency", "current_step", "holder"
        )
        .filter(code=code)
        .first()
    )


def _visible_dossier(request, code: str) -> Dossier:
    dossier = _load(code)
    if dossier is None or not services.can_see(request.auth, dossier):
        raise ApiError(404, "not_found", _("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code})
    return dossier


def _citizen_id_type(id_number: str) -> str:
    """The API takes one `id_number`: 9 digits is an old ID card, letters make a passport, else a CCCD."""
    compact = "".join(id_number.split())
    if compact.isdigit() and len(compact) == 9:
        return Applicant.IdType.CMND
    if any(ch.isalpha() for ch in compact):
        return Applicant.IdType.PASSPORT
    return Applicant.IdType.CCCD


def _applicant(data: ApplicantIn, savepoint: bool = True) -> Applicant:
    fields = {"name": data.name, "phone": data.phone, "email": data.email, "address": data.address}
    if data.type == "organisation":
        fields.update(applicant_type="organisation", id_type="tax_code", tax_code=data.id_number)
    else:
        fields.update(
            applicant_type="citizen", id_type=_citizen_id_type(data.id_number), id_number=data.id_number
        )
    try:
        return find_or_create_applicant(savepoint=savepoint, **fields)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            fields = {
                f"applicant.{'id_number' if name in ('tax_code', 'id_type') else name}": [
                    str(m) for m in messages
                ]
                for name, messages in exc.message_dict.items()
            }
            first = next(iter(fields.values()))[0]
            raise ApiError(400, "invalid", first, fields) from exc
        raise


def _domain_errors(call):
    """Run a domain call, turning its errors into the API's (the ValidationError handler is the base's)."""
    try:
        return call()
    except TransitionNotAllowed as exc:
        raise ApiError(409, exc.code, exc.message) from exc
    except UnknownAction as exc:
        raise ApiError(
            400, "invalid", _("Thao tác không hợp lệ."), {"action": [_("Thao tác “%s” không tồn tại.") % exc]}
        ) from exc
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", str(exc) or _("Bạn không có quyền thực hiện thao tác này.")) from exc


def _agency_or_400(identity_code: str | None, field: str) -> Agency | None:
    """The agency with this identity code, None when none was given; 400 for an unknown code. Whether it
    exists on the receipt day (merged, not yet created) is the intake's rule (400 as well)."""
    if not identity_code:
        return None
    agency = Agency.objects.select_related("unit").filter(identity_code=identity_code.strip().upper()).first()
    if agency is None:
        raise ApiError(
            400,
            "invalid",
            _("Không có cơ quan mã định danh %(code)s.") % {"code": identity_code},
            {field: [_("Mã định danh cơ quan không tồn tại.")]},
        )
    return agency


# --- endpoints ----------------------------------------------------------------------------------------------


@router.post(
    "",
    response=with_errors({201: DossierOut}, *STAFF_ERRORS, 404, 409),
    summary=gettext_lazy("Tiếp nhận hồ sơ"),
)
def create_dossier(request, payload: DossierIn):
    user = request.auth
    procedure = procedure_for_intake(payload.procedure)
    if procedure is None:
        raise ApiError(
            400,
            "invalid",
            _("Không có thủ tục mã %(code)s.") % {"code": payload.procedure},
            {"procedure": [_("Mã thủ tục không tồn tại.")]},
        )
    agency = _agency_or_400(payload.agency, "agency")
    resolving_agency = _agency_or_400(payload.resolving_agency, "resolving_agency")
    received_at = payload.received_at
    if received_at is not None and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    # One transaction for the applicant and the dossier: an intake that fails creates no applicant either (and
    # the request commits once). Every error ends it, so neither part needs a savepoint of its own; when another
    # request creates the same applicant meanwhile, the transaction is run again (it then finds the applicant).
    for last_try in (False, True):
        try:
            with transaction.atomic():
                applicant = _applicant(payload.applicant, savepoint=last_try)
                dossier = _domain_errors(
                    lambda applicant=applicant: services.intake(
                        procedure=procedure,
                        applicant=applicant,
                        actor=user,
                        channel=payload.channel,
                        agency=agency,
                        return_method=payload.return_method,
                        on_the_spot=payload.on_the_spot,
                        summary=payload.summary,
                        documents=[d.dict() for d in payload.documents],
                        received_at=received_at,
                        resolving_agency=resolving_agency,
                        savepoint=False,
                    )
                )
            break
        except ConcurrentApplicant:
            if last_try:
                raise
    # The new dossier already carries its related rows (procedure, applicant, agencies, step): no reload.
    return Status(201, dossier_out(dossier, user))


@router.get(
    "/{code}",
    response=with_errors({200: DossierOut}, *STAFF_ERRORS, 404),
    summary=gettext_lazy("Chi tiết hồ sơ"),
)
def get_dossier(request, code: str):
    dossier = _visible_dossier(request, code)
    personal_data.record(request.auth, dossier=dossier, channel=personal_data.Channel.API, what="GET dossier")
    return dossier_out(dossier, request.auth)


@router.post(
    "/{code}/actions",
    response=with_errors({200: DossierOut}, *STAFF_ERRORS, 404, 409),
    summary=gettext_lazy("Thực hiện thao tác trên hồ sơ"),
)
def act_on_dossier(request, code: str, payload: ActionIn):
    dossier = _visible_dossier(request, code)
    params = {
        "note": payload.note,
        "reason": payload.reason,
        "items": payload.items,
        "new_appointment_at": payload.new_appointment_at,
        "to_user": payload.to_user,
    }
    if payload.expected_step is not None:
        step = dossier.current_step
        params["expected_step_id"] = (
            step.pk if step is not None and step.position == payload.expected_step else -1
        )
    if payload.action == "apologize" and payload.new_appointment_at is None:
        raise ApiError(
            400,
            "invalid",
            _("Chưa nhập ngày hẹn trả mới."),
            {"new_appointment_at": [_("Trường này là bắt buộc.")]},
        )
    _domain_errors(lambda: services.perform(dossier, request.auth, payload.action, **params))
    return dossier_out(_load(code), request.auth)


@router.get(
    "/{code}/forms/{form}",
    summary=gettext_lazy("In phiếu (Mẫu 01–06; stop_notice: thông báo dừng giải quyết, bộ mẫu 2025)"),
    response=with_errors({200: None}, *STAFF_ERRORS, 404, 409),
    openapi_extra=file_answers("application/pdf"),
)
def get_form(
    request,
    code: str,
    form: str,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    dossier = _visible_dossier(request, code)
    if form not in ALL_FORMS:
        raise ApiError(404, "not_found", _("Không có mẫu phiếu %(form)s (chỉ có 01–06).") % {"form": form})
    try:
        pdf = render_form(dossier, form, user=request.auth, date_from=date_from, date_to=date_to)
    except FormNotApplicable as exc:
        raise ApiError(409, "form_not_applicable", str(exc)) from exc
    personal_data.record(
        request.auth, dossier=dossier, channel=personal_data.Channel.API, what=f"GET form {form}"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{form}-{dossier.code}.pdf"'
    return response
