import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import conf
from .models import Payment
from .online import check_payment, handle_callback


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
