"""Fee lines of a dossier from the catalog's fee rules, their adjustment, and their collection.

Rules (catalog `Fee`):
- fixed ("mỗi hồ sơ", "mỗi trường hợp"): the amount once; per page / per copy: the amount × the quantity;
- an online dossier pays the rule's online amount when the catalog gives one (online reduction);
- `max_amount` caps a line; a rule with amount 0 is free (e.g. birth registration on time); a rule whose amount
  the provincial People's Council sets (no amount in the catalog) gives a line the cashier must price;
- an exempt payer (đối tượng miễn phí) pays nothing on a line, and the reason is kept.
A cashier changes an amount only with a reason; the audit trail keeps who, when, why and the old amount.
Paying every due line (at the counter or online) resumes a dossier that waits for its financial obligation.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.system import system_account
from motcua.audit.context import audit_context
from motcua.catalog.implementations import fee_schedule
from motcua.dossiers import services as dossier_services
from motcua.dossiers.states import State

from . import online, workflow
from .models import FeeLine, Payment, PaymentMethod
from .receipts import MAX_AMOUNT, can_collect, issue_receipt, open_book_for

logger = logging.getLogger(__name__)
SYSTEM_USERNAME = "he-thong-thanh-toan"
SYSTEM_FULL_NAME = "Hệ thống thanh toán trực tuyến"


def collecting_agency(dossier):
    """Fees go to the agency that resolves the dossier; the receiving counter collects on its behalf."""
    return dossier.resolving_agency or dossier.agency


def fee_rules(dossier) -> list:
    """The catalog fee rules of the dossier: those of its resolving agency's own schedule where the province set
    one for that agency, the procedure's otherwise (`catalog.implementations.fee_schedule`)."""
    received = timezone.localdate(dossier.received_at) if dossier.received_at else timezone.localdate()
    return fee_schedule(dossier.procedure, collecting_agency(dossier), received)


def _check(user, dossier) -> None:
    if not (can_collect(user, dossier.agency) or can_collect(user, collecting_agency(dossier))):
        raise PermissionDenied(_("Bạn không có quyền thu phí, lệ phí cho hồ sơ này."))


def line_amount(fee, channel: str, quantity: int) -> tuple[int, int, bool]:
    """(unit amount, line amount, online reduction applied) of a catalog fee rule."""
    unit = fee.amount_for(channel) or 0
    reduced = channel == "online" and fee.online_amount is not None and fee.online_amount != fee.amount
    amount = unit * (quantity if fee.basis in ("per_page", "per_copy") else 1)
    if fee.max_amount is not None:
        amount = min(amount, fee.max_amount)
    return unit, amount, reduced


def compute_fee_lines(
    dossier, *, by, quantities: dict | None = None, exempt: dict | None = None
) -> list[FeeLine]:
    """Create the dossier's fee lines from its fee rules (`fee_rules`: the resolving agency's own schedule or the
    procedure's; once; later changes are adjustments).

    `quantities` maps a Fee id to the number of pages or copies; `exempt` maps a Fee id to the reason the payer
    is exempt from it.
    """
    _check(by, dossier)
    quantities, exempt = quantities or {}, exempt or {}
    fees = fee_rules(dossier)
    for fee_id, quantity in quantities.items():
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 100_000:
            raise ValidationError(_("Số trang, số bản phải là số nguyên từ 1 trở lên."))
        if fee_id not in {f.pk for f in fees}:
            raise ValidationError(_("Khoản phí không thuộc thủ tục của hồ sơ."))
    for fee_id, reason in exempt.items():
        if not (reason or "").strip():
            raise ValidationError(_("Phải nêu lý do miễn phí, lệ phí."))
        if fee_id not in {f.pk for f in fees}:
            raise ValidationError(_("Khoản phí không thuộc thủ tục của hồ sơ."))
    with transaction.atomic(), audit_context(actor=by, reason=_("Tính phí, lệ phí theo quy định")):
        if FeeLine.objects.select_for_update().filter(dossier=dossier).exists():
            raise ValidationError(_("Hồ sơ đã được tính phí, lệ phí; hãy điều chỉnh từng khoản nếu cần."))
        lines = []
        for position, fee in enumerate(fees, start=1):
            quantity = quantities.get(fee.pk, 1) if fee.basis in ("per_page", "per_copy") else 1
            unit, amount, reduced = line_amount(fee, dossier.channel, quantity)
            reason = (exempt.get(fee.pk) or "").strip()
            needs_amount = fee.amount is None and not reason
            if reason or (fee.amount == 0 and not needs_amount):
                status = FeeLine.Status.EXEMPT
            else:
                status = FeeLine.Status.DUE
            lines.append(
                workflow.create(
                    FeeLine(
                        dossier=dossier,
                        fee=fee,
                        position=position,
                        kind=fee.kind,
                        description=fee.description,
                        basis=fee.basis,
                        quantity=quantity,
                        unit_amount=unit,
                        rule_amount=amount,
                        amount=0 if reason else amount,
                        online_reduction=reduced,
                        needs_amount=needs_amount,
                        status=status,
                        exemption_reason=reason
                        or (_("Miễn theo quy định") if status == FeeLine.Status.EXEMPT else ""),
                    ),
                    "compute",
                    actor=by,
                    note=reason,
                )
            )
    return lines


