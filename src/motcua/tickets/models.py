"""Queue tickets (xếp hàng, bốc số thứ tự) of a center: what a visitor can take a ticket for, and the tickets.

A ticket kind (loại vé) is a service area of the center (e.g. "Tư pháp – Hộ tịch") with its letter (A, B, …) and
the counters that serve it. A ticket is numbered per kind and per day from the database (`numbering.py`), waits,
is called to a counter, and ends served or skipped; a priority ticket (elderly, disabled, pregnant) is called
before the others.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.org.models import Center, Counter

NUMBER_DIGITS = 3


class TicketKind(models.Model):
    """A service a visitor can take a ticket for, and the counters that serve it."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="ticket_kinds", verbose_name=_("Trung tâm")
    )
    key = models.SlugField(_("Mã"), max_length=40, help_text=_("Dùng trong API của máy lấy số."))
    letter = models.CharField(
        _("Chữ cái đầu số"), max_length=2, help_text=_("Số thứ tự có dạng chữ cái và ba chữ số, ví dụ A001.")
    )
    label = models.CharField(_("Tên dịch vụ"), max_length=200)
    counters = models.ManyToManyField(
        Counter, related_name="ticket_kinds", blank=True, verbose_name=_("Quầy phục vụ")
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự hiển thị"), default=0)
    is_active = models.BooleanField(_("Đang phát số"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["center", "position", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["center", "key"], name="unique_ticket_kind_key"),
            models.UniqueConstraint(fields=["center", "letter"], name="unique_ticket_kind_letter"),
        ]
        verbose_name = _("Loại số thứ tự")
        verbose_name_plural = _("Loại số thứ tự")

    def __str__(self) -> str:
        return f"{self.letter} — {self.label}"


class TicketNumberCounter(models.Model):
    """The last number given for a kind on a day (one row per kind and day, taken by one upsert)."""

    kind = models.ForeignKey(TicketKind, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="unique_ticket_number_day")]

    def __str__(self) -> str:
        return f"{self.kind_id} {self.day}: {self.last_number}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đang phục vụ")
        SERVED = "served", _("Đã phục vụ")
        SKIPPED = "skipped", _("Vắng mặt, đã bỏ qua")

    class Priority(models.TextChoices):
        ELDERLY = "elderly", _("Người cao tuổi")
        DISABLED = "disabled", _("Người khuyết tật")
        PREGNANT = "pregnant", _("Phụ nữ mang thai")
        OTHER = "other", _("Ưu tiên khác")

    kind = models.ForeignKey(
        TicketKind, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("Loại số thứ tự")
    )
    day = models.DateField(_("Ngày"))
    number = models.PositiveIntegerField(_("Số"))
    code = models.CharField(_("Số thứ tự"), max_length=12)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    priority = models.BooleanField(_("Ưu tiên"), default=False)
    priority_reason = models.CharField(
        _("Đối tượng ưu tiên"), max_length=20, choices=Priority.choices, blank=True
    )
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField(_("Lấy số lúc"))
    queued_at = models.DateTimeField(
        _("Vị trí trong hàng"), help_text=_("Thời điểm xếp hàng; giữ nguyên khi chuyển quầy.")
    )
    target_counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Chuyển đến quầy"),
    )
    counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("Quầy"),
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cán bộ gọi số"),
    )
    first_called_at = models.DateTimeField(_("Gọi lần đầu lúc"), null=True, blank=True)
    called_at = models.DateTimeField(_("Gọi lúc"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("Số lần gọi"), default=0)
    finished_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    transfer_count = models.PositiveSmallIntegerField(_("Số lần chuyển quầy"), default=0)
    dossiers = models.ManyToManyField(
        Dossier, related_name="queue_tickets", blank=True, verbose_name=_("Hồ sơ đã tiếp nhận")
    )

    class Meta:
        ordering = ["day", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "day", "number"], name="unique_ticket_number"),
        ]
        indexes = [
            models.Index(fields=["day", "status", "kind"], name="ticket_day_status"),
            models.Index(fields=["counter", "status"], name="ticket_counter_status"),
        ]
        verbose_name = _("Số thứ tự")
        verbose_name_plural = _("Số thứ tự")

    def __str__(self) -> str:
        return f"{self.code} ({self.day:%d/%m/%Y})"


def format_number(letter: str, number: int) -> str:
    return f"{letter}{number:0{NUMBER_DIGITS}d}"
