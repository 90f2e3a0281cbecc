"""The one error shape of the public REST API, for every failure.

Every error answers `{"error": {"code": "<machine_code>", "message": "<Vietnamese sentence>", "fields": {...}}}`:
400 bad input (including django-ninja's own request validation, which would otherwise answer 422), 401 without
valid credentials, 403 not allowed, 404 not found, 409 state conflict, 429 throttled. Parts of the system write
their routers in their own `api.py`, raise `ApiError` (or Django's ValidationError / PermissionDenied / Http404)
from their views, and are mounted in `motcua/api/urls.py`. This module sits below every part (it imports none),
so a part's router never imports the API face.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

# Machine code and Vietnamese message for each status when the raiser gave none.
DEFAULT_ERRORS = {
    400: ("invalid", gettext_lazy("Dữ liệu gửi lên không hợp lệ.")),
    401: ("unauthorized", gettext_lazy("Cần đăng nhập hoặc mã truy cập (token) hợp lệ.")),
    403: ("forbidden", gettext_lazy("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", gettext_lazy("Không tìm thấy dữ liệu yêu cầu.")),
    405: ("method_not_allowed", gettext_lazy("Phương thức không được hỗ trợ.")),
    409: ("conflict", gettext_lazy("Trạng thái hiện tại không cho phép thao tác này.")),
    429: ("throttled", gettext_lazy("Quá nhiều yêu cầu, vui lòng thử lại sau.")),
}

# Vietnamese messages for pydantic's error types (request validation).
FIELD_MESSAGES = {
    "missing": gettext_lazy("Trường này là bắt buộc."),
    "int_parsing": gettext_lazy("Phải là số nguyên."),
    "int_type": gettext_lazy("Phải là số nguyên."),
    "float_parsing": gettext_lazy("Phải là số."),
    "bool_parsing": gettext_lazy("Phải là true hoặc false."),
    "string_type": gettext_lazy("Phải là chuỗi ký tự."),
    "string_too_short": gettext_lazy("Giá trị quá ngắn."),
    "string_too_long": gettext_lazy("Giá trị quá dài."),
    "greater_than_equal": gettext_lazy("Giá trị quá nhỏ."),
    "greater_than": gettext_lazy("Giá trị quá nhỏ."),
    "less_than_equal": gettext_lazy("Giá trị quá lớn."),
    "less_than": gettext_lazy("Giá trị quá lớn."),
    "enum": gettext_lazy("Giá trị không nằm trong danh sách cho phép."),
    "literal_error": gettext_lazy("Giá trị không nằm trong danh sách cho phép."),
    "date_from_datetime_parsing": gettext_lazy("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("Thời điểm không hợp lệ (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Thời điểm không hợp lệ (ISO 8601)."),
    "json_invalid": gettext_lazy("Nội dung JSON không hợp lệ."),
    "model_attributes_type": gettext_lazy("Nội dung phải là một đối tượng JSON."),
    "dict_type": gettext_lazy("Nội dung phải là một đối tượng JSON."),
    "list_type": gettext_lazy("Phải là một danh sách."),
    "extra_forbidden": gettext_lazy("Trường này không được chấp nhận."),
}
# Where a parameter came from in ninja's error locations; dropped from the field name.
_PARAM_SOURCES = {"query", "path", "body", "form", "file", "header", "cookie"}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorResponse(Schema):
    """The body of every error answer; use it in `response={..., 404: ErrorResponse}` to document errors."""

    error: ErrorDetail


def with_errors(ok: dict, *statuses: int) -> dict:
    """A `response=` dict for a ninja operation: its success answers plus each error status it can give, all
    documented with the common error shape, so that the published schema lists every answer the server gives."""
    return {**ok, **dict.fromkeys(statuses, ErrorResponse)}


def file_answers(*content_types: str) -> dict:
    """`openapi_extra` for an operation whose 200 answer may also be a file of these content types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"content": dict.fromkeys(content_types, binary)}}}


# The errors every operation behind a staff token can give: bad input, no valid token, not allowed.
STAFF_ERRORS = (400, 401, 403)


class ApiError(Exception):
    """An error answered to the API caller in the common shape; raise it from a view."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(request: HttpRequest, status: int, code: str | None = None, message=None, fields=None):
    """A JSON response in the common error shape; defaults per status from DEFAULT_ERRORS."""
    default_code, default_message = DEFAULT_ERRORS.get(status, ("error", gettext_lazy("Đã có lỗi xảy ra.")))
    body = error_body(code or default_code, message or default_message, fields)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _PARAM_SOURCES:
        parts = parts[1:]
    # The body of a JSON request is one schema parameter (often "payload"); its name is not a field.
    if len(parts) > 1 and not parts[0].isdigit() and loc and loc[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def fields_from_ninja(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        message = FIELD_MESSAGES.get(error.get("type", ""), gettext_lazy("Giá trị không hợp lệ."))
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(message))
    return fields


def _api_error(request, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


def _request_validation_error(request, exc: NinjaValidationError) -> HttpResponse:
    return error_response(
        request, 400, "invalid", _("Dữ liệu gửi lên không hợp lệ."), fields_from_ninja(exc.errors)
    )


def _domain_validation_error(request, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        message = next(iter(next(iter(fields.values()), [])), _("Dữ liệu gửi lên không hợp lệ."))
    else:
        fields = {}
        message = " ".join(str(m) for m in exc.messages)
    return error_response(request, 400, "invalid", message, fields)


def _authentication_error(request, exc) -> HttpResponse:
    return error_response(request, 401)


def _authorization_error(request, exc) -> HttpResponse:
    return error_response(request, 403)


def _permission_denied(request, exc) -> HttpResponse:
    message = str(exc) if exc.args else None
    return error_response(request, 403, message=message)


def _not_found(request, exc) -> HttpResponse:
    return error_response(request, 404)


def _throttled(request, exc: Throttled) -> HttpResponse:
    response = error_response(request, 429)
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


def _http_error(request, exc: HttpError) -> HttpResponse:
    # ninja's own HttpErrors carry English text (e.g. an unreadable body); answer in Vietnamese.
    return error_response(request, exc.status_code)


def install_error_handlers(target: NinjaAPI) -> None:
    """Make every failure of `target` answer in the common error shape."""
    target.add_exception_handler(ApiError, _api_error)
    target.add_exception_handler(NinjaValidationError, _request_validation_error)
    target.add_exception_handler(DjangoValidationError, _domain_validation_error)
    target.add_exception_handler(AuthenticationError, _authentication_error)
    target.add_exception_handler(AuthorizationError, _authorization_error)
    target.add_exception_handler(PermissionDenied, _permission_denied)
    target.add_exception_handler(Http404, _not_found)
    target.add_exception_handler(Throttled, _throttled)
    target.add_exception_handler(HttpError, _http_error)
