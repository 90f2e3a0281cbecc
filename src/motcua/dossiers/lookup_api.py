"""The public status lookup of the REST API (API.md "Public lookup"): `GET` and `POST /api/v1/lookup`.

The busiest public read, so it is answered by a plain Django view (`lookup_view`, mounted before the API's own
URLs in `motcua/api/urls.py`) rather than through the API framework: parsing three strings and writing a small
JSON object do not need the framework's parameter resolution and response validation, which were about a third
of the request's CPU. The answers are the framework's, byte for byte (tested): the same schema validates the
input with the same Vietnamese field messages, errors keep the common shape of `motcua.api_base`, and the body is
the same JSON. The framework's router below still documents both operations in the OpenAPI schema and answers
them the same way if the plain view is not mounted.
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import Router, Schema
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from motcua.api_base import ApiError, ErrorResponse, error_response, fields_from_ninja
from motcua.db_routing import replica_reads

from . import lookup_throttle, services
from .api import iso
from .states import PortalStatus
from .workflow import ACTION_LABELS

lookup_router = Router(tags=[gettext_lazy("Tra cứu hồ sơ")])


class LookupIn(Schema):
    code: str = Field(max_length=40)
    phone: str = Field("", max_length=30)
    id_number: str = Field("", max_length=30)


class PublicEventOut(Schema):
    at: str
    action: str
    action_label: str
    agency: str | None


class LookupOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    status: int
    status_label: str
    received_at: str | None
    appointment_at: str | None
    returned_at: str | None
    timeline: list[PublicEventOut]


@replica_reads()
def _confirmed(request, code: str, phone: str, id_number: str):
    """What the public lookup shows of a dossier (`services.public_status`), through the shared lookup throttle
    (404 for a wrong pair, 429 when throttled)."""
    try:
        found = lookup_throttle.confirm(
            request, code, phone=phone, id_number=id_number, find=services.public_status
        )
    except lookup_throttle.Throttled as exc:
        raise ApiError(429, "throttled", str(exc.message)) from None
    if found is None:
        raise ApiError(
            404,
            "not_found",
            _("Không tìm thấy hồ sơ với mã và số điện thoại (hoặc số giấy tờ) đã nhập."),
        )
    return found


def _public_view(found: dict) -> dict:
    return {
        "code": found["code"],
        "procedure": found["procedure_code"],
        "procedure_name": found["procedure_name"],
        "status": found["status"],
        "status_label": str(PortalStatus(found["status"]).label),
        "received_at": iso(found["received_at"]),
        "appointment_at": iso(found["appointment_at"]),
        "returned_at": iso(found["returned_at"]),
        "timeline": [
            {
                "at": iso(at),
                "action": action,
                "action_label": str(ACTION_LABELS.get(action, action)),
                "agency": agency_name,
            }
            for at, action, agency_name in found["events"]
        ],
    }


LOOKUP_RESPONSES = {200: LookupOut, 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse}


@lookup_router.post(
    "", response=LOOKUP_RESPONSES, auth=None, summary=gettext_lazy("Tra cứu tiến độ hồ sơ (công khai)")
)
def lookup_by_post(request, payload: LookupIn):
    return _public_view(_confirmed(request, payload.code, payload.phone, payload.id_number))


@lookup_router.get(
    "",
    response=LOOKUP_RESPONSES,
    auth=None,
    summary=gettext_lazy("Tra cứu tiến độ hồ sơ (công khai; cách cũ, nên dùng POST)"),
)
def lookup(request, code: str, phone: str = "", id_number: str = ""):
    return _public_view(_confirmed(request, code, phone, id_number))


# --- the plain view that serves both operations -------------------------------------------------------------


def _invalid(fields: dict | None = None) -> ApiError:
    return ApiError(400, "invalid", _("Dữ liệu gửi lên không hợp lệ."), fields)


def _query_input(request) -> tuple[str, str, str]:
    """GET: `code` is required; the query string's last value of a repeated name counts (as in the schema
    operation, which sets no length limit on the query)."""
    query = request.GET
    if "code" not in query:
        raise _invalid(fields_from_ninja([{"type": "missing", "loc": ("code",)}]))
    return query["code"], query.get("phone", ""), query.get("id_number", "")


def _body_input(request) -> tuple[str, str, str]:
    """POST: a JSON object (whatever the declared content type), validated by `LookupIn`."""
    try:
        data = json.loads(request.body) if request.body.strip() else {}
    except ValueError:
        raise _invalid() from None
    try:
        payload = LookupIn.model_validate(data if isinstance(data, dict) else {})
    except PydanticValidationError as exc:
        raise _invalid(fields_from_ninja(exc.errors())) from None
    return payload.code, payload.phone, payload.id_number


_INPUTS = {"GET": _query_input, "POST": _body_input}


@csrf_exempt  # a public read: no session is used and nothing is changed but the throttle's counts
def lookup_view(request) -> HttpResponse:
    read_input = _INPUTS.get(request.method)
    if read_input is None:
        response = error_response(request, 405)
        response["Allow"] = ", ".join(_INPUTS)
        return response
    try:
        found = _confirmed(request, *read_input(request))
    except ApiError as exc:
        return error_response(request, exc.status, exc.code, exc.message, exc.fields)
    return HttpResponse(json.dumps(_public_view(found)), content_type="application/json; charset=utf-8")
