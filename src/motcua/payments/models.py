"""Fees and charges: receipt books, e-receipts, refunds and online payments.

Money is never lost, counted twice or left unexplained:
- a receipt book (quyển biên lai: mẫu số + ký hiệu, per agency) hands out numbers from a counter row that is
  locked while a receipt is issued, so numbers have no gap and no duplicate whatever the concurrency;
- receipts, their items, refunds, payments and gateway callbacks are never deleted: a wrong receipt is voided
  with a reason (and may be replaced by a new one), a returned amount is a refund approved by a leader;
- every callback of a payment gateway is recorded with what was decided about it.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import register as audit
from motcua.org.models import Agency

from .words import amount_in_words, format_vnd


class AppendOnlyError(Exception):
    """Raised when code tries to delete a financial record."""


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted")


def new_verification_code() -> str:
    """The unguessable code printed in a receipt's QR link, so anyone holding the receipt can check it."""
    return secrets.token_hex(10)


class FeeKind(models.TextChoices):
    SERVICE_FEE = "service_fee", _("Phí")
    ADMIN_CHARGE = "admin_charge", _("Lệ phí")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản")
    CARD = "card", _("Thẻ (máy POS)")
    ONLINE = "online", _("Thanh toán trực tuyến")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Tại quầy")
    ONLINE = "online", _("Trực tuyến")


series_validator = RegexValidator(
    r"^[A-Za-z0-9/\-.]+$", _("Chỉ dùng chữ cái không dấu, chữ số và các ký tự / - .")
)


