"""Monitoring data: the due instants of every open dossier, reminders (đôn đốc), digests and notifications.

`DueWatch` holds one row per open dossier (received, in a step, or paused) with the instants at which it
becomes near due and badly overdue, for the dossier and for its current step. Rows are kept in step with the
dossier on every save (`watch.on_dossier_saved`) and removed when the dossier leaves the open states, so the
dashboard and the lists filter and count over stored instants with indexes, never per-row Python.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DueState(models.TextChoices):
    """The due state of an open dossier or step (the words of UX.md: "Tới hạn", "Quá hạn")."""

    ON_TRACK = "on_track", _("Trong hạn")
    NEAR_DUE = "near_due", _("Sắp đến hạn")
    DUE_TODAY = "due_today", _("Đến hạn hôm nay")
    OVERDUE = "overdue", _("Quá hạn")
    BADLY_OVERDUE = "badly_overdue", _("Quá hạn nghiêm trọng")
    PAUSED = "paused", _("Tạm dừng")


class DueWatch(models.Model):
    """The stored due instants of one open dossier (see the module docstring)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="due_watch",
        verbose_name=_("Hồ sơ"),
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("Cơ quan đang xử lý"),
    )
    resolving_agency = models.ForeignKey(
        "org.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("Cơ quan giải quyết")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người đang xử lý"),
    )
    held_since = models.DateTimeField(_("Nhận bước lúc"), null=True, blank=True)
    paused = models.BooleanField(_("Tạm dừng"), default=False)
    received_at = models.DateTimeField(_("Ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("Hạn giải quyết"), null=True, blank=True)
    near_due_at = models.DateTimeField(_("Sắp đến hạn từ"), null=True, blank=True)
    badly_overdue_at = models.DateTimeField(_("Quá hạn nghiêm trọng từ"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("Hạn xử lý của bước"), null=True, blank=True)
    step_near_due_at = models.DateTimeField(_("Bước sắp đến hạn từ"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("Ngày hẹn trả"), null=True, blank=True)
    apology_from = models.DateTimeField(_("Nhắc phiếu xin lỗi từ"), null=True, blank=True)
    apology_until = models.DateTimeField(_("Hạn gửi phiếu xin lỗi"), null=True, blank=True)
    synced_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Hạn xử lý hồ sơ đang theo dõi")
        verbose_name_plural = _("Hạn xử lý hồ sơ đang theo dõi")
        indexes = [
            models.Index(fields=["paused", "due_at"], name="watch_paused_due_idx"),
            models.Index(fields=["agency", "paused", "due_at"], name="watch_agency_due_idx"),
            models.Index(fields=["holder", "paused", "due_at"], name="watch_holder_due_idx"),
            models.Index(fields=["paused", "near_due_at"], name="watch_near_due_idx"),
            models.Index(fields=["paused", "step_due_at"], name="watch_step_due_idx"),
            # the counts of the lists (overdue, due today, near due): an index-only range scan of the running
            # rows' due instants, without reading the table
            models.Index(
                fields=["due_at"],
                include=["near_due_at", "badly_overdue_at"],
                condition=Q(paused=False),
                name="watch_running_due_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class Reminder(models.Model):
    """One reminder (đôn đốc) about one dossier to one person: the dossier's reminder history."""

    class Level(models.TextChoices):
        HOLDER = "holder", _("Người đang xử lý")
        LEADER = "leader", _("Lãnh đạo cơ quan")
        DIRECTOR = "director", _("Giám đốc trung tâm")

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Tự động theo lịch")
        MANUAL = "manual", _("Đôn đốc trực tiếp")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("Hồ sơ")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("Người nhận"),
    )
    level = models.CharField(_("Cấp đôn đốc"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("Hình thức"), max_length=10, choices=Kind.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_sent",
        verbose_name=_("Người đôn đốc"),
    )
    day = models.DateField(_("Ngày"))
    created_at = models.DateTimeField(_("Thời điểm"))
    due_state = models.CharField(_("Tình trạng hạn"), max_length=20, choices=DueState.choices)
    due_at = models.DateTimeField(_("Hạn giải quyết"), null=True, blank=True)
    note = models.TextField(_("Nội dung"), blank=True)
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("Bản tin"),
    )

    class Meta:
        ordering = ["dossier", "created_at", "id"]
        verbose_name = _("Đôn đốc")
        verbose_name_plural = _("Lịch sử đôn đốc")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "recipient", "day"],
                condition=Q(kind="scheduled"),
                name="one_scheduled_reminder_per_dossier_person_day",
            )
        ]
        indexes = [models.Index(fields=["recipient", "day"], name="reminder_recipient_day_idx")]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.recipient} ({self.day:%d/%m/%Y})"


class Digest(models.Model):
    """The one daily digest of scheduled reminders a person receives (by e-mail and in the app)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_digests",
        verbose_name=_("Người nhận"),
    )
    day = models.DateField(_("Ngày"))
    created_at = models.DateTimeField(_("Thời điểm"))
    emailed = models.BooleanField(_("Đã gửi thư điện tử"), default=False)

    class Meta:
        ordering = ["-day", "recipient"]
        verbose_name = _("Bản tin đôn đốc hằng ngày")
        verbose_name_plural = _("Bản tin đôn đốc hằng ngày")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_person_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day:%d/%m/%Y}"


class Notification(models.Model):
    """A message shown to a staff member in the app (Thông báo)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Người nhận"),
    )
    created_at = models.DateTimeField(_("Thời điểm"))
    title = models.CharField(_("Tiêu đề"), max_length=300)
    body = models.TextField(_("Nội dung"), blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Hồ sơ"),
    )
    read_at = models.DateTimeField(_("Đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Thông báo")
        verbose_name_plural = _("Thông báo")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class RecommendationWatch(models.Model):
    """The stored due instants of one recommendation (kiến nghị, phản ánh) awaiting an answer.

    One row per recommendation that is not answered yet, kept in step on every save of the recommendation
    (`recommendation_watch.on_recommendation_saved`) and removed once it is answered. `agency` is the agency
    that must answer (empty: not assigned yet, still with the center); `held_since` is when it got it.
    """

    recommendation = models.OneToOneField(
        "feedback.Recommendation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="due_watch",
        verbose_name=_("Kiến nghị, phản ánh"),
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cơ quan xử lý"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người giao xử lý"),
    )
    held_since = models.DateTimeField(_("Nhận xử lý lúc"))
    received_at = models.DateTimeField(_("Ngày gửi"))
    due_at = models.DateTimeField(_("Hạn trả lời"), null=True, blank=True)
    near_due_at = models.DateTimeField(_("Sắp đến hạn từ"), null=True, blank=True)
    badly_overdue_at = models.DateTimeField(_("Quá hạn nghiêm trọng từ"), null=True, blank=True)
    synced_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Hạn trả lời kiến nghị đang theo dõi")
        verbose_name_plural = _("Hạn trả lời kiến nghị đang theo dõi")
        indexes = [
            models.Index(fields=["due_at", "received_at"], name="recwatch_due_idx"),
            models.Index(fields=["agency", "due_at"], name="recwatch_agency_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}"
