import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.org.permissions import can_act_on_agency

from . import conf
from .models import Payment, Receipt
from .online import check_payment, handle_callback
from .printing import PAPERS, receipt_pdf


@csrf_exempt
@require_POST
def gateway_callback(request, gateway):
    """The gateway's callback (IPN): signed JSON in, the gateway's reply shape out."""
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
    receipt = get_object_or_404(Receipt.objects.select_related("book__agency"), pk=pk)
    if not can_act_on_agency(request.user, receipt.book.agency):
        raise PermissionDenied
    paper = request.GET.get("kho", "a4")
    if paper not in PAPERS:
        paper = "a4"
    response = HttpResponse(receipt_pdf(receipt, paper), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="bien-lai-{receipt.book.series}-{receipt.number_display}.pdf"'
    )
    return response
