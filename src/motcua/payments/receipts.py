"""Receipt books and e-receipts: open, issue, void, replace, close; refunds with a leader's approval.

Every mutation has one shape: validate everything first (bad input changes nothing), then one transaction that
locks the row it changes (the book's counter row for a new number, the receipt for a void or refund) and appends
rows; nothing is ever deleted.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.permissions import has_role

from . import transmission, workflow
from .models import Channel, FeeKind, PaymentMethod, Receipt, ReceiptBook, ReceiptItem, Refund
from .words import format_vnd

MAX_AMOUNT = 10**13  # ten thousand billion đồng: far above any fee, guards against typing errors


@dataclass(frozen=True)
class Item:
    """One line to put on a receipt."""

    kind: str
    description: str
    unit_amount: int
    quantity: int = 1

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "description": self.description,
            "unit_amount": self.unit_amount,
            "quantity": self.quantity,
        }


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def can_collect(user, agency) -> bool:
    """May this staff member collect fees for the agency (cashier work belongs to the reception officers)?"""
    return has_role(user, "reception_officer", agency=agency)


def can_manage_books(user, agency) -> bool:
    return has_role(user, "leader", agency=agency) or has_role(user, "administrator", agency=agency)


def clean_items(items) -> list[Item]:
    """Check the lines of a receipt or a payment; raise ValidationError in Vietnamese."""
    cleaned: list[Item] = []
    items = list(items or [])
    if not items:
        raise ValidationError(_("Biên lai phải có ít nhất một khoản thu."))
    for index, raw in enumerate(items, start=1):
        item = raw if isinstance(raw, Item) else Item(**raw)
        if item.kind not in FeeKind.values:
            raise ValidationError(_("Dòng %(n)s: loại khoản thu phải là phí hoặc lệ phí.") % {"n": index})
        if not (item.description or "").strip():
            raise ValidationError(_("Dòng %(n)s: chưa nhập nội dung khoản thu.") % {"n": index})
        if not isinstance(item.quantity, int) or isinstance(item.quantity, bool) or item.quantity < 1:
            raise ValidationError(_("Dòng %(n)s: số lượng phải là số nguyên từ 1 trở lên.") % {"n": index})
        if (
            not isinstance(item.unit_amount, int)
            or isinstance(item.unit_amount, bool)
            or not 0 < item.unit_amount < MAX_AMOUNT
        ):
            raise ValidationError(
                _("Dòng %(n)s: đơn giá phải là số tiền nguyên đồng lớn hơn 0.") % {"n": index}
            )
        cleaned.append(
            Item(item.kind, item.description.strip(), item.unit_amount, item.quantity),
        )
    if sum(i.amount for i in cleaned) >= MAX_AMOUNT:
        raise ValidationError(_("Tổng số tiền vượt quá giới hạn cho phép."))
    return cleaned


# --- receipt books -----------------------------------------------------------------------------------------


def open_book(
    agency, *, template_no: str, series: str, by, first_number: int = 1, capacity: int | None = None, name=""
) -> ReceiptBook:
    """Open a receipt book for a (mẫu số, ký hiệu) series of the agency."""
    _require(
        can_manage_books(by, agency), _("Chỉ lãnh đạo hoặc quản trị của cơ quan được mở quyển biên lai.")
    )
    book = ReceiptBook(
        agency=agency,
        template_no=(template_no or "").strip(),
        series=(series or "").strip(),
        name=name,
        first_number=first_number,
        last_number=first_number - 1,
        capacity=capacity,
        opened_by=by,
    )
    if first_number < 1:
        raise ValidationError({"first_number": _("Số bắt đầu phải từ 1 trở lên.")})
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("Số lượng biên lai phải từ 1 trở lên.")})
    book.full_clean(exclude=["last_number"])
    return workflow.create(book, "open", actor=by, note=f"{book.template_no} {book.series}")


def close_book(book: ReceiptBook, *, by, note: str = "") -> ReceiptBook:
    """Close a book: no more numbers are taken from it; its receipts stay as they are."""
    _require(can_manage_books(by, book.agency), _("Chỉ lãnh đạo hoặc quản trị của cơ quan được khóa sổ."))
    try:
        return workflow.transition(
            book, "close", actor=by, note=note, closed_at=timezone.now(), closed_by=by, close_note=note
        )
    except workflow.TransitionRefused:
        raise ValidationError(_("Quyển biên lai này đã khóa sổ.")) from None


def open_book_for(agency) -> ReceiptBook | None:
    """The book a new receipt of the agency is taken from: its oldest open book that still has numbers."""
    for book in ReceiptBook.objects.filter(agency=agency, status=ReceiptBook.Status.OPEN).order_by(
        "opened_at", "id"
    ):
        if book.last_allowed_number is None or book.last_number < book.last_allowed_number:
            return book
    return None


# --- receipts ----------------------------------------------------------------------------------------------


def _check_payer_and_method(book, payer_name, method, terminal_reference, collector, payment) -> None:
    """Refuse a missing payer, an unknown method, a card without POS reference, online without a transaction."""
    if not payer_name:
        raise ValidationError({"payer_name": _("Chưa nhập họ tên người nộp tiền.")})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Hình thức thanh toán không hợp lệ.")})
    if method == PaymentMethod.CARD and not terminal_reference:
        raise ValidationError(
            {
                "terminal_reference": _(
                    "Thanh toán bằng thẻ phải nhập mã tham chiếu in trên hóa đơn của máy POS."
                )
            }
        )
    if method == PaymentMethod.ONLINE:
        if payment is None:
            raise ValidationError(_("Biên lai thanh toán trực tuyến phải gắn với một giao dịch."))
    else:
        _require(
            can_collect(collector, book.agency),
            _("Bạn không có quyền thu phí, lệ phí cho cơ quan này."),
        )


def _take_next_number(book: ReceiptBook) -> tuple[ReceiptBook, int]:
    """Lock the book, refuse it when closed or full, and advance its counter; inside the caller's transaction."""
    book = ReceiptBook.objects.select_for_update().get(pk=book.pk)
    if not book.is_open:
        raise ValidationError(_("Quyển biên lai %(series)s đã khóa sổ.") % {"series": book.series})
    number = book.last_number + 1
    if book.last_allowed_number is not None and number > book.last_allowed_number:
        raise ValidationError(
            _("Quyển biên lai %(series)s đã hết số; hãy mở quyển mới.") % {"series": book.series}
        )
    book.last_number = number
    book.save(update_fields=["last_number"])
    return book, number