class ReceiptBook(AppendOnlyModel):
    """A receipt book: one (mẫu số, ký hiệu) series of an agency, whose numbers are never reused."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang sử dụng")
        CLOSED = "closed", _("Đã khóa sổ")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="receipt_books", verbose_name=_("Cơ quan thu")
    )
    template_no = models.CharField(_("Mẫu số"), max_length=30, validators=[series_validator])
    series = models.CharField(_("Ký hiệu"), max_length=30, validators=[series_validator])
    name = models.CharField(_("Tên quyển"), max_length=200, blank=True)
    tax_code = models.CharField(
        _("Mã số thuế của cơ quan thu"),
        max_length=14,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{10}(-\d{3})?$", _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu “-” và 3 chữ số.")
            )
        ],
        help_text=_("In trên biên lai và trong dữ liệu XML gửi cơ quan thuế."),
    )
    first_number = models.PositiveIntegerField(_("Số bắt đầu"), default=1)
    last_number = models.PositiveIntegerField(
        _("Số đã cấp gần nhất"), default=0, help_text=_("Bộ đếm; chỉ hệ thống được thay đổi.")
    )
    capacity = models.PositiveIntegerField(
        _("Số lượng biên lai"), null=True, blank=True, help_text=_("Để trống nếu không giới hạn.")
    )
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("Ngày mở sổ"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(_("Ngày khóa sổ"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    close_note = models.CharField(_("Ghi chú khóa sổ"), max_length=500, blank=True)

    class Meta:
        ordering = ["agency", "opened_at", "id"]
        verbose_name = _("Quyển biên lai")
        verbose_name_plural = _("Quyển biên lai")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "template_no", "series"], name="unique_receipt_series_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_no} – {self.series} ({self.agency.short_name or self.agency.name})"

    def clean(self):
        """A new book's symbols, year and number range follow the e-receipt rules (`symbols`); an existing book
        keeps the symbols it was opened with."""
        super().clean()
        if self._state.adding:
            from .symbols import validate_book

            validate_book(self.template_no, self.series, self.first_number, self.capacity)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def last_allowed_number(self) -> int | None:
        return None if self.capacity is None else self.first_number + self.capacity - 1

    @property
    def issued_count(self) -> int:
        return max(0, self.last_number - self.first_number + 1)


class Receipt(AppendOnlyModel):
    """An e-receipt (biên lai điện tử) for fees and charges; voided with a reason, never deleted."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Đã phát hành")
        VOIDED = "voided", _("Đã hủy")

    book = models.ForeignKey(
        ReceiptBook, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("Quyển biên lai")
    )
    number = models.PositiveIntegerField(_("Số biên lai"))
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    payer_name = models.CharField(_("Người nộp"), max_length=200)
    payer_id_number = models.CharField(_("Số giấy tờ người nộp"), max_length=30, blank=True)
    payer_address = models.CharField(_("Địa chỉ người nộp"), max_length=300, blank=True)
    method = models.CharField(_("Hình thức thanh toán"), max_length=20, choices=PaymentMethod.choices)
    channel = models.CharField(_("Kênh thu"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    terminal_reference = models.CharField(
        _("Mã tham chiếu giao dịch"),
        max_length=100,
        blank=True,
        help_text=_("Mã chuẩn chi của máy POS, mã giao dịch chuyển khoản hoặc mã giao dịch trực tuyến."),
    )
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="collected_receipts",
        null=True,
        blank=True,
        verbose_name=_("Người thu"),
    )
    issued_at = models.DateTimeField(_("Thời điểm thu"))
    total = models.PositiveBigIntegerField(_("Tổng số tiền (đồng)"))
    note = models.CharField(_("Nội dung thu"), max_length=500, blank=True)
    dossier_code = models.CharField(_("Mã hồ sơ"), max_length=60, blank=True, db_index=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="receipts",
        null=True,
        blank=True,
        verbose_name=_("Hồ sơ"),
    )
    payment = models.ForeignKey(
        "Payment",
        on_delete=models.PROTECT,
        related_name="receipts",
        null=True,
        blank=True,
        verbose_name=_("Giao dịch trực tuyến"),
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
        verbose_name=_("Thay thế biên lai"),
    )
    verification_code = models.CharField(
        _("Mã tra cứu"), max_length=32, unique=True, default=new_verification_code, editable=False
    )
    voided_at = models.DateTimeField(_("Thời điểm hủy"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    void_reason = models.CharField(_("Lý do hủy"), max_length=500, blank=True)

    class Meta:
        ordering = ["book", "number"]
        verbose_name = _("Biên lai")
        verbose_name_plural = _("Biên lai")
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="unique_receipt_number_per_book"),
        ]

    def __str__(self) -> str:
        return f"{self.book.series} – {self.number_display}"

    @property
    def number_display(self) -> str:
        return f"{self.number:07d}"

    @property
    def total_in_words(self) -> str:
        return amount_in_words(self.total)

    @property
    def total_display(self) -> str:
        return format_vnd(self.total)

    def kind_total(self, kind: str) -> int:
        return sum(item.amount for item in self.items.all() if item.kind == kind)

    @property
    def service_fee_total(self) -> int:
        return self.kind_total(FeeKind.SERVICE_FEE)

    @property
    def admin_charge_total(self) -> int:
        return self.kind_total(FeeKind.ADMIN_CHARGE)

    @property
    def refunded_total(self) -> int:
        return sum(r.amount for r in self.refunds.all() if r.status == Refund.Status.APPROVED)

    def _transmission(self, kind: str):
        return next((row for row in self.transmissions.all() if row.kind == kind), None)

    @property
    def transmission(self):
        """The outbox row sending this receipt to the tax authority (None when transmission is off)."""
        return self._transmission(ReceiptTransmission.Kind.RECEIPT)

    @property
    def cancellation_transmission(self):
        """The outbox row sending the cancellation of this voided receipt (None when nothing is to be sent)."""
        return self._transmission(ReceiptTransmission.Kind.CANCELLATION)


class ReceiptItem(AppendOnlyModel):
    """One line of a receipt: a fee (phí) or a state charge (lệ phí)."""

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="items", verbose_name=_("Biên lai")
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=1)
    kind = models.CharField(_("Loại"), max_length=20, choices=FeeKind.choices)
    description = models.CharField(_("Nội dung"), max_length=500)
    quantity = models.PositiveIntegerField(_("Số lượng"), default=1)
    unit_amount = models.PositiveBigIntegerField(_("Đơn giá (đồng)"))
    amount = models.PositiveBigIntegerField(_("Thành tiền (đồng)"))

    class Meta:
        ordering = ["receipt", "position", "id"]
        verbose_name = _("Dòng biên lai")
        verbose_name_plural = _("Dòng biên lai")

    def __str__(self) -> str:
        return f"{self.description}: {format_vnd(self.amount)}"


