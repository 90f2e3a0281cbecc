"""The one transition table of money: fee lines, online payments, receipts and refunds.

Shaped like `dossiers.workflow` + `dossiers.services._transition`: every state change of one of these rows goes
through `transition(obj, action, ...)`, which opens a transaction, locks the row, checks the action against
this table (the row's current status must be one of the action's sources, the new status one of its targets),
runs the action's changes, saves the row (so the audit trail records it) and appends one `PaymentEvent`. A
refused transition raises `TransitionRefused` (a ValidationError with a Vietnamese message) and changes nothing.

Rows are also born through the table: `create(obj, action, ...)` saves a new fee line or receipt book in one of
the statuses its creating action allows (`CREATIONS`) and appends a `PaymentEvent` from no status ("") to that
one, so a row's history starts where it was made.

Who may take an action (`by`) is checked by the service that calls the helper, with the permission it already
uses: cashier (`receipts.can_collect`), leader (`receipts.can_manage_books`), payer (their own dossier's page),
gateway (a signed callback or a query), system (the reconciliation job). The table names them for reading.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import FeeLine, Payment, PaymentEvent, Receipt, ReceiptBook, Refund

L, P, R, F, B = FeeLine.Status, Payment.Status, Receipt.Status, Refund.Status, ReceiptBook.Status
NOT_SUCCEEDED = (P.INITIATED, P.PENDING, P.FAILED, P.CANCELLED, P.EXPIRED)
WAITING = (P.INITIATED, P.PENDING)


@dataclass(frozen=True)
class Transition:
    sources: tuple
    targets: tuple
    label: str
    by: tuple


TRANSITIONS: dict[str, dict[str, Transition]] = {
    PaymentEvent.Kind.FEE_LINE: {
        "adjust": Transition(
            (L.DUE, L.EXEMPT), (L.DUE, L.EXEMPT), gettext_lazy("Điều chỉnh số tiền"), ("cashier",)
        ),
        "collect": Transition((L.DUE,), (L.PAID,), gettext_lazy("Thu tại quầy"), ("cashier",)),
        "paid_online": Transition(
            (L.DUE,), (L.PAID,), gettext_lazy("Đã thanh toán trực tuyến"), ("gateway",)
        ),
    },
    PaymentEvent.Kind.PAYMENT: {
        "open": Transition((P.INITIATED,), (P.PENDING,), gettext_lazy("Mở giao dịch tại cổng"), ("payer",)),
        "refused": Transition(
            (P.INITIATED,), (P.FAILED,), gettext_lazy("Cổng thanh toán từ chối mở giao dịch"), ("payer",)
        ),
        # A success reported late (after a cancellation, a failure or the expiry) still counts: the money was
        # taken; the reconciliation lists a dossier paid twice.
        "confirm": Transition(
            NOT_SUCCEEDED, (P.SUCCEEDED,), gettext_lazy("Xác nhận đã thanh toán"), ("gateway",)
        ),
        "fail": Transition(
            WAITING, (P.FAILED, P.CANCELLED), gettext_lazy("Thanh toán không thành công"), ("gateway",)
        ),
        "expire": Transition(WAITING, (P.EXPIRED,), gettext_lazy("Hết hạn thanh toán"), ("system",)),
        "cancel": Transition(WAITING, (P.CANCELLED,), gettext_lazy("Hủy giao dịch"), ("payer", "cashier")),
    },
    PaymentEvent.Kind.RECEIPT: {
        "void": Transition((R.ISSUED,), (R.VOIDED,), gettext_lazy("Hủy biên lai"), ("leader",)),
    },
    PaymentEvent.Kind.REFUND: {
        "approve": Transition((F.REQUESTED,), (F.APPROVED,), gettext_lazy("Duyệt hoàn phí"), ("leader",)),
        "reject": Transition((F.REQUESTED,), (F.REJECTED,), gettext_lazy("Từ chối hoàn phí"), ("leader",)),
    },
    PaymentEvent.Kind.BOOK: {
        "close": Transition((B.OPEN,), (B.CLOSED,), gettext_lazy("Khóa sổ"), ("leader",)),
    },
}

# The actions that make a row, and the statuses it may be born in.
CREATIONS: dict[str, dict[str, Transition]] = {
    PaymentEvent.Kind.FEE_LINE: {
        "compute": Transition(
            (), (L.DUE, L.EXEMPT), gettext_lazy("Tính phí, lệ phí theo quy định"), ("cashier",)
        ),
    },
    PaymentEvent.Kind.BOOK: {
        "open": Transition((), (B.OPEN,), gettext_lazy("Mở quyển biên lai"), ("leader",)),
    },
}

KIND_OF = {
    FeeLine: PaymentEvent.Kind.FEE_LINE,
    Payment: PaymentEvent.Kind.PAYMENT,
    Receipt: PaymentEvent.Kind.RECEIPT,
    Refund: PaymentEvent.Kind.REFUND,
    ReceiptBook: PaymentEvent.Kind.BOOK,
}


class TransitionRefused(ValidationError):
    """The table does not allow this action from the row's current status (nothing was changed)."""


