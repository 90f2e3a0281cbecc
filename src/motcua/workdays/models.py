"""The administrator-editable calendar: overrides (extra day off / extra working day) and working hours."""

import datetime as dt

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


_WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKEND_FIELDS = ("saturday", "sunday")
_DEFAULT_WINDOWS = "07:00-11:30,13:30-17:00"


def _parse_day_month(text: str) -> tuple[int, int]:
    """ "01/05" -> (5, 1) as (month, day)."""
    try:
        day, month = (int(part) for part in str(text).strip().split("/"))
        dt.date(2024, month, day)  # a leap year: 29/02 is allowed
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _("Ngày «%(value)s» không hợp lệ; hãy ghi dạng dd/mm, ví dụ 01/05.") % {"value": text}
        ) from exc
    return month, day


class WorkingHoursPeriod(models.Model):
    """A season of working hours, with the working windows of each weekday, for one center or for all.

    The windows are the hours that count for deadlines; each working weekday must total one working day
    (8 hours), except Saturday and Sunday, which may be a half day (a center receiving on Saturday mornings).
    With validity dates the row is a center's working week from a given day; without, a yearly season. Days of
    the year not covered by any season use the default hours.
    """

    center = models.ForeignKey(
        "org.Center",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_hours_periods",
        verbose_name=_("Trung tâm"),
        help_text=_("Để trống nếu áp dụng cho mọi trung tâm chưa có giờ làm việc riêng."),
    )
    name = models.CharField(_("Tên"), max_length=100, help_text=_("Ví dụ: Giờ làm việc mùa hè."))
    valid_from = models.DateField(
        _("Áp dụng từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống nếu áp dụng hằng năm; điền khi trung tâm đổi lịch làm việc từ một ngày cụ thể."
        ),
    )
    valid_to = models.DateField(_("Áp dụng đến ngày"), null=True, blank=True)
    starts_on = models.CharField(_("Từ ngày (dd/mm)"), max_length=5, default="01/01")
    ends_on = models.CharField(_("Đến ngày (dd/mm)"), max_length=5, default="31/12")
    monday = models.CharField(_("Thứ Hai"), max_length=100, blank=True, default=_DEFAULT_WINDOWS)
    tuesday = models.CharField(_("Thứ Ba"), max_length=100, blank=True, default=_DEFAULT_WINDOWS)
    wednesday = models.CharField(_("Thứ Tư"), max_length=100, blank=True, default=_DEFAULT_WINDOWS)
    thursday = models.CharField(_("Thứ Năm"), max_length=100, blank=True, default=_DEFAULT_WINDOWS)
    friday = models.CharField(_("Thứ Sáu"), max_length=100, blank=True, default=_DEFAULT_WINDOWS)
    saturday = models.CharField(_("Thứ Bảy"), max_length=100, blank=True, default="")
    sunday = models.CharField(_("Chủ nhật"), max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(_("Cập nhật lần cuối"), auto_now=True)

    class Meta:
        ordering = ["center_id", "starts_on"]
        verbose_name = _("Giờ làm việc theo mùa")
        verbose_name_plural = _("Giờ làm việc theo mùa")

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on}–{self.ends_on})"

    def clean(self):
        super().clean()
        errors = {}
        for name in ("starts_on", "ends_on"):
            try:
                _parse_day_month(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages
        for name in _WEEKDAY_FIELDS:
            try:
                windows = core.parse_windows(getattr(self, name))
            except core.WorkdaysError as error:
                errors[name] = [error.message]
                continue
            total = sum((w.duration for w in windows), start=dt.timedelta())
            day = dt.timedelta(hours=core.HOURS_PER_DAY)
            if windows and name in _WEEKEND_FIELDS and total < day:
                continue  # a half day (Saturday morning) counts as that much working time
            if windows and total != day:
                errors[name] = [
                    _("Các khung giờ cộng lại %(hours)s giờ; một ngày làm việc phải đủ %(day)s giờ.")
                    % {"hours": f"{total.total_seconds() / 3600:g}", "day": core.HOURS_PER_DAY}
                ]
        if not errors and not any(getattr(self, name).strip() for name in _WEEKDAY_FIELDS):
            errors["monday"] = [_("Phải có ít nhất một ngày làm việc trong tuần.")]
        if not errors:
            mine = self.as_core()
            if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
                raise ValidationError({"valid_to": _("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng.")})
            others = WorkingHoursPeriod.objects.filter(center=self.center).exclude(pk=self.pk)
            for other in others:
                theirs = other.as_core()
                if mine.dated != theirs.dated:
                    continue  # a dated working week lies on top of the yearly seasons
                if _overlap(mine, theirs):
                    errors["starts_on"] = [
                        _("Mùa này trùng thời gian với «%(other)s» của cùng phạm vi.") % {"other": other}
                    ]
                    break
        if errors:
            raise ValidationError(errors)

    def as_core(self) -> core.SchedulePeriod:
        return core.SchedulePeriod(
            _parse_day_month(self.starts_on),
            _parse_day_month(self.ends_on),
            tuple(core.parse_windows(getattr(self, name)) for name in _WEEKDAY_FIELDS),
            valid_from=self.valid_from,
            valid_to=self.valid_to,
        )


def _overlap(a: core.SchedulePeriod, b: core.SchedulePeriod) -> bool:
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        if a.covers(day) and b.covers(day):
            return True
        day += dt.timedelta(days=1)
    return False