class Refund(AppendOnlyModel):
    """A refund (hoàn phí) of all or part of a receipt: requested with a reason, decided by a leader."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã hoàn phí")
        REJECTED = "rejected", _("Từ chối hoàn phí")

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("Biên lai")
    )
    amount = models.PositiveBigIntegerField(_("Số tiền hoàn (đồng)"))
    reason = models.CharField(_("Lý do hoàn phí"), max_length=500)
    bank_account = models.CharField(_("Tài khoản nhận hoàn phí"), max_length=200, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(_("Thời điểm đề nghị"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Người đề nghị")
    )
    decided_at = models.DateTimeField(_("Thời điểm phê duyệt"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Lãnh đạo phê duyệt"),
    )
    decision_note = models.CharField(_("Ý kiến phê duyệt"), max_length=500, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("Hoàn phí")
        verbose_name_plural = _("Hoàn phí")

    def __str__(self) -> str:
        return f"{self.receipt}: {format_vnd(self.amount)}"


def new_reference() -> str:
    return "MC" + secrets.token_hex(8).upper()


class Payment(AppendOnlyModel):
    """An online payment through a gateway (giao dịch thanh toán trực tuyến), keyed by our reference."""

    class Status(models.TextChoices):
        INITIATED = "initiated", _("Khởi tạo")
        PENDING = "pending", _("Chờ thanh toán")
        SUCCEEDED = "succeeded", _("Đã thanh toán")
        FAILED = "failed", _("Thanh toán không thành công")
        CANCELLED = "cancelled", _("Hủy thanh toán")
        EXPIRED = "expired", _("Hết hạn thanh toán")

    FINAL = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED, Status.EXPIRED)

    reference = models.CharField(_("Mã tham chiếu"), max_length=64, unique=True, default=new_reference)
    gateway = models.CharField(_("Cổng thanh toán"), max_length=50)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="payments", verbose_name=_("Cơ quan thu")
    )
    amount = models.PositiveBigIntegerField(_("Số tiền (đồng)"))
    description = models.CharField(_("Nội dung thanh toán"), max_length=300)
    items = models.JSONField(_("Các khoản nộp"), default=list)
    payer_name = models.CharField(_("Người nộp"), max_length=200)
    payer_id_number = models.CharField(_("Số giấy tờ người nộp"), max_length=30, blank=True)
    payer_address = models.CharField(_("Địa chỉ người nộp"), max_length=300, blank=True)
    dossier_code = models.CharField(_("Mã hồ sơ"), max_length=60, blank=True, db_index=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
        verbose_name=_("Hồ sơ"),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=Status.choices, default=Status.INITIATED, db_index=True
    )
    redirect_url = models.URLField(_("Địa chỉ trang thanh toán"), max_length=500, blank=True)
    transaction_id = models.CharField(_("Mã giao dịch"), max_length=100, blank=True)
    bank_code = models.CharField(_("Mã ngân hàng"), max_length=50, blank=True)
    gateway_time = models.DateTimeField(_("Thời điểm giao dịch tại cổng"), null=True, blank=True)
    failure_reason = models.CharField(_("Lý do"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("Thời điểm tạo"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Thời điểm xác nhận"), null=True, blank=True)
    check_attempts = models.PositiveSmallIntegerField(_("Số lần tra vấn"), default=0)
    next_check_at = models.DateTimeField(_("Tra vấn lần sau"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Giao dịch thanh toán trực tuyến")
        verbose_name_plural = _("Giao dịch thanh toán trực tuyến")

    def __str__(self) -> str:
        return f"{self.reference} ({format_vnd(self.amount)})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL


class PaymentCallback(AppendOnlyModel):
    """Every callback (IPN) a gateway sent, with the decision taken on it; the payment's audit trail."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Đã ghi nhận")
        DUPLICATE = "duplicate", _("Trùng lặp, không thay đổi")
        STALE = "stale", _("Đến sau kết quả cuối, không thay đổi")
        BAD_SIGNATURE = "bad_signature", _("Sai mã xác thực")
        MALFORMED = "malformed", _("Sai định dạng")
        UNKNOWN_PAYMENT = "unknown_payment", _("Không có giao dịch")
        AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
        REPLAYED = "replayed", _("Gửi lại quá hạn")
        CONFLICT = "conflict", _("Mâu thuẫn với giao dịch đã ghi nhận")

    REFUSED = (
        Outcome.BAD_SIGNATURE,
        Outcome.MALFORMED,
        Outcome.UNKNOWN_PAYMENT,
        Outcome.AMOUNT_MISMATCH,
        Outcome.REPLAYED,
        Outcome.CONFLICT,
    )

    gateway = models.CharField(_("Cổng thanh toán"), max_length=50)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="callbacks", null=True, blank=True
    )
    received_at = models.DateTimeField(_("Thời điểm nhận"), auto_now_add=True)
    source = models.CharField(_("Nguồn"), max_length=20, default="callback")
    payload = models.JSONField(_("Nội dung"))
    signature = models.CharField(_("Mã xác thực"), max_length=128, blank=True, db_index=True)
    outcome = models.CharField(_("Kết quả xử lý"), max_length=20, choices=Outcome.choices)
    message = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("Thông báo từ cổng thanh toán")
        verbose_name_plural = _("Thông báo từ cổng thanh toán")

    def __str__(self) -> str:
        return f"{self.gateway} {self.received_at:%d/%m/%Y %H:%M:%S} {self.outcome}"


