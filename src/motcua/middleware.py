"""Cross-cutting request guards and response headers.

`NulByteGuardMiddleware`: a NUL character cannot be stored in a PostgreSQL text value (the driver raises, and the
request would end in HTTP 500). No field of motcua may contain one, so a request carrying one in its path, query
string, form fields or JSON body is answered 400 before any view runs: the API's common error shape under
/api/, a plain Vietnamese page elsewhere. Uploaded files are left to their own checks.

`PermissionsPolicyMiddleware`: the Permissions-Policy header (settings.PERMISSIONS_POLICY), which turns off the
browser features no page of motcua uses.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

# \u0000 in JSON text, not preceded by an escaped backslash (\\u0000 is the six characters, not a NUL).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded",)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    try:
        if content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            return b"\x00" in body or bool(_JSON_NUL.search(body))
        if content_type in _FORM_TYPES:
            body = request.body
            return b"\x00" in body or b"%00" in body
        if content_type == "multipart/form-data":
            # The text fields only (parsed now rather than by CSRF's check a moment later); files keep their
            # checks.
            return any("\x00" in value for _name, values in request.POST.lists() for value in values)
    except RequestDataTooBig:
        return False  # too large to read: the view answers that in its own way
    return False


def nul_byte_response(request) -> HttpResponse:
    message = _("Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL).")
    if request.path.startswith("/api/"):
        from motcua.api_base import error_response

        return error_response(request, 400, "invalid", message)
    page = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(_("Yêu cầu không hợp lệ"))}'
        f"</title></head><body><h1>{escape(_('Yêu cầu không hợp lệ'))}</h1><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(page, status=400, content_type="text/html; charset=utf-8")


class NulByteGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return nul_byte_response(request)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