def _add_items(receipt: Receipt, items) -> None:
    """Store the receipt's lines, numbered from 1 in the given order."""
    ReceiptItem.objects.bulk_create(
        ReceiptItem(
            receipt=receipt,
            position=position,
            kind=item.kind,
            description=item.description,
            quantity=item.quantity,
            unit_amount=item.unit_amount,
            amount=item.amount,
        )
        for position, item in enumerate(items, start=1)
    )


def issue_receipt(
    book: ReceiptBook,
    *,
    items,
    payer_name: str,
    method: str,
    collector=None,
    payer_id_number: str = "",
    payer_address: str = "",
    terminal_reference: str = "",
    note: str = "",
    dossier_code: str = "",
    dossier=None,
    payment=None,
    replaces: Receipt | None = None,
    issued_at=None,
) -> Receipt:
    """Issue the next receipt of the book. Its number is the book's counter + 1, taken under a row lock."""
    items = clean_items(items)
    payer_name = (payer_name or "").strip()
    terminal_reference = (terminal_reference or "").strip()
    _check_payer_and_method(book, payer_name, method, terminal_reference, collector, payment)
    with transaction.atomic():
        book, number = _take_next_number(book)
        receipt = Receipt.objects.create(
            book=book,
            number=number,
            payer_name=payer_name,
            payer_id_number=(payer_id_number or "").strip(),
            payer_address=(payer_address or "").strip(),
            method=method,
            channel=Channel.ONLINE if method == PaymentMethod.ONLINE else Channel.COUNTER,
            terminal_reference=terminal_reference,
            collector=collector,
            issued_at=issued_at or timezone.now(),
            total=sum(item.amount for item in items),
            note=note,
            dossier_code=dossier_code or getattr(dossier, "code", ""),
            dossier=dossier,
            payment=payment,
            replaces=replaces,
        )
        _add_items(receipt, items)
    return receipt


def _check_can_void(receipt: Receipt, by) -> None:
    agency = receipt.book.agency
    _require(
        can_collect(by, agency) or has_role(by, "leader", agency=agency),
        _("Bạn không có quyền hủy biên lai của cơ quan này."),
    )


