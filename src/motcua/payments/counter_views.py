"""Staff screens of fee collection: the "Chờ thu phí" list, a dossier's fees, a receipt, refunds.

Each view parses its input, calls one service of `fees` or `receipts`, and renders; errors come back as
Vietnamese messages and change nothing.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import can_see
from motcua.org.permissions import agencies_in_scope, can_act_on_agency, has_role
from motcua.privacy import access as personal_data

from . import fees, receipts, reports
from .forms import AdjustForm, CollectForm, DecisionForm, OpenBookForm, ReasonForm, RefundForm
from .models import FeeLine, Receipt, ReceiptBook, Refund


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _visible_dossier(user, code) -> Dossier | None:
    """The dossier `code` if `user` may see it; None for an unknown code and for one they may not see alike,
    so that the answer never tells whether a code exists."""
    dossier = (
        Dossier.objects.select_related("procedure", "agency", "applicant")
        .filter(code=code)
        .order_by()
        .first()
    )
    return dossier if dossier is not None and can_see(user, dossier) else None


def visible_receipt(user, pk, queryset=None) -> Receipt:
    """The receipt `pk` if `user` may act on its agency; 404 for an unknown receipt and for one they may not
    see alike (the fee page's rule), so that the answer never tells whether a receipt exists."""
    receipt = (
        (queryset if queryset is not None else Receipt.objects.select_related("book__agency"))
        .filter(pk=pk)
        .first()
    )
    if receipt is None or not can_act_on_agency(user, receipt.book.agency):
        raise Http404
    return receipt


def _dossier(request, code) -> Dossier:
    dossier = _visible_dossier(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


@login_required
def counter(request):
    """Chờ thu phí: dossiers of the user's agencies with fees still due; a code box to find any other."""
    code = (request.GET.get("ma_ho_so") or "").strip()
    if code:
        if _visible_dossier(request.user, code) is not None:
            return redirect("payments:dossier_fees", code=code)
        messages.error(request, _("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code})
    scope = agencies_in_scope(request.user)
    due = FeeLine.objects.filter(dossier=OuterRef("pk"), status=FeeLine.Status.DUE)
    dossiers = (
        Dossier.objects.filter(Q(agency__in=scope) | Q(resolving_agency__in=scope))
        .filter(Exists(due))
        .select_related("procedure", "applicant")
        .order_by("-received_at")[:100]
    )
    dossiers = list(dossiers)
    personal_data.record_list(request.user, dossiers, what=_("Danh sách hồ sơ chờ thu phí"))
    recent = (
        Receipt.objects.filter(book__agency__in=scope)
        .select_related("book", "collector")
        .order_by("-issued_at", "-id")[:20]
    )
    return render(request, "payments/counter.html", {"dossiers": dossiers, "recent": recent, "code": code})


def _posted_quantities_and_exemptions(request, dossier) -> tuple[dict, dict]:
    """The quantities (pages, copies) and the exemptions with their reasons posted for the dossier's fee rules."""
    exempt = {}
    quantities = {}
    for fee in fees.fee_rules(dossier):
        raw = request.POST.get(f"quantity_{fee.pk}")
        if raw:
            try:
                quantities[fee.pk] = int(raw)
            except ValueError:
                raise ValidationError(_("Số trang, số bản phải là số nguyên từ 1 trở lên.")) from None
        if request.POST.get(f"exempt_{fee.pk}"):
            exempt[fee.pk] = request.POST.get(f"exempt_reason_{fee.pk}", "")
    return quantities, exempt


def _compute_fees(request, dossier) -> None:
    """Compute the dossier's fee lines from the posted quantities and exemptions."""
    quantities, exempt = _posted_quantities_and_exemptions(request, dossier)
    fees.compute_fee_lines(dossier, by=request.user, quantities=quantities, exempt=exempt)
    messages.success(request, _("Đã tính phí, lệ phí của hồ sơ."))


def _adjust_fee_line(request, dossier) -> None:
    """Adjust the posted fee line of the dossier by the posted amount and reason."""
    line = get_object_or_404(FeeLine, pk=request.POST.get("line"), dossier=dossier)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Nhập số tiền (số nguyên, không âm) và lý do điều chỉnh."))
    fees.adjust_fee_line(line, by=request.user, **form.cleaned_data)
    messages.success(request, _("Đã điều chỉnh khoản “%(name)s”.") % {"name": line.description})


def _cancel_online_payment(request, dossier) -> None:
    """Cancel the dossier's pending online payment so that its fees can be collected at the counter."""
    fees.cancel_pending_online_payment(dossier, by=request.user)
    messages.success(request, _("Đã hủy chờ thanh toán trực tuyến; có thể thu tại quầy."))


# The posted actions that change the fee lines and come back to the dossier's fee page.
_FEE_LINE_ACTIONS = {
    "compute": _compute_fees,
    "adjust": _adjust_fee_line,
    "cancel_online": _cancel_online_payment,
}


def _collect(request, dossier, collect_form):
    """Collect the dossier's fees at the counter and go to the receipt issued."""
    receipt = fees.collect_at_counter(dossier, by=request.user, **collect_form.cleaned_data)
    messages.success(
        request,
        _("Đã thu %(amount)s, biên lai số %(number)s.")
        % {"amount": receipt.total_display, "number": receipt.number_display},
    )
    return redirect("payments:receipt", pk=receipt.pk)


def _render_dossier_fees(request, dossier, lines, collect_form):
    """The dossier's fee page: its lines, the fee rules, what is outstanding and the collect form."""
    personal_data.record(request.user, dossier=dossier, what=_("Phí, lệ phí của hồ sơ"))
    return render(
        request,
        "payments/dossier_fees.html",
        {
            "dossier": dossier,
            "lines": lines,
            "rules": fees.fee_rules(dossier),
            "outstanding": fees.outstanding(dossier),
            "pending_online": any(
                line.payment_id and line.payment.status == "pending" and line.status == "due"
                for line in lines
            ),
            "collect_form": collect_form,
            "adjust_form": AdjustForm(),
        },
    )


@login_required
def dossier_fees(request, code):
    """A dossier's fees: compute, adjust, cancel a pending online payment, or collect at the counter."""
    dossier = _dossier(request, code)
    lines = list(dossier.fee_lines.select_related("receipt__book", "payment"))
    applicant = dossier.applicant
    collect_form = CollectForm(
        initial={"payer_name": applicant.name, "payer_id_number": applicant.id_number, "method": "cash"}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in _FEE_LINE_ACTIONS:
                _FEE_LINE_ACTIONS[action](request, dossier)
                return redirect("payments:dossier_fees", code=code)
            if action == "collect":
                collect_form = CollectForm(request.POST)
                if collect_form.is_valid():
                    return _collect(request, dossier, collect_form)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("Bạn không có quyền thực hiện thao tác này."))
    return _render_dossier_fees(request, dossier, lines, collect_form)


@login_required
def receipt_detail(request, pk):
    receipt = visible_receipt(
        request.user, pk, Receipt.objects.select_related("book__agency", "collector", "replaces")
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "void":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Phải nhập lý do hủy biên lai."))
                receipts.void_receipt(receipt, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Đã hủy biên lai."))
            elif action == "refund":
                form = RefundForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Nhập số tiền hoàn (lớn hơn 0) và lý do hoàn phí."))
                receipts.request_refund(receipt, by=request.user, **form.cleaned_data)
                messages.success(request, _("Đã gửi đề nghị hoàn phí để lãnh đạo phê duyệt."))
            elif action == "decide":
                refund = get_object_or_404(Refund, pk=request.POST.get("refund"), receipt=receipt)
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Chọn quyết định hoàn phí."))
                receipts.decide_refund(
                    refund,
                    by=request.user,
                    approve=form.cleaned_data["approve"] == "1",
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Đã ghi nhận quyết định hoàn phí."))
            return redirect("payments:receipt", pk=pk)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("Bạn không có quyền thực hiện thao tác này."))
    return render(
        request,
        "payments/receipt.html",
        {
            "receipt": receipt,
            "items": receipt.items.all(),
            "refunds": receipt.refunds.select_related("requested_by", "decided_by"),
            "void_form": ReasonForm(),
            "refund_form": RefundForm(),
            "decision_form": DecisionForm(),
        },
    )


def _parse_day(text: str, default: datetime.date) -> datetime.date:
    if not text:
        return default
    try:
        return datetime.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(_("Ngày phải viết dạng dd/mm/yyyy, ví dụ 05/11/2022.")) from None


@login_required
def report(request):
    """Collections per day / collector / agency / fee type / channel, and the reconciliation; ?xlsx=1 exports."""
    if not any(has_role(request.user, role) for role in ("reception_officer", "leader", "supervisor")):
        raise PermissionDenied
    today = timezone.localdate()
    group_by = [d for d in request.GET.getlist("nhom") if d in reports.DIMENSIONS] or ["day"]
    rows, mismatches = [], []
    try:
        date_from = _parse_day(request.GET.get("tu", ""), today.replace(day=1))
        date_to = _parse_day(request.GET.get("den", ""), today)
        if date_to < date_from:
            raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        date_from, date_to = today.replace(day=1), today
    scope = agencies_in_scope(request.user)
    rows = reports.collections(date_from, date_to, group_by=group_by, agencies=scope)
    mismatches = reports.reconcile(
        date_from, date_to, agencies=scope, query_gateway=bool(request.GET.get("tra_van"))
    )
    if request.GET.get("xlsx"):
        data = reports.to_excel(rows, group_by, mismatches, date_from=date_from, date_to=date_to)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="bao-cao-thu-phi-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"'
        )
        return response
    return render(
        request,
        "payments/report.html",
        {
            "rows": rows,
            "mismatches": mismatches,
            "labels": reports.MISMATCH_LABELS,
            "headers": [reports.DIMENSIONS[d][1] for d in group_by],
            "dimensions": [(key, label) for key, (_path, label) in reports.DIMENSIONS.items()],
            "group_by": group_by,
            "date_from": date_from,
            "date_to": date_to,
            "totals": {
                "receipts": sum(r.receipts for r in rows),
                "service_fee": sum(r.service_fee for r in rows),
                "admin_charge": sum(r.admin_charge for r in rows),
                "total": sum(r.total for r in rows),
                "refunded": sum(r.refunded for r in rows),
                "net": sum(r.net for r in rows),
            },
            "query": request.GET.urlencode(),
        },
    )


@login_required
def books(request):
    """Quyển biên lai: the books of the user's agencies; a leader opens and closes them."""
    scope = agencies_in_scope(request.user)
    manageable = scope.filter(pk__in=[a.pk for a in scope if receipts.can_manage_books(request.user, a)])
    form = OpenBookForm(agencies=manageable)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                book = get_object_or_404(ReceiptBook, pk=request.POST.get("book"), agency__in=scope)
                receipts.close_book(book, by=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("Đã khóa sổ quyển %(series)s.") % {"series": book.series})
                return redirect("payments:books")
            form = OpenBookForm(request.POST, agencies=manageable)
            if form.is_valid():
                data = form.cleaned_data
                book = receipts.open_book(
                    data.pop("agency"), by=request.user, **{k: v for k, v in data.items() if v is not None}
                )
                messages.success(request, _("Đã mở quyển biên lai %(series)s.") % {"series": book.series})
                return redirect("payments:books")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("Bạn không có quyền thực hiện thao tác này."))
    listed = (
        ReceiptBook.objects.filter(agency__in=scope)
        .select_related("agency")
        .order_by("agency__name", "-opened_at")
    )
    return render(
        request, "payments/books.html", {"books": listed, "form": form, "can_open": manageable.exists()}
    )
