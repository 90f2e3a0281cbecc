"""Staff pages of the connector: the queue, failures with the portal's reply and "Gửi lại", the figures; and
the signed file downloads the portal fetches."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.client_address import client_address
from motcua.org.permissions import has_role

from . import conf, files, outbox
from .models import OutboxMessage
from .reports import sync_figures

MANAGERS = ("administrator", "supervisor")


def _managers_only(request):
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not (user.is_superuser or any(has_role(user, role) for role in MANAGERS)):
        raise PermissionDenied


def _parse_date(value: str, default: datetime.date) -> tuple[datetime.date, str]:
    value = (value or "").strip()
    if not value:
        return default, ""
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date(), ""
    except ValueError:
        return default, _("Ngày “%(value)s” không hợp lệ; nhập theo dạng dd/mm/yyyy.") % {"value": value}


def outbox_page(request):
    _managers_only(request)
    today = timezone.localdate()
    start, error_start = _parse_date(request.GET.get("tu_ngay"), today.replace(day=1))
    end, error_end = _parse_date(request.GET.get("den_ngay"), today)
    errors = [e for e in (error_start, error_end) if e]
    if start > end:
        errors.append(_("Từ ngày phải trước hoặc bằng đến ngày."))
    rows = OutboxMessage.objects.select_related("dossier", "event")
    counts = {state: rows.filter(state=state).count() for state in OutboxMessage.State.values}
    return render(
        request,
        "national_portal/outbox.html",
        {
            "enabled": conf.is_enabled(),
            "transport": conf.transport(),
            "counts": counts,
            "failed": rows.filter(state=OutboxMessage.State.FAILED).order_by("id")[:200],
            "pending": rows.filter(state=OutboxMessage.State.PENDING).order_by("next_attempt_at", "id")[:50],
            "figures": [] if errors else sync_figures(start, end),
            "start": start,
            "end": end,
            "errors": errors,
        },
    )


@require_POST
def resend(request, pk: int):
    _managers_only(request)
    try:
        message = outbox.resend(pk)
    except OutboxMessage.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Đã đưa bản tin của hồ sơ %(code)s vào hàng đợi gửi lại.") % {"code": message.dossier}
        )
    return redirect("national_portal:outbox")


def download(request, token: str):
    found = files.resolve(token)
    if found is None:
        raise Http404
    field_file, name = found
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=name)


def _administrators_only(request):
    user = request.user
    if not user.is_authenticated or not (user.is_superuser or has_role(user, "administrator")):
        raise PermissionDenied


def catalog_pulls(request):
    """The procedures read from the portal, as diffs waiting for review; a new pull on request."""
    from . import catalog_pull
    from .models import CatalogPull

    _administrators_only(request)
    if request.method == "POST":
        if not conf.is_enabled():
            messages.error(request, _("Kết nối Cổng DVCQG đang tắt."))
            return redirect("national_portal:catalog")
        try:
            pull = catalog_pull.pull_catalog(conf.get_connector())
        except (ValidationError, catalog_pull.portal.PortalError) as error:
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
            return redirect("national_portal:catalog")
        return redirect("national_portal:catalog_pull", pk=pull.pk)
    return render(request, "national_portal/catalog_pulls.html", {"pulls": CatalogPull.objects.all()[:50]})


def catalog_pull_detail(request, pk: int):
    from . import catalog_pull
    from .models import CatalogPull

    _administrators_only(request)
    pull = CatalogPull.objects.filter(pk=pk).first()
    if pull is None:
        raise Http404
    if request.method == "POST":
        try:
            selected = [int(v) for v in request.POST.getlist("change")]
        except ValueError:
            selected = []
        try:
            pull = catalog_pull.apply_pull(pull.pk, request.user, selected)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã áp dụng %(n)d thay đổi vào danh mục thủ tục.") % {"n": len(pull.applied_changes)},
            )
        return redirect("national_portal:catalog_pull", pk=pull.pk)
    return render(request, "national_portal/catalog_pull.html", {"pull": pull})


def _signed_json(request):
    """(data, None) for an authenticated JSON POST from the portal, else (None, the refusal as a JsonResponse)."""
    import json
    import logging

    from django.http import JsonResponse

    from . import inbound

    logger = logging.getLogger(__name__)
    if request.method != "POST":
        return None, JsonResponse(
            {"error_code": "-1", "message": _("Chỉ nhận phương thức POST.")}, status=405
        )
    try:
        body = request.body
    except RequestDataTooBig:
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None, JsonResponse(
            {"error_code": "-1", "message": _("Nội dung quá lớn (tối đa %(limit)s).") % {"limit": limit}},
            status=413,
        )
    remote_addr = client_address(request)
    try:
        inbound.authenticate(request.headers, body, remote_addr)
    except inbound.InboundRefused as refused:
        logger.warning("national portal inbound call from %s refused: %s", remote_addr, refused.message)
        return None, JsonResponse({"error_code": "-1", "message": refused.message}, status=refused.status)
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError):
        return None, JsonResponse(
            {"error_code": "-1", "message": _("Nội dung không phải JSON hợp lệ (UTF-8).")}, status=400
        )


@csrf_exempt
def inbound_dossier(request):
    """The portal pushes a dossier submitted there (signed request, see `inbound`); replies in its shape."""
    import logging

    from django.http import JsonResponse

    from . import inbound

    data, refusal = _signed_json(request)
    if refusal is not None:
        return refusal
    remote_addr = client_address(request)
    result = inbound.receive(data, raw=request.body, remote_addr=remote_addr)
    if result.error_code == "-1":
        logging.getLogger(__name__).warning("national portal inbound dossier refused: %s", result.message)
    return JsonResponse(result.reply(), status=400 if result.error_code == "-1" else 200)


@csrf_exempt
def payment_lookup(request):
    """`dptracuuthanhtoanhs`: the payment platform asks for a dossier's bill (signed request, see
    `payment_lookup`); replies in its shape."""
    import logging

    from django.http import JsonResponse

    from . import payment_lookup as lookups

    data, refusal = _signed_json(request)
    if refusal is not None:
        return refusal
    result = lookups.lookup(data)
    if result.error_code == "-1":
        logging.getLogger(__name__).warning("national portal payment look-up refused: %s", result.message)
    return JsonResponse(result.reply(), status=result.status)
