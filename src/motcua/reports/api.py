"""REST API v1, reports (API.md "Reports"): GET /api/v1/reports/resolution and /quality_index."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.api_base import STAFF_ERRORS, file_answers, with_errors
from motcua.apitokens.auth import bearer
from motcua.db_routing import replica_reads

from . import exports, figures, index766
from .access import report_scope
from .resolution import find_unit, resolution_report

router = Router(tags=[gettext_lazy("Thống kê báo cáo")], auth=bearer)


class ResolutionQuery(Schema):
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")
    unit: str = Field("", max_length=20)
    group_by: Literal["agency", "field", "procedure", "unit", "level"] = "agency"
    # Agencies and units merged during the period: their own rows, or added to their successors' rows.
    reorganised: Literal["as_they_were", "successors"] = "as_they_were"
    format: Literal["json", "xlsx", "csv", "pdf"] = "json"


class Received(Schema):
    total: int
    carried_over: int
    new: int
    online: int
    direct_postal: int


class Resolved(Schema):
    total: int
    early: int
    on_time: int
    late: int


class InProgress(Schema):
    total: int
    within_deadline: int
    overdue: int
    paused: int


class Rates(Schema):
    on_time_of_resolved: float | None
    on_time_of_received: float | None
    supplement_of_received: float | None
    returned_of_received: float | None


class CountsOut(Schema):
    received: Received
    resolved: Resolved
    in_progress: InProgress
    supplement_requested: int
    refused: int
    withdrawn: int
    paused: int
    rates: Rates


class RowOut(CountsOut):
    key: str
    label: str


class ResolutionOut(Schema):
    from_: str = Field(..., alias="from")
    to: str
    unit: str | None
    group_by: str
    reorganised: str
    rows: list[RowOut]
    total: CountsOut


@router.get(
    "/resolution",
    response=with_errors({200: ResolutionOut}, *STAFF_ERRORS),
    openapi_extra=file_answers(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf", "text/csv"
    ),
    by_alias=True,
    summary=gettext_lazy("Biểu 06: tình hình, kết quả giải quyết TTHC"),
    description=(
        gettext_lazy(
            "Số hồ sơ tiếp nhận (kỳ trước chuyển qua, mới, trực tuyến, trực tiếp và bưu chính), đã giải quyết "
            "(trước hạn, đúng hạn, quá hạn so với hạn giải quyết theo quy định, so sánh theo ngày), đang giải quyết "
            "(trong hạn, quá hạn), yêu cầu bổ sung, từ chối, rút hồ sơ. `format=xlsx`, `format=csv` hoặc `format=pdf` để tải tệp."
        )
    ),
)
@replica_reads()
def resolution(request, q: Query[ResolutionQuery]):
    agency_ids = report_scope(request.user)
    if agency_ids is not None and not agency_ids:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    report = resolution_report(
        q.date_from,
        q.date_to,
        group_by=q.group_by,
        unit=q.unit or None,
        agency_ids=agency_ids,
        reorganised=q.reorganised,
    )
    if q.format == "xlsx":
        return file_response(report, "xlsx")
    if q.format in ("csv", "pdf"):
        return file_response(report, q.format)
    return report.as_dict()


class FiguresQuery(Schema):
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")
    unit: str = Field("", max_length=20)


def _plain(value):
    """Decimals as numbers, formulas as their text, recursively."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
    return value


@router.get(
    "/figures",
    response=with_errors({200: dict}, *STAFF_ERRORS),
    summary=gettext_lazy(
        "Các chỉ tiêu khác: phí, lệ phí; mức độ hài lòng; kiến nghị trả lời đúng hạn; số hóa; tài khoản Cổng DVCQG"
    ),
    description=(
        gettext_lazy(
            "Cùng số liệu với trang “Chỉ tiêu” và tệp Excel của trang: phí, lệ phí đã thu (`fees`), điểm hài lòng "
            "bình quân (`satisfaction`), kiến nghị, phản ánh trả lời đúng hạn (`recommendations`), tỷ lệ số hóa "
            "(`digitisation`), tỷ lệ tài khoản Cổng Dịch vụ công quốc gia (`portal_accounts`); `formulas` cho cách "
            "tính của từng tỷ lệ. Tỷ lệ tính theo phần trăm, làm tròn một chữ số thập phân; null khi không có mẫu số."
        )
    ),
)
@replica_reads()
def other_figures(request, q: Query[FiguresQuery]):
    agency_ids = report_scope(request.user)
    if agency_ids is not None and not agency_ids:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    unit = find_unit(q.unit or None)
    result = figures.other_figures(q.date_from, q.date_to, agency_ids, unit)
    result["formulas"] = {
        key: {"label": label, "formula": text} for key, (label, text) in result["formulas"].items()
    }
    for row in result["satisfaction"]["rows"]:
        row.pop("agency_id", None)
    return {
        "from": q.date_from.isoformat(),
        "to": q.date_to.isoformat(),
        "unit": q.unit or None,
        **_plain(result),
    }


class IndexIndicatorOut(Schema):
    key: str
    label: str
    max_points: float
    formula: str
    threshold_percent: float | None
    measured: bool
    evidence: str


class IndexGroupOut(Schema):
    key: str
    label: str
    max_points: float
    indicators: list[IndexIndicatorOut]


class IndexAgencyOut(Schema):
    code: str
    name: str


class IndexRowOut(Schema):
    agency: IndexAgencyOut
    points: float
    max_points: float
    rank: int
    groups: dict[str, float | None]


class QualityIndexOut(Schema):
    version: str
    groups: list[IndexGroupOut]
    rows: list[IndexRowOut]


@router.get(
    "/quality_index",
    response=with_errors({200: QualityIndexOut}, *STAFF_ERRORS),
    summary=gettext_lazy("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"),
    description=(
        gettext_lazy(
            "Nhóm, chỉ số, điểm tối đa và công thức của phiên bản Bộ chỉ số áp dụng cho kỳ (dữ liệu quản trị viên "
            "cập nhật), và điểm, xếp hạng của từng cơ quan. `points` là tổng điểm các chỉ số có số liệu, "
            "`max_points` là điểm tối đa của các chỉ số đó; nhóm không có số liệu là null."
        )
    ),
)
@replica_reads()
def quality_index(request, q: Query[FiguresQuery]):
    agency_ids = report_scope(request.user)
    if agency_ids is not None and not agency_ids:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    unit = find_unit(q.unit or None)
    scope = figures.agencies_of(agency_ids, unit)
    return index766.as_api(index766.quality_index(q.date_from, q.date_to, scope))


def file_response(report, kind: str) -> HttpResponse:
    name = f"bieu-06_{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif kind == "pdf":
        response = HttpResponse(exports.to_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(exports.to_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
