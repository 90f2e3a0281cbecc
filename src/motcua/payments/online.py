"""Online payment: create the payment at the gateway, read its callbacks, ask it when they do not come.

Callbacks are idempotent whatever their number and order: each is checked (signature, known payment, amount,
freshness), recorded with its outcome, and changes the payment only when it brings news. A successful payment
is final and wins over any failure or cancellation reported before or after it, because the money was taken.
Refused callbacks change nothing but the log of callbacks.
"""

import contextlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.integrations.payment import GatewayError, InvalidCallback, PaymentRequest

from . import conf, workflow
from .models import Payment, PaymentCallback, PaymentMethod
from .receipts import clean_items, issue_receipt, open_book_for

logger = logging.getLogger(__name__)
Outcome = PaymentCallback.Outcome

# Reply codes motcua answers a callback with ("00" = received).
REPLY_CODES = {
    Outcome.ACCEPTED: "00",
    Outcome.DUPLICATE: "00",
    Outcome.STALE: "00",
    Outcome.BAD_SIGNATURE: "01",
    Outcome.UNKNOWN_PAYMENT: "02",
    Outcome.AMOUNT_MISMATCH: "03",
    Outcome.REPLAYED: "04",
    Outcome.MALFORMED: "05",
    Outcome.CONFLICT: "06",
}

# Who else wants to know that a payment was confirmed (the dossier waiting for it, for instance).
# Each hook is called inside the confirming transaction with the payment and its e-receipt (None when the
# agency had no open receipt book); a failing hook is logged and
# does not undo the payment.
confirmation_hooks: list = []


class PaymentUnavailable(ValidationError):
    """The gateway cannot take the payment now; the message says so in Vietnamese."""


@dataclass(frozen=True)
class CallbackResult:
    outcome: str
    message: str
    payment: Payment | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome not in PaymentCallback.REFUSED

    @property
    def reply_code(self) -> str:
        return REPLY_CODES[self.outcome]


def beneficiary(agency) -> dict:
    """The collecting agency's fee-collection account as PaymentRequest's fields (empty when it has none)."""
    if agency is None or not agency.collection_account_number:
        return {"beneficiary_account": "", "beneficiary_bank_code": "", "beneficiary_name": ""}
    return {
        "beneficiary_account": agency.collection_account_number,
        "beneficiary_bank_code": agency.collection_bank_code,
        "beneficiary_name": agency.collection_account_name,
    }


def _absolute(path: str, base_url: str | None) -> str:
    return (base_url or settings.MOTCUA_PUBLIC_URL).rstrip("/") + path


def _checked_payer_name(payer_name: str) -> str:
    """The payer's name without surrounding spaces; ValidationError when there is none."""
    payer_name = (payer_name or "").strip()
    if not payer_name:
        raise ValidationError({"payer_name": _("Chưa nhập họ tên người nộp tiền.")})
    return payer_name


def _configured_gateway(gateway: str | None):
    """The gateway's name (the default one unless given) and its plugin; ValidationError when not configured."""
    gateway_name = gateway or conf.default_gateway_name()
    try:
        return gateway_name, conf.get_gateway(gateway_name)
    except KeyError:
        raise ValidationError(
            _("Chưa cấu hình cổng thanh toán “%(name)s”.") % {"name": gateway_name}
        ) from None


def _payment_request(
    payment, agency, gateway_name, base_url, procedure_code, procedure_name
) -> PaymentRequest:
    """What the gateway is asked to open for a payment just created, with its callback and return addresses."""
    return PaymentRequest(
        reference=payment.reference,
        amount=payment.amount,
        description=payment.description,
        created_at=payment.created_at,
        callback_url=_absolute(reverse("payments:callback", args=[gateway_name]), base_url),
        return_url=_absolute(reverse("payments:result", args=[payment.reference]), base_url),
        agency_code=agency.identity_code,
        agency_name=agency.name,
        dossier_code=payment.dossier_code,
        procedure_code=procedure_code,
        procedure_name=procedure_name,
        payer_name=payment.payer_name,
        payer_id_number=payment.payer_id_number,
        payer_address=payment.payer_address,
        items=payment.items,
        **beneficiary(agency),
    )


def _open_at_gateway(payment, plugin, request: PaymentRequest) -> None:
    """Open the payment at the gateway; when it refuses, mark the payment refused and raise PaymentUnavailable."""
    try:
        redirect_url = plugin.initiate(request)
    except GatewayError as error:
        workflow.transition(payment, "refused", failure_reason=str(error)[:500], next_check_at=None)
        raise PaymentUnavailable(
            _("Chưa thể thanh toán trực tuyến lúc này: %(reason)s Vui lòng thử lại sau.") % {"reason": error}
        ) from error
    if workflow.allowed(payment, "open"):  # unless a result already came in meanwhile
        with contextlib.suppress(workflow.TransitionRefused):
            workflow.transition(payment, "open", redirect_url=redirect_url)


