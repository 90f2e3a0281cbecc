"""Notification templates (edited by administrators) and the notifications sent from them (the outbox)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import audited


class Event(models.TextChoices):
    """What a citizen is told about."""

    RECEIVED = "received", _("Hồ sơ được tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    NOT_ACCEPTED = "not_accepted", _("Hồ sơ không được tiếp nhận")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu thanh toán phí, lệ phí")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


@audited()
class NotificationTemplate(models.Model):
    """The text of one event's notification on one channel, in Django template syntax.

    Variables: {{ code }}, {{ procedure }}, {{ applicant }}, {{ status }}, {{ received_at }},
    {{ appointment_at }}, {{ items }}, {{ reason }}, {{ amount }}, {{ link }}, {{ lookup_link }},
    {{ evaluation_link }}, {{ bring }}.
    """

    event = models.CharField(_("Sự kiện"), max_length=40, choices=Event.choices)
    channel = models.CharField(_("Kênh"), max_length=10, choices=ChannelKind.choices)
    subject = models.CharField(_("Tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("Nội dung"))
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Mẫu thông báo")
        verbose_name_plural = _("Mẫu thông báo")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="unique_template_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} — {self.get_channel_display()}"


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        """Notifications to (re)try now."""
        now = now or timezone.now()
        return self.filter(status__in=[Notification.Status.PENDING, Notification.Status.FAILED]).filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )


class Notification(models.Model):
    """One message to one recipient on one channel: the outbox row, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
        GAVE_UP = "gave_up", _("Gửi lỗi, đã hết số lần thử (cần xử lý)")

    event = models.CharField(_("Sự kiện"), max_length=40, choices=Event.choices)
    channel = models.CharField(_("Kênh"), max_length=10, choices=ChannelKind.choices)
    recipient = models.CharField(_("Người nhận"), max_length=254)
    subject = models.CharField(_("Tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("Nội dung"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("Hồ sơ"),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("Số lần gửi"), default=0)
    last_error = models.TextField(_("Lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("Gửi lại lúc"), null=True, blank=True)
    provider_reference = models.CharField(_("Mã của nhà cung cấp"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Gửi thành công lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Thông báo đã gửi")
        verbose_name_plural = _("Hộp thư đi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        value = self.recipient
        if "@" in value:
            name, _at, domain = value.partition("@")
            return (name[:2] + "•••@" + domain) if name else value
        return "•" * max(len(value) - 3, 0) + value[-3:]