def validate_positive_amount(value: int) -> None:
    if value is None or value <= 0:
        raise ValidationError(_("Số tiền phải lớn hơn 0."))


class FeeLine(models.Model):
    """One fee or charge a dossier owes, computed from the catalog's fee rule; adjusted only with a reason."""

    class Status(models.TextChoices):
        DUE = "due", _("Chờ thu phí")
        PAID = "paid", _("Đã thu phí")
        EXEMPT = "exempt", _("Miễn phí")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fee_lines", verbose_name=_("Hồ sơ")
    )
    fee = models.ForeignKey(
        "catalog.Fee",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fee_lines",
        verbose_name=_("Quy định thu"),
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=1)
    kind = models.CharField(_("Loại"), max_length=20, choices=FeeKind.choices)
    description = models.CharField(_("Nội dung"), max_length=500)
    basis = models.CharField(_("Cách tính"), max_length=10, default="fixed")
    quantity = models.PositiveIntegerField(_("Số lượng"), default=1)
    unit_amount = models.PositiveBigIntegerField(_("Đơn giá (đồng)"), default=0)
    rule_amount = models.PositiveBigIntegerField(
        _("Số tiền theo quy định (đồng)"), default=0, help_text=_("Trước miễn, giảm và điều chỉnh.")
    )
    amount = models.PositiveBigIntegerField(_("Số tiền phải nộp (đồng)"), default=0)
    online_reduction = models.BooleanField(_("Giảm khi nộp trực tuyến"), default=False)
    needs_amount = models.BooleanField(
        _("Chưa có mức thu"),
        default=False,
        help_text=_("Mức thu do HĐND tỉnh quy định; cán bộ thu nhập số tiền."),
    )
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.DUE)
    exemption_reason = models.CharField(_("Lý do miễn"), max_length=500, blank=True)
    adjustment_reason = models.CharField(_("Lý do điều chỉnh"), max_length=500, blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    adjusted_at = models.DateTimeField(_("Thời điểm điều chỉnh"), null=True, blank=True)
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="fee_lines", null=True, blank=True
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="fee_lines", null=True, blank=True
    )
    created_at = models.DateTimeField(_("Thời điểm tính"), auto_now_add=True)

    class Meta:
        ordering = ["dossier", "position", "id"]
        verbose_name = _("Khoản phí, lệ phí của hồ sơ")
        verbose_name_plural = _("Khoản phí, lệ phí của hồ sơ")

    def __str__(self) -> str:
        return f"{self.description}: {format_vnd(self.amount)}"


