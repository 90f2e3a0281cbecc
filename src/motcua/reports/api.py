"""REST API v1, reports (API.md "Reports"): GET /api/v1/reports/resolution."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.apitokens.auth import bearer

from . import exports
from .access import report_scope
from .resolution import resolution_report

router = Router(tags=["Thống kê báo cáo"], auth=bearer)


class ResolutionQuery(Schema):
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")
    unit: str = Field("", max_length=20)
    group_by: Literal["agency", "field", "procedure", "unit", "level"] = "agency"
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
    rows: list[RowOut]
    total: CountsOut


@router.get(
    "/resolution",
    response=ResolutionOut,
    by_alias=True,
    summary="Biểu 06: tình hình, kết quả giải quyết TTHC",
    description=(
        "Số hồ sơ tiếp nhận (kỳ trước chuyển qua, mới, trực tuyến, trực tiếp và bưu chính), đã giải quyết "
        "(trước hạn, đúng hạn, quá hạn so với hạn giải quyết theo quy định, so sánh theo ngày), đang giải quyết "
        "(trong hạn, quá hạn), yêu cầu bổ sung, từ chối, rút hồ sơ. `format=xlsx`, `format=csv` hoặc `format=pdf` để tải tệp."
    ),
)
def resolution(request, q: Query[ResolutionQuery]):
    agency_ids = report_scope(request.user)
    if agency_ids is not None and not agency_ids:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    report = resolution_report(
        q.date_from, q.date_to, group_by=q.group_by, unit=q.unit or None, agency_ids=agency_ids
    )
    if q.format == "xlsx":
        return file_response(report, "xlsx")
    if q.format in ("csv", "pdf"):
        return file_response(report, q.format)
    return report.as_dict()


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