def void_receipt(receipt: Receipt, *, by, reason: str) -> Receipt:
    """Void a receipt with a reason. The receipt and its number stay on record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nhập lý do hủy biên lai.")})
    _check_can_void(receipt, by)
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        _void_locked(receipt, by, reason)
    return receipt


def _void_locked(receipt: Receipt, by, reason: str) -> None:
    if receipt.status == Receipt.Status.VOIDED:
        raise ValidationError(_("Biên lai số %(n)s đã bị hủy trước đó.") % {"n": receipt.number_display})
    if receipt.refunds.exclude(status=Refund.Status.REJECTED).exists():
        raise ValidationError(_("Biên lai đã có đề nghị hoàn phí nên không thể hủy."))
    workflow.transition(
        receipt, "void", actor=by, note=reason, voided_at=timezone.now(), voided_by=by, void_reason=reason
    )
    transmission.on_voided(receipt)


def replace_receipt(receipt: Receipt, *, by, reason: str, items=None, **changes) -> Receipt:
    """Void a wrong receipt and issue its replacement (next number of the same book) in one transaction.

    `items` and the payer fields in `changes` correct the original; whatever is not given is copied.
    """
    allowed = {"payer_name", "payer_id_number", "payer_address", "method", "terminal_reference", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"replace_receipt() got unexpected fields {sorted(unknown)}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nhập lý do hủy biên lai.")})
    _check_can_void(receipt, by)
    if items is None:
        items = [Item(i.kind, i.description, i.unit_amount, i.quantity) for i in receipt.items.all()]
    fields = {
        "payer_name": receipt.payer_name,
        "payer_id_number": receipt.payer_id_number,
        "payer_address": receipt.payer_address,
        "method": receipt.method,
        "terminal_reference": receipt.terminal_reference,
        "note": receipt.note,
    } | changes
    clean_items(items)
    with transaction.atomic():
        original = Receipt.objects.select_for_update().get(pk=receipt.pk)
        _void_locked(original, by, reason)
        book = original.book if original.book.is_open else open_book_for(original.book.agency)
        if book is None:
            raise ValidationError(_("Cơ quan không còn quyển biên lai nào đang sử dụng."))
        return issue_receipt(
            book,
            items=items,
            collector=by if fields["method"] != PaymentMethod.ONLINE else None,
            dossier_code=original.dossier_code,
            dossier=original.dossier,
            payment=original.payment,
            replaces=original,
            **fields,
        )


# --- refunds -----------------------------------------------------------------------------------------------


def request_refund(receipt: Receipt, *, by, amount: int, reason: str, bank_account: str = "") -> Refund:
    """Ask to return all or part of a receipt's amount; a leader of the agency approves it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nhập lý do hoàn phí.")})
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({"amount": _("Số tiền hoàn phải lớn hơn 0.")})
    agency = receipt.book.agency
    _require(
        can_collect(by, agency) or has_role(by, "leader", agency=agency),
        _("Bạn không có quyền đề nghị hoàn phí cho cơ quan này."),
    )
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status != Receipt.Status.ISSUED:
            raise ValidationError(_("Không thể hoàn phí trên biên lai đã hủy."))
        committed = sum(r.amount for r in receipt.refunds.all() if r.status != Refund.Status.REJECTED)
        if committed + amount > receipt.total:
            raise ValidationError(
                {
                    "amount": _("Số tiền hoàn vượt quá số còn lại có thể hoàn (%(left)s).")
                    % {"left": format_vnd(receipt.total - committed)}
                }
            )
        return Refund.objects.create(
            receipt=receipt, amount=amount, reason=reason, bank_account=bank_account, requested_by=by
        )


def decide_refund(refund: Refund, *, by, approve: bool, note: str = "") -> Refund:
    """A leader of the collecting agency approves or rejects a refund request (not their own request)."""
    agency = refund.receipt.book.agency
    _require(has_role(by, "leader", agency=agency), _("Chỉ lãnh đạo cơ quan thu được phê duyệt hoàn phí."))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Phải nêu lý do khi từ chối hoàn phí.")})
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.requested_by_id == getattr(by, "pk", None):
            raise PermissionDenied(_("Người đề nghị hoàn phí không được tự phê duyệt."))
        if refund.status != Refund.Status.REQUESTED:
            raise ValidationError(_("Đề nghị hoàn phí này đã được xử lý."))
        refund = workflow.transition(
            refund,
            "approve" if approve else "reject",
            actor=by,
            note=(note or "").strip(),
            decided_by=by,
            decided_at=timezone.now(),
            decision_note=(note or "").strip(),
        )
    return refund
