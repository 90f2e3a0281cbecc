"""Staff download a receipt's signed XML (biên lai điện tử): the copy sent to the tax authority when there is one,
otherwise made and signed now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from motcua.org.permissions import can_act_on_agency

from . import ereceipts
from .models import Receipt, ReceiptTransmission


@login_required
def receipt_xml(request, pk):
    receipt = get_object_or_404(Receipt.objects.select_related("book__agency"), pk=pk)
    if not can_act_on_agency(request.user, receipt.book.agency):
        raise Http404
    sent = ReceiptTransmission.objects.filter(receipt=receipt).exclude(signed_xml="").first()
    try:
        content = sent.signed_xml.encode() if sent else ereceipts.signed_receipt_xml(receipt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("payments:receipt", pk=receipt.pk)
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="bien-lai-{receipt.book.series}-{receipt.number_display}.xml"'
    )
    return response