def allowed(obj, action: str) -> bool:
    step = TRANSITIONS[KIND_OF[type(obj)]].get(action)
    return step is not None and obj.status in step.sources


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return ""
    return actor.get_full_name() if hasattr(actor, "get_full_name") else str(actor)


def _dossier_id(obj):
    if isinstance(obj, FeeLine | Payment):
        return obj.dossier_id
    if isinstance(obj, Receipt):
        return obj.dossier_id
    return obj.receipt.dossier_id if isinstance(obj, Refund) else None  # a receipt book: no dossier


def _event(kind, row, action, from_status, to_status, actor, note) -> PaymentEvent:
    return PaymentEvent.objects.create(
        kind=kind,
        object_id=row.pk,
        action=action,
        from_status=from_status,
        to_status=to_status,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor)[:255],
        note=str(note)[:500],
        dossier_id=_dossier_id(row),
    )


def create(obj, action: str, *, actor=None, note: str = ""):
    """Save the new row `obj` (a fee line or a receipt book) made by `action`, whose status must be one the
    action may give it, and append its first history row; returns `obj`."""
    kind = KIND_OF[type(obj)]
    step = CREATIONS.get(kind, {}).get(action)
    if step is None:
        raise ValueError(f"unknown {kind} creation {action!r}")
    if obj.pk is not None and not obj._state.adding:
        raise ValueError(f"{kind} action {action!r} makes a new row")
    if obj.status not in step.targets:
        raise ValueError(f"{kind} action {action!r} cannot make a row in status {obj.status!r}")
    with transaction.atomic():
        obj.save()
        _event(kind, obj, action, "", obj.status, actor, note)
    return obj


def transition(obj, action: str, *, to: str | None = None, actor=None, note: str = "", **changes):
    """Move `obj` (a fee line, payment, receipt or refund) by `action` to status `to` (the action's only target
    when omitted), setting the other fields in `changes`; returns the locked, saved row."""
    model = type(obj)
    kind = KIND_OF[model]
    step = TRANSITIONS[kind].get(action)
    if step is None:
        raise ValueError(f"unknown {kind} action {action!r}")
    target = to if to is not None else (step.targets[0] if len(step.targets) == 1 else None)
    if target not in step.targets:
        raise ValueError(f"{kind} action {action!r} cannot lead to {to!r}")
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=obj.pk)
        if row.status not in step.sources:
            raise TransitionRefused(
                _("Không thể “%(action)s”: %(object)s đang ở trạng thái “%(status)s”.")
                % {
                    "action": step.label,
                    "object": model._meta.verbose_name,
                    "status": row.get_status_display(),
                },
                code="transition_refused",
            )
        from_status = row.status
        row.status = target
        for name, value in changes.items():
            setattr(row, name, value)
        row.save(update_fields=["status", *changes])
        _event(kind, row, action, from_status, target, actor, note)
    for name in ("status", *changes):
        setattr(obj, name, getattr(row, name))
    return row


def history(obj):
    """The state changes of one row, oldest first."""
    return PaymentEvent.objects.filter(kind=KIND_OF[type(obj)], object_id=obj.pk)
