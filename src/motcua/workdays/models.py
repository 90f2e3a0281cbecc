"""The administrator-editable calendar overrides (extra day off / extra working day)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import core


class CalendarOverride(models.Model):
    """One date whose status an announcement changes: an extra day off or an extra working day.

    National when ``province`` is empty; otherwise it applies to that province only and, for that province,
    takes precedence over a national override of the same date.
    """

    class Kind(models.TextChoices):
        DAY_OFF = core.DAY_OFF, _("Ngày nghỉ bổ sung")
        EXTRA_WORKING_DAY = core.EXTRA_WORKING_DAY, _("Ngày làm việc bổ sung")

    date = models.DateField(_("Ngày"))
    kind = models.CharField(_("Loại điều chỉnh"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("Tên, lý do"),
        max_length=200,
        help_text=_("Ví dụ: Nghỉ bù Tết Nguyên đán; Làm việc bù cho ngày 02/01."),
    )
    legal_reference = models.CharField(
        _("Văn bản công bố"),
        max_length=200,
        help_text=_(
            "Số, ký hiệu và ngày của văn bản công bố, ví dụ: Thông báo số 6150/TB-BLĐTBXH ngày 04/12/2024."
        ),
    )
    province = models.ForeignKey(
        "org.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        limit_choices_to={"kind__in": ["province", "city"]},
        verbose_name=_("Tỉnh, thành phố"),
        help_text=_("Để trống nếu áp dụng toàn quốc."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("Người nhập"),
    )
    created_at = models.DateTimeField(_("Thời điểm nhập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lần cuối"), auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("Điều chỉnh lịch làm việc")
        verbose_name_plural = _("Điều chỉnh lịch làm việc")
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(province__isnull=True),
                name="workdays_override_one_national_per_date",
                violation_error_message=_("Ngày này đã có một điều chỉnh áp dụng toàn quốc."),
            ),
            models.UniqueConstraint(
                fields=["date", "province"],
                condition=Q(province__isnull=False),
                name="workdays_override_one_per_province_date",
                violation_error_message=_("Ngày này đã có một điều chỉnh cho tỉnh, thành phố này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"

    @property
    def year(self) -> int:
        return self.date.year

    def clean(self):
        super().clean()
        if self.date and not core.DEFAULT_FIRST_YEAR <= self.date.year <= core.DEFAULT_LAST_YEAR:
            raise ValidationError(
                {
                    "date": _("Năm %(year)s nằm ngoài lịch làm việc (%(first)s–%(last)s).")
                    % {
                        "year": self.date.year,
                        "first": core.DEFAULT_FIRST_YEAR,
                        "last": core.DEFAULT_LAST_YEAR,
                    }
                }
            )

    def as_core(self) -> core.Override:
        return core.Override(
            date=self.date, kind=self.kind, name=self.name, legal_reference=self.legal_reference
        )
