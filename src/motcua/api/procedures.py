"""GET /api/v1/procedures and /api/v1/procedures/{code}: the public procedure catalog."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from ninja import Query, Router, Schema

from motcua.api_base import ApiError, with_errors
from motcua.catalog.implementations import attach_own_fees, implementing_agencies
from motcua.catalog.models import Fee, Procedure, TimeLimitUnit
from motcua.catalog.search import ProcedureFilters, get_public_procedure, search_procedures
from motcua.db_routing import replica_reads
from motcua.refcache import ReferenceCache, copied

router = Router(tags=[gettext_lazy("Thủ tục hành chính")])

# The public catalog changes a few times a day and the same searches ("khai sinh") come again and again: a page
# of results is kept per process for the reference cache's lifetime (see motcua.refcache; any saved procedure,
# field or agency clears it in the saving process, the others see the change within that time).
_search_pages = ReferenceCache("procedure search pages", replica_ok=True)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

Unit = Literal["working_days", "working_hours", "calendar_days", "same_day"]


class FieldOut(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str  # the agency's identity code (mã định danh)
    short_name: str
    name: str


class TimeLimitOut(Schema):
    value: float
    unit: Unit


class FeeOut(Schema):
    kind: Literal["admin_charge", "service_fee"]
    description: str
    amount: int | None
    basis: Literal["fixed", "per_page", "per_copy", "per_case"]
    max_amount: int | None
    online_amount: int | None
    exemptions: str
    legal_basis: str


class ImplementingAgencyOut(Schema):
    code: str  # the agency's identity code (mã định danh)
    short_name: str
    name: str
    level: Literal["province", "commune", "central", "district"]
    valid_from: date | None
    valid_to: date | None
    time_limit: TimeLimitOut | None
    online_level: Literal["full", "partial", "none"]
    # The agency's own fee schedule where the province set one (it replaces `fees` for its dossiers); null: the
    # procedure's `fees` apply.
    own_fees: list[FeeOut] | None = None


class ProcedureSummary(Schema):
    code: str
    name: str
    field: FieldOut
    agency: AgencyOut
    levels: list[str]
    time_limit: TimeLimitOut | None
    online_level: Literal["full", "partial", "none"]
    on_the_spot: bool
    status: Literal["published", "retired"]


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProcedureSummary]


class DocumentOut(Schema):
    name: str
    original_count: int
    copy_count: int
    certified_copy: bool
    required: bool
    form_template_name: str
    form_template_url: str | None
    must_digitise: bool
    reusable: bool
    note: str


class ProcedureDetail(ProcedureSummary):
    online_time_limit: TimeLimitOut | None
    time_limit_text: str
    same_day_cutoff: bool
    online_level_legacy: int | None
    on_the_spot_decision: str
    on_the_spot_decision_date: date | None
    interlinked: bool
    cooperating_agencies: list[AgencyOut]
    applicant_types: list[str]
    set_count: int
    submission_method: str
    execution_steps: str
    conditions: str
    result_type: str
    legal_basis: str
    valid_from: date | None
    valid_to: date | None
    superseded_by: str | None
    documents: list[DocumentOut]
    fees: list[FeeOut]
    receive_anywhere: bool
    agencies: list[ImplementingAgencyOut]


def _time_limit(value: Decimal | None, unit: str) -> dict | None:
    """A same-day limit is {"value": 0, "unit": "same_day"}; no fixed limit is null."""
    if unit == TimeLimitUnit.SAME_DAY:
        return {"value": 0, "unit": unit}
    if value is None or not unit:
        return None
    return {"value": float(value), "unit": unit}


def _agency(agency) -> dict:
    return {"code": agency.identity_code, "short_name": agency.short_name, "name": agency.name}


def summary(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": {"code": procedure.field.code, "name": procedure.field.name},
        "agency": _agency(procedure.resolving_agency),
        "levels": procedure.level_list,
        "time_limit": _time_limit(procedure.time_limit_value, procedure.time_limit_unit),
        "online_level": procedure.online_level,
        "on_the_spot": procedure.on_the_spot,
        "status": procedure.status,
    }


def implementing(procedure: Procedure, day: date) -> list[dict]:
    """The agencies implementing the procedure on `day`, each with its own time limit and online level."""
    rows = []
    for row in attach_own_fees(implementing_agencies(procedure, day)):
        own = row.apply_to(copied(procedure))
        rows.append(
            {
                **_agency(row.agency),
                "level": row.level,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "time_limit": _time_limit(own.time_limit_value, own.time_limit_unit),
                "online_level": own.online_level,
                "own_fees": [_fee(f) for f in row.own_fees] or None,
            }
        )
    return rows


def _fee(f: Fee) -> dict:
    return {
        "kind": f.kind,
        "description": f.description,
        "amount": f.amount,
        "basis": f.basis,
        "max_amount": f.max_amount,
        "online_amount": f.online_amount,
        "exemptions": f.exemptions,
        "legal_basis": f.legal_basis,
    }


def detail(procedure: Procedure, request: HttpRequest, day: date | None = None) -> dict:
    online = (
        _time_limit(procedure.online_time_limit_value, procedure.online_time_limit_unit)
        if procedure.online_time_limit_unit
        else None
    )
    return {
        **summary(procedure),
        "online_time_limit": online,
        "time_limit_text": procedure.time_limit_text,
        "same_day_cutoff": procedure.same_day_cutoff,
        "online_level_legacy": procedure.online_level_legacy,
        "on_the_spot_decision": procedure.on_the_spot_decision,
        "on_the_spot_decision_date": procedure.on_the_spot_decision_date,
        "interlinked": procedure.interlinked,
        "cooperating_agencies": [_agency(a) for a in procedure.cooperating_agencies.all()],
        "applicant_types": procedure.applicant_type_list,
        "set_count": procedure.set_count,
        "submission_method": procedure.submission_method,
        "execution_steps": procedure.execution_steps,
        "conditions": procedure.conditions,
        "result_type": procedure.result_type,
        "legal_basis": procedure.legal_basis,
        "valid_from": procedure.valid_from,
        "valid_to": procedure.valid_to,
        "superseded_by": procedure.superseded_by.code if procedure.superseded_by_id else None,
        "documents": [
            {
                "name": d.name,
                "original_count": d.original_count,
                "copy_count": d.copy_count,
                "certified_copy": d.certified_copy,
                "required": d.is_required,
                "form_template_name": d.form_template_name,
                "form_template_url": request.build_absolute_uri(d.form_template.url)
                if d.form_template
                else None,
                "must_digitise": d.must_digitise,
                "reusable": d.reusable,
                "note": d.note,
            }
            for d in procedure.documents.all()
        ],
        "fees": [_fee(f) for f in procedure.fees.all() if f.implementation_id is None],
        "receive_anywhere": procedure.receive_anywhere,
        "agencies": implementing(procedure, day or timezone.localdate()),
    }


@router.get(
    "",
    response=with_errors({200: ProcedurePage}, 400),
    summary=gettext_lazy("Tìm kiếm thủ tục hành chính"),
    auth=None,
)
@replica_reads()
def list_procedures(
    request,
    q: str = Query("", description=gettext_lazy("Từ khóa; không phân biệt dấu, hoa thường và thứ tự từ.")),
    agency: str = Query(
        "", description=gettext_lazy("Mã định danh hoặc tên viết tắt của cơ quan giải quyết.")
    ),
    field: str = Query("", description=gettext_lazy("Mã lĩnh vực.")),
    level: Literal["", "province", "district", "commune"] = Query(
        "", description=gettext_lazy("Cấp thực hiện.")
    ),
    online_level: Literal["", "full", "partial", "none"] = Query(
        "", description=gettext_lazy("Mức độ trực tuyến.")
    ),
    on_the_spot: bool | None = Query(
        None, description=gettext_lazy("Chỉ thủ tục “5 tại chỗ” (true) hoặc ngược lại (false).")
    ),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """Published procedures, best match first; `count` is the number of matches over all pages."""
    filters = ProcedureFilters(
        q=q, agency=agency, field=field, level=level, online_level=online_level, on_the_spot=on_the_spot
    )

    def load():
        queryset = search_procedures(filters)
        start = (page - 1) * page_size
        # kept validated: the API answers a ProcedurePage instance without validating it again
        return ProcedurePage.model_validate(
            {
                "count": queryset.count(),
                "page": page,
                "page_size": page_size,
                "results": [summary(p) for p in queryset[start : start + page_size]],
            }
        )

    return _search_pages.get((filters, page, page_size), load)


@router.get(
    "/{code}",
    response=with_errors({200: ProcedureDetail}, 400, 404),
    summary=gettext_lazy("Chi tiết thủ tục hành chính"),
    auth=None,
)
def get_procedure(
    request,
    code: str,
    on: date | None = None,  # the day to list the implementing agencies of (today by default)
):
    """The full procedure with its required documents, fees and the agencies that implement it on `on` (today
    by default); 404 for an unknown code."""
    try:
        procedure = get_public_procedure(code)
    except Procedure.DoesNotExist:
        raise ApiError(
            404, "not_found", gettext("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code}
        ) from None
    return detail(procedure, request, on)