def adjust_fee_line(line: FeeLine, *, by, amount: int, reason: str) -> FeeLine:
    """A cashier changes what a line costs, with a reason (kept in the audit trail with the old amount)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do điều chỉnh số tiền.")})
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount < MAX_AMOUNT:
        raise ValidationError({"amount": _("Số tiền phải là số nguyên đồng, không âm.")})
    _check(by, line.dossier)
    with transaction.atomic(), audit_context(actor=by, reason=reason):
        line = FeeLine.objects.select_for_update().get(pk=line.pk)
        if (
            line.status == FeeLine.Status.PAID
            or line.payment_id
            and line.payment.status == Payment.Status.PENDING
        ):
            raise ValidationError(
                _("Khoản đã thu hoặc đang chờ thanh toán trực tuyến, không thể điều chỉnh.")
            )
        line = workflow.transition(
            line,
            "adjust",
            to=FeeLine.Status.DUE if amount > 0 else FeeLine.Status.EXEMPT,
            actor=by,
            note=reason,
            amount=amount,
            needs_amount=False,
            adjustment_reason=reason,
            adjusted_by=by,
            adjusted_at=timezone.now(),
        )
    return line


def due_lines(dossier):
    return dossier.fee_lines.filter(status=FeeLine.Status.DUE).order_by("position", "id")


def outstanding(dossier) -> int:
    return sum(line.amount for line in due_lines(dossier))


def payable(dossier):
    """(due lines, their total) when the applicant can pay now: something is owed and every due line is priced;
    None otherwise."""
    lines = list(due_lines(dossier))
    total = sum(line.amount for line in lines)
    if total <= 0 or any(line.needs_amount for line in lines):
        return None
    return lines, total


def fee_items(lines) -> list[dict]:
    """The receipt or bill items of fee lines: unit amount × quantity when the amount divides evenly, else once."""
    items = []
    for line in lines:
        whole = line.quantity and line.amount % line.quantity == 0
        items.append(
            {
                "kind": line.kind,
                "description": line.description,
                "unit_amount": line.amount // line.quantity if whole else line.amount,
                "quantity": line.quantity if whole else 1,
            }
        )
    return items


def _check_priced(lines) -> None:
    if not lines:
        raise ValidationError(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."))
    if any(line.needs_amount for line in lines):
        raise ValidationError(_("Có khoản chưa có mức thu; hãy nhập số tiền trước khi thu."))


def collect_at_counter(
    dossier,
    *,
    by,
    method: str,
    payer_name: str = "",
    payer_id_number: str = "",
    payer_address: str = "",
    terminal_reference: str = "",
    book=None,
):
    """Collect every due line of the dossier at the counter: one e-receipt; a paused dossier resumes."""
    _check(by, dossier)
    if method == PaymentMethod.ONLINE:
        raise ValidationError(
            {"method": _("Thanh toán trực tuyến do người nộp thực hiện trên cổng thanh toán.")}
        )
    applicant = dossier.applicant
    with transaction.atomic(), audit_context(actor=by, reason=_("Thu phí, lệ phí tại quầy")):
        lines = list(due_lines(dossier).select_for_update())
        lines = [line for line in lines if line.amount > 0 or line.needs_amount]
        _check_priced(lines)
        if any(line.payment_id and line.payment.status == Payment.Status.PENDING for line in lines):
            raise ValidationError(_("Hồ sơ đang có giao dịch thanh toán trực tuyến chờ kết quả."))
        for agency in (collecting_agency(dossier), dossier.agency):
            if book is None and can_collect(by, agency):
                book = open_book_for(agency)
        if book is None:
            raise ValidationError(_("Cơ quan chưa mở quyển biên lai nào; liên hệ lãnh đạo để mở quyển."))
        receipt = issue_receipt(
            book,
            items=fee_items(lines),
            payer_name=payer_name or applicant.name,
            payer_id_number=payer_id_number or applicant.id_number,
            payer_address=payer_address or applicant.address,
            method=method,
            collector=by,
            terminal_reference=terminal_reference,
            note=_("Thu phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code},
            dossier=dossier,
        )
        for line in lines:
            workflow.transition(line, "collect", actor=by, note=receipt.number_display, receipt=receipt)
        _resume_if_waiting(dossier, by, receipt)
    return receipt


def pay_online(dossier, *, base_url: str | None = None, gateway: str | None = None) -> Payment:
    """Open an online payment for every due line of the dossier; the payer goes to `payment.redirect_url`."""
    lines = [line for line in due_lines(dossier) if line.amount > 0 or line.needs_amount]
    _check_priced(lines)
    pending = [line for line in lines if line.payment_id and line.payment.status == Payment.Status.PENDING]
    if pending:
        return pending[0].payment
    applicant = dossier.applicant
    payment = online.start_online_payment(
        agency=collecting_agency(dossier),
        items=fee_items(lines),
        payer_name=applicant.name,
        payer_id_number=applicant.id_number,
        payer_address=applicant.address,
        description=_("Thanh toán phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code},
        dossier_code=dossier.code,
        dossier=dossier,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        gateway=gateway,
        base_url=base_url,
    )
    FeeLine.objects.filter(pk__in=[line.pk for line in lines]).update(payment=payment)
    return payment


def cancel_pending_online_payment(dossier, *, by) -> list[Payment]:
    """The payer gave up paying online and pays at the counter: stop waiting for the pending online payment.

    If the gateway later reports it paid after all, the payment still counts (the money was taken), and the
    reconciliation lists the dossier as paid twice so that one of the two is refunded.
    """
    _check(by, dossier)
    pending = Payment.objects.filter(fee_lines__dossier=dossier, status=Payment.Status.PENDING).distinct()
    cancelled = []
    for payment in pending:
        with audit_context(actor=by, reason=_("Thu tại quầy thay cho thanh toán trực tuyến")):
            cancelled.append(online.cancel_payment(payment, reason=_("Cán bộ thu hủy chờ để thu tại quầy.")))
    if not cancelled:
        raise ValidationError(_("Hồ sơ không có giao dịch trực tuyến nào đang chờ."))
    return cancelled


def system_actor():
    """The account that signs what the payment platform causes (an online payment resuming a dossier).

    It cannot log in (no usable password) and exists so that the dossier's history names who acted.
    """
    return system_account(SYSTEM_USERNAME, SYSTEM_FULL_NAME)


def _resume_if_waiting(dossier, actor, receipt) -> None:
    dossier.refresh_from_db(fields=["state"])
    if dossier.state != State.PAUSED_FINANCIAL or outstanding(dossier) > 0:
        return
    note = _("Đã nộp phí, lệ phí: biên lai ký hiệu %(series)s số %(number)s") % {
        "series": receipt.book.series,
        "number": receipt.number_display,
    }
    dossier_services.fulfil_financial_obligation(dossier, actor, note=note)


def on_payment_confirmed(payment: Payment, receipt) -> None:
    """Hook of `online.confirmation_hooks`: the lines paid online are paid; a waiting dossier resumes."""
    if payment.dossier_id is None:
        return
    for line in FeeLine.objects.filter(payment=payment, status=FeeLine.Status.DUE).order_by("id"):
        workflow.transition(line, "paid_online", note=payment.reference, receipt=receipt)
    if receipt is not None:
        _resume_if_waiting(payment.dossier, system_actor(), receipt)


online.confirmation_hooks.append(on_payment_confirmed)