def start_online_payment(
    *,
    agency,
    items,
    payer_name: str,
    description: str = "",
    payer_id_number: str = "",
    payer_address: str = "",
    dossier_code: str = "",
    dossier=None,
    procedure_code: str = "",
    procedure_name: str = "",
    gateway: str | None = None,
    base_url: str | None = None,
) -> Payment:
    """Create a payment and open it at the gateway; the payer is then sent to `payment.redirect_url`.

    Raises ValidationError for bad input (nothing is created) and PaymentUnavailable when the gateway cannot
    be reached or refuses (the payment is kept, marked failed, with the reason).
    """
    cleaned = clean_items(items)
    payer_name = _checked_payer_name(payer_name)
    gateway_name, plugin = _configured_gateway(gateway)
    payment = Payment.objects.create(
        gateway=gateway_name,
        agency=agency,
        amount=sum(item.amount for item in cleaned),
        description=(description or _("Thanh toán phí, lệ phí hồ sơ %(code)s") % {"code": dossier_code})[
            :300
        ],
        items=[item.as_dict() for item in cleaned],
        payer_name=payer_name,
        payer_id_number=payer_id_number,
        payer_address=payer_address,
        dossier_code=dossier_code,
        dossier=dossier,
        next_check_at=timezone.now() + conf.FIRST_CHECK_AFTER,
    )
    request = _payment_request(payment, agency, gateway_name, base_url, procedure_code, procedure_name)
    _open_at_gateway(payment, plugin, request)
    payment.refresh_from_db()
    return payment


def _record(gateway_name, payload, outcome, message, payment=None, signature="", source="callback"):
    PaymentCallback.objects.create(
        gateway=gateway_name,
        payment=payment,
        payload=payload if isinstance(payload, dict) else {"raw": str(payload)[:2000]},
        signature=signature[:128],
        outcome=outcome,
        message=str(message)[:500],
        source=source,
    )
    return CallbackResult(outcome, str(message), payment)


def _refusal(payment, message, source: str, now):
    """Why a callback is not applied to its payment (outcome, text), or None when it is to be applied.

    An unknown payment, another amount, a stale or premature message, a message already recorded, or a result
    for a payment that already succeeded."""
    if payment is None:
        return Outcome.UNKNOWN_PAYMENT, _("Không có giao dịch với mã tham chiếu này.")
    if message.amount != payment.amount:
        return Outcome.AMOUNT_MISMATCH, _("Số tiền không khớp với giao dịch.")
    if source == "callback" and (
        message.gateway_time < payment.created_at - conf.CLOCK_SKEW
        or now - message.gateway_time > conf.CALLBACK_MAX_AGE
    ):
        return Outcome.REPLAYED, _("Thông báo đã quá hạn hoặc có trước khi tạo giao dịch.")
    already = payment.callbacks.filter(
        signature=message.signature, outcome__in=[Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.STALE]
    ).exists()
    if already:
        return Outcome.DUPLICATE, _("Thông báo đã được ghi nhận trước đó.")
    if payment.status == Payment.Status.SUCCEEDED:
        if message.succeeded and message.transaction_id == payment.transaction_id:
            return Outcome.DUPLICATE, _("Giao dịch đã được ghi nhận thành công.")
        if message.succeeded:
            return Outcome.CONFLICT, _("Giao dịch đã thành công với mã giao dịch khác.")
        return Outcome.STALE, _("Giao dịch đã thành công; bỏ qua kết quả không thành công.")
    return None


def _apply_result(payment, message, source: str):
    """Confirm a success or record a failure on a payment still open to it; the (outcome, text) to record."""
    if message.succeeded:
        _confirm(payment, message)
        return Outcome.ACCEPTED, _("Đã ghi nhận thanh toán thành công.")
    if payment.is_final:
        return Outcome.STALE, _("Giao dịch đã có kết quả; không thay đổi.")
    workflow.transition(
        payment,
        "fail",
        to=Payment.Status.CANCELLED if message.cancelled else Payment.Status.FAILED,
        note=source,
        failure_reason=(
            _("Người nộp đã hủy giao dịch.")
            if message.cancelled
            else _("Thanh toán không thành công (mã lỗi %(code)s).") % {"code": message.error_code}
        ),
        transaction_id=message.transaction_id,
        gateway_time=message.gateway_time,
        next_check_at=None,
    )
    return Outcome.ACCEPTED, payment.failure_reason


