"""REST API v1: GET /api/v1/monitoring/dossiers (API.md "Monitoring").

`state` is one of near_due, due_today, overdue (badly overdue included), paused — and also on_track,
badly_overdue and step_overrun; `agency` is an agency identity code, `unit` an administrative unit code (its
agencies and those of the units below it). Results are the caller's scope, most urgent first, paged.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from motcua.api_base import STAFF_ERRORS, ApiError, with_errors
from motcua.apitokens.auth import bearer
from motcua.db_routing import replica_reads
from motcua.dossiers.deadlines import deadlines
from motcua.dossiers.states import PortalStatus
from motcua.org.permissions import is_staff_member
from motcua.workdays.services import get_calendar

from . import dashboard as board

router = Router(tags=[gettext_lazy("Theo dõi, đôn đốc")], auth=bearer)
PAGE_SIZE = 50


class StepDueOut(Schema):
    name: str
    agency: str | None
    started_at: str | None
    due_at: str | None
    due_state: str | None
    overrun: bool


class HolderOut(Schema):
    username: str
    name: str


class MonitoredDossierOut(Schema):
    code: str | None
    procedure: str
    procedure_name: str
    status: int
    status_label: str
    agency: str | None
    resolving_agency: str
    received_at: str | None
    due_at: str | None
    appointment_at: str | None
    due_state: str
    due_state_label: str
    badly_overdue: bool
    remaining: str
    apology_prompt: bool
    current_step: StepDueOut | None
    holder: HolderOut | None
    held_since: str | None


class MonitoredListOut(Schema):
    count: int
    page: int
    results: list[MonitoredDossierOut]


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _out(item, now=None, cal=None) -> dict:
    d, s, row = item.dossier, item.status, item.row
    step = d.current_step
    dl = deadlines(d, now, cal)
    state = "overdue" if s.state == "badly_overdue" else s.state
    return {
        "code": d.code,
        "procedure": d.procedure_code,
        "procedure_name": d.procedure.name,
        "status": d.status,
        "status_label": str(PortalStatus(d.status).label),
        "agency": d.current_agency.identity_code if d.current_agency_id else None,
        "resolving_agency": d.resolving_agency.identity_code,
        "received_at": _iso(d.received_at),
        "due_at": _iso(dl.legal.at),
        "appointment_at": _iso(dl.appointment.at),
        "due_state": state,
        "due_state_label": s.label,
        "badly_overdue": s.state == "badly_overdue",
        "remaining": s.remaining,
        "apology_prompt": s.apology_prompt,
        "current_step": None
        if step is None
        else {
            "name": step.name,
            "agency": d.current_agency.identity_code if d.current_agency_id else None,
            "started_at": _iso(d.current_step_started_at),
            "due_at": _iso(dl.step.at if dl.step else d.current_step_due_at),
            "due_state": s.step_state,
            "overrun": s.step_overrun,
        },
        "holder": None
        if row.holder_id is None
        else {"username": row.holder.username, "name": row.holder.get_full_name()},
        "held_since": _iso(row.held_since),
    }


@router.get(
    "/dossiers",
    response=with_errors({200: MonitoredListOut}, *STAFF_ERRORS),
    summary=gettext_lazy("Hồ sơ sắp đến hạn, đến hạn, quá hạn, tạm dừng"),
)
@replica_reads()
def monitored_dossiers(request, state: str = "", agency: str = "", unit: str = "", page: int = 1):
    user = request.auth
    if not is_staff_member(user):
        raise ApiError(403, "forbidden", _("Chỉ cán bộ được xem danh sách theo dõi hồ sơ."))
    if page < 1:
        raise ApiError(400, "invalid", _("Số trang phải từ 1 trở lên."), {"page": [_("Giá trị quá nhỏ.")]})
    try:
        filters = board.parse_filters({"state": state, "agency": agency, "unit": unit}, user)
    except ValidationError as exc:
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        raise ApiError(400, "invalid", next(iter(fields.values()))[0], fields) from exc
    now = timezone.now()
    count, items = board.drill_down(user, filters, now, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    now, cal = timezone.now(), get_calendar()
    return {"count": count, "page": page, "results": [_out(i, now, cal) for i in items]}
