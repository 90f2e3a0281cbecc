import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.dossiers import lookup_throttle

from . import conf, fees
from .counter_views import visible_receipt
from .models import Payment, Receipt
from .online import check_payment, handle_callback
from .printing import PAPERS, receipt_pdf

MAX_CALLBACK_BYTES = 64 * 1024  # a callback is a few hundred bytes; anything larger is not stored


@csrf_exempt
@require_POST
def gateway_callback(request, gateway):
    """The gateway's callback (IPN): signed JSON in, the gateway's reply shape out."""
    if gateway not in conf.gateway_configs():
        return JsonResponse({"MaLoi": "05", "MoTaLoi": _("Không có cổng thanh toán này.")}, status=404)
    if len(request.body) > MAX_CALLBACK_BYTES:
        return JsonResponse({"MaLoi": "05", "MoTaLoi": _("Thông báo thanh toán quá lớn.")}, status=413)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        payload = {"raw": request.body[:2000].decode("utf-8", "replace")}
    result = handle_callback(gateway, payload)
    try:
        body = conf.get_gateway(gateway).reply(result.reply_code, result.message)
    except (KeyError, ValidationError):
        body = {"MaLoi": result.reply_code, "MoTaLoi": result.message}
    return JsonResponse(
        body, status=200 if result.accepted else 400, json_dumps_params={"ensure_ascii": False}
    )


@require_http_methods(["GET", "POST"])
def payment_result(request, reference):
    """Where the gateway sends the payer back: the payment's state, and a button to ask the gateway again."""
    payment = get_object_or_404(Payment, reference=reference)
    if request.method == "POST":
        check_payment(payment)
        return redirect("payments:result", reference=reference)
    receipt = payment.receipts.filter(status="issued").first()
    return render(request, "payments/result.html", {"payment": payment, "receipt": receipt})


def _mask_name(name: str) -> str:
    """ "Nguyễn Văn An" → "N*** V*** A***": enough to recognise one's own receipt, not to learn a name."""
    return " ".join(part[0] + "***" for part in name.split() if part)


def verify_receipt(request, code):
    """Public check of a receipt, reached from its QR code: is it genuine, and is it still valid?"""
    receipt = get_object_or_404(Receipt.objects.select_related("book__agency"), verification_code=code)
    return render(
        request,
        "payments/verify.html",
        {"receipt": receipt, "payer": _mask_name(receipt.payer_name)},
    )


@login_required
def receipt_print(request, pk):
    """The receipt as PDF for printing: ?kho=a4 (default), a5 or 80mm."""
    receipt = visible_receipt(request.user, pk)
    paper = request.GET.get("kho", "a4")
    if paper not in PAPERS:
        paper = "a4"
    response = HttpResponse(receipt_pdf(receipt, paper), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bien-lai-{receipt.book.series}-{receipt.number_display}.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
def pay_dossier(request):
    """Thanh toán phí, lệ phí dịch vụ công: the applicant finds the dossier (code + phone or ID number) and pays.

    The pair is confirmed only from a POST (no personal number in a URL), through the shared lookup throttle;
    a GET with `ma_ho_so` (the link in the payment notice) only fills the code in. A POST with `tra_cuu` shows
    the dossier's fees; any other POST pays.
    """
    code = (request.POST.get("ma_ho_so") or request.GET.get("ma_ho_so") or "").strip()[:40]
    proof = (request.POST.get("xac_minh") or "").strip()[:30] if request.method == "POST" else ""
    dossier, error, status = None, "", 200
    if request.method == "POST":
        try:
            dossier = lookup_throttle.confirm(request, code, proof)
        except lookup_throttle.Throttled as exc:
            error, status = str(exc.message), 429
        else:
            if dossier is None:
                error, status = (
                    _("Không tìm thấy hồ sơ với mã và số điện thoại (hoặc số giấy tờ) đã nhập."),
                    404,
                )
    if dossier is not None and "tra_cuu" not in request.POST:
        try:
            payment = fees.pay_online(dossier, base_url=request.build_absolute_uri("/").rstrip("/"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(payment.redirect_url)
    lines = list(fees.due_lines(dossier)) if dossier is not None else []
    return render(
        request,
        "payments/pay_dossier.html",
        {
            "dossier": dossier,
            "lines": lines,
            "outstanding": fees.outstanding(dossier) if dossier is not None else 0,
            "has_lines": dossier is not None and dossier.fee_lines.exists(),
            "code": code,
            "proof": proof,
            "error": error,
        },
        status=status,
    )
