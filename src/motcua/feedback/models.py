"""Satisfaction evaluations of a dossier (9 indicators) and recommendations (kiến nghị, phản ánh)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .indicators import OVERALL_CHOICES


class Evaluation(models.Model):
    """The applicant's evaluation of one dossier; one per dossier."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Cổng dịch vụ công")
        KIOSK = "kiosk", _("Thiết bị đánh giá tại quầy")
        LINK = "link", _("Đường dẫn trong thông báo")

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("Hồ sơ")
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("Cơ quan giải quyết"),
    )
    channel = models.CharField(_("Kênh đánh giá"), max_length=10, choices=Channel.choices)
    indicator_1 = models.PositiveSmallIntegerField(_("Chỉ số 1"))
    indicator_2 = models.PositiveSmallIntegerField(_("Chỉ số 2"))
    indicator_3 = models.PositiveSmallIntegerField(_("Chỉ số 3"))
    indicator_4 = models.PositiveSmallIntegerField(_("Chỉ số 4"))
    indicator_5 = models.PositiveSmallIntegerField(_("Chỉ số 5"))
    indicator_6 = models.PositiveSmallIntegerField(_("Chỉ số 6"))
    indicator_7 = models.PositiveSmallIntegerField(_("Chỉ số 7"))
    indicator_8 = models.PositiveSmallIntegerField(_("Chỉ số 8"))
    indicator_9 = models.PositiveSmallIntegerField(_("Chỉ số 9"))
    total_points = models.PositiveSmallIntegerField(_("Tổng điểm"))
    overall = models.CharField(_("Đánh giá chung"), max_length=20, choices=OVERALL_CHOICES)
    comment = models.TextField(_("Góp ý"), blank=True)
    created_at = models.DateTimeField(_("Thời điểm đánh giá"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Đánh giá hài lòng")
        verbose_name_plural = _("Đánh giá hài lòng")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator_1__lte=2, indicator_2__lte=2, indicator_3__lte=2, indicator_4__lte=2)
                & Q(indicator_5__lte=2, indicator_6__lte=2, indicator_7__lte=2, indicator_8__lte=2)
                & Q(indicator_9__lte=2),
                name="evaluation_points_0_to_2",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_overall_display()}"


class RecommendationQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Recommendation.State.ANSWERED)

    def overdue(self, now=None):
        now = now or timezone.now()
        return self.open().filter(due_at__lt=now)

    def published(self):
        return self.filter(state=Recommendation.State.ANSWERED, consent_publish=True, published=True)


class Recommendation(models.Model):
    """A recommendation or complaint (kiến nghị, phản ánh) from anyone, with or without a dossier code."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Kiến nghị")
        COMPLAINT = "complaint", _("Phản ánh")

    class State(models.TextChoices):
        NEW = "new", _("Mới tiếp nhận")
        ASSIGNED = "assigned", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")

    kind = models.CharField(_("Loại"), max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    sender_name = models.CharField(_("Họ và tên người gửi"), max_length=200)
    sender_phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("Thư điện tử"), blank=True)
    dossier_code = models.CharField(_("Mã hồ sơ (nếu có)"), max_length=40, blank=True)
    title = models.CharField(_("Tiêu đề"), max_length=300)
    content = models.TextField(_("Nội dung"))
    consent_publish = models.BooleanField(_("Đồng ý công khai nội dung và trả lời"), default=False)
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("Cơ quan xử lý"),
    )
    assigned_at = models.DateTimeField(_("Ngày giao xử lý"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField(_("Hạn trả lời"), null=True, blank=True, db_index=True)
    answer = models.TextField(_("Nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("Ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published = models.BooleanField(_("Đã công khai"), default=False)
    created_at = models.DateTimeField(_("Ngày gửi"), default=timezone.now, db_index=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kiến nghị, phản ánh")
        verbose_name_plural = _("Kiến nghị, phản ánh")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        return f"PAKN-{self.pk:06d}" if self.pk else "PAKN"

    @property
    def is_overdue(self) -> bool:
        return self.state != self.State.ANSWERED and self.due_at is not None and self.due_at < timezone.now()

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None or self.due_at is None:
            return None
        return self.answered_at <= self.due_at