audit(ReceiptBook, agency="agency", exclude=("last_number",))  # the counter moves with every receipt
audit(Receipt, agency="book.agency")
audit(Refund, agency="receipt.book.agency")
audit(FeeLine, agency="dossier.agency")


class PaymentEvent(models.Model):
    """One state change of a fee line, online payment, receipt or refund (`workflow.transition`): the history
    of money, appended in the transaction of the change and never rewritten."""

    class Kind(models.TextChoices):
        FEE_LINE = "fee_line", _("Khoản phí, lệ phí")
        PAYMENT = "payment", _("Giao dịch thanh toán trực tuyến")
        RECEIPT = "receipt", _("Biên lai")
        REFUND = "refund", _("Hoàn phí")
        BOOK = "book", _("Quyển biên lai")

    kind = models.CharField(_("Loại"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("Mã đối tượng"))
    action = models.CharField(_("Thao tác"), max_length=30)
    from_status = models.CharField(_("Trạng thái trước"), max_length=12)
    to_status = models.CharField(_("Trạng thái sau"), max_length=12)
    at = models.DateTimeField(_("Thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Người thực hiện"),
    )
    actor_name = models.CharField(_("Tên người thực hiện"), max_length=255, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="payment_events",
        null=True,
        blank=True,
        verbose_name=_("Hồ sơ"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("Lịch sử thu phí, thanh toán")
        verbose_name_plural = _("Lịch sử thu phí, thanh toán")
        indexes = [models.Index(fields=["kind", "object_id"], name="payment_event_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("payment history rows are never rewritten")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("payment history rows are never deleted")


audit(Payment, agency="agency", exclude=("check_attempts", "next_check_at"))


class ReceiptTransmission(models.Model):
    """The outbox of e-receipts to the tax authority (`transmission`): at most one row per receipt and kind (the
    receipt itself; its cancellation once a transmitted receipt is voided), the signed XML as sent, and what the
    tax authority answered. Retried with backoff until accepted or refused."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Biên lai")
        CANCELLATION = "cancel", _("Thông báo hủy biên lai")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        ACCEPTED = "accepted", _("Cơ quan thuế đã tiếp nhận")
        REJECTED = "rejected", _("Cơ quan thuế từ chối")
        FAILED = "failed", _("Gửi không thành công")
        SKIPPED = "skipped", _("Không gửi: biên lai đã hủy trước khi gửi")

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="transmissions", verbose_name=_("Biên lai")
    )
    kind = models.CharField(_("Loại"), max_length=7, choices=Kind.choices, default=Kind.RECEIPT)
    connector = models.CharField(_("Kết nối"), max_length=50)
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    signed_xml = models.TextField(_("Dữ liệu biên lai đã ký (XML)"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("Số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("Gửi lần sau"), null=True, blank=True, db_index=True)
    tax_code = models.CharField(_("Mã tiếp nhận của cơ quan thuế"), max_length=100, blank=True)
    message = models.CharField(_("Trả lời của cơ quan thuế"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("Thời điểm tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Thời điểm gửi thành công"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "kind"], name="one_transmission_per_receipt_and_kind")
        ]
        verbose_name = _("Gửi biên lai tới cơ quan thuế")
        verbose_name_plural = _("Gửi biên lai tới cơ quan thuế")

    def __str__(self) -> str:
        return f"{self.receipt} ({self.kind}) → {self.connector}: {self.state}"