def handle_callback(gateway_name: str, payload, *, source: str = "callback") -> CallbackResult:
    """Check and apply one callback of a gateway. Safe to call any number of times with the same message."""
    try:
        plugin = conf.get_gateway(gateway_name)
    except (KeyError, ValidationError):
        return _record(gateway_name, payload, Outcome.MALFORMED, _("Không có cổng thanh toán này."))
    try:
        message = plugin.parse_callback(payload)
    except InvalidCallback as error:
        logger.warning("payment callback refused", extra={"gateway": gateway_name, "outcome": error.outcome})
        return _record(gateway_name, payload, error.outcome, error.message, source=source)
    now = timezone.now()
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .filter(reference=message.reference, gateway=gateway_name)
            .first()
        )
        outcome, text = _refusal(payment, message, source, now) or _apply_result(payment, message, source)
        return _record(
            gateway_name, payload, outcome, text, payment, signature=message.signature, source=source
        )


def _confirm(payment: Payment, message) -> None:
    """Mark the payment paid, issue its e-receipt, and tell whoever waits for it."""
    workflow.transition(
        payment,
        "confirm",
        transaction_id=message.transaction_id,
        bank_code=message.bank_code,
        gateway_time=message.gateway_time,
        confirmed_at=timezone.now(),
        failure_reason="",
        next_check_at=None,
    )
    book = open_book_for(payment.agency)
    receipt = None
    if book is None:
        logger.error("no open receipt book for a confirmed payment", extra={"reference": payment.reference})
    else:
        receipt = issue_receipt(
            book,
            items=payment.items,
            payer_name=payment.payer_name,
            payer_id_number=payment.payer_id_number,
            payer_address=payment.payer_address,
            method=PaymentMethod.ONLINE,
            terminal_reference=payment.transaction_id,
            note=payment.description,
            dossier_code=payment.dossier_code,
            dossier=payment.dossier,
            payment=payment,
        )
    for hook in confirmation_hooks:
        try:
            with transaction.atomic():
                hook(payment, receipt)
        except Exception:
            logger.exception("payment confirmation hook failed", extra={"reference": payment.reference})


def check_payment(payment: Payment, *, now=None) -> Payment:
    """Ask the gateway about a payment that has no final state (QUERY), and apply what it says."""
    now = now or timezone.now()
    if payment.is_final:
        return payment
    plugin = conf.get_gateway(payment.gateway)
    try:
        result = plugin.query(payment.reference, payment.created_at)
    except GatewayError as error:
        logger.warning("payment query failed", extra={"reference": payment.reference, "error": str(error)})
        result = None
    if result is not None and result.message is not None:
        handle_callback(payment.gateway, result.message.raw, source="query")
    payment.refresh_from_db()
    if payment.is_final:
        return payment
    attempts = payment.check_attempts + 1
    if now - payment.created_at >= conf.PENDING_EXPIRY:
        with contextlib.suppress(workflow.TransitionRefused):  # a result came in meanwhile
            workflow.transition(
                payment,
                "expire",
                failure_reason=_("Quá thời hạn mà cổng thanh toán chưa xác nhận kết quả."),
                check_attempts=attempts,
                next_check_at=None,
            )
    else:
        interval = min(conf.FIRST_CHECK_AFTER * (2 ** (attempts - 1)), conf.MAX_CHECK_INTERVAL)
        Payment.objects.filter(pk=payment.pk).update(check_attempts=attempts, next_check_at=now + interval)
    payment.refresh_from_db()
    return payment


def check_pending_payments(*, now=None, limit: int = 200) -> dict[str, int]:
    """Query every payment still waiting whose next check is due (the periodic reconciliation job)."""
    now = now or timezone.now()
    due = Payment.objects.filter(
        status__in=[Payment.Status.INITIATED, Payment.Status.PENDING], next_check_at__lte=now
    ).order_by("next_check_at")[:limit]
    counts: dict[str, int] = {}
    for payment in due:
        status = check_payment(payment, now=now).status
        counts[status] = counts.get(status, 0) + 1
    return counts


def cancel_payment(payment: Payment, *, reason: str = "") -> Payment:
    """The payer gives up a payment that has no result yet. A success reported later still wins."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.is_final:
            raise ValidationError(_("Giao dịch đã có kết quả, không thể hủy."))
        payment = workflow.transition(
            payment, "cancel", note=reason, failure_reason=reason or _("Người nộp đã hủy giao dịch.")
        )
    return payment
