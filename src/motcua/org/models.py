"""Administrative units, agencies, the center and its counters.

Levels of government are data (`AdminLevel`), so the three-tier structure of 2022 (tỉnh / huyện / xã) and the
two-tier structure in force from 01/07/2025 are both just rows with validity dates; a unit merged into another
records its successor and the date the merger took effect.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ValidityMixin(models.Model):
    """Valid from a date, and until a date when it stops existing (merger, reorganisation)."""

    valid_from = models.DateField(_("Hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(
        _("Hiệu lực đến ngày"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực.")
    )

    class Meta:
        abstract = True

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")})


class AdminLevel(models.Model):
    """A level of government: province, district, commune (the set is data)."""

    code = models.SlugField(
        _("Mã cấp"), max_length=20, unique=True, help_text=_("Ví dụ: province, district, commune.")
    )
    name = models.CharField(_("Tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("Thứ bậc"), help_text=_("1 là cấp cao nhất."))

    class Meta:
        ordering = ["rank"]
        verbose_name = _("Cấp hành chính")
        verbose_name_plural = _("Cấp hành chính")

    def __str__(self) -> str:
        return self.name


class AdminUnit(ValidityMixin):
    """An administrative unit (đơn vị hành chính): a province, a district, a commune, ward or township."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")
        DISTRICT = "district", _("Huyện")
        TOWN = "town", _("Thị xã")
        PROVINCIAL_CITY = "provincial_city", _("Thành phố thuộc tỉnh")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        TOWNSHIP = "township", _("Thị trấn")

    code = models.CharField(_("Mã đơn vị hành chính"), max_length=20, unique=True)
    name = models.CharField(_("Tên đơn vị"), max_length=200)
    kind = models.CharField(_("Loại đơn vị"), max_length=20, choices=Kind.choices)
    level = models.ForeignKey(
        AdminLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("Cấp")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Trực thuộc"),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("Sáp nhập vào"),
        help_text=_("Đơn vị kế thừa sau khi sáp nhập; có hiệu lực từ ngày sau ngày hết hiệu lực."),
    )

    class Meta:
        ordering = ["level__rank", "name"]
        verbose_name = _("Đơn vị hành chính")
        verbose_name_plural = _("Đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["AdminUnit"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Agency(ValidityMixin):
    """An agency that resolves or co-operates on procedures (phòng chuyên môn, ngành dọc, UBND xã...)."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        DISTRICT_OFFICE = "district_office", _("Phòng chuyên môn")
        PROVINCIAL_DEPARTMENT = "provincial_department", _("Sở, ngành")
        VERTICAL_AGENCY = "vertical_agency", _("Cơ quan ngành dọc")
        CENTER = "public_admin_center", _("Trung tâm Hành chính công")
        OTHER = "other", _("Khác")

    name = models.CharField(_("Tên cơ quan"), max_length=200)
    short_name = models.CharField(_("Tên viết tắt"), max_length=50, blank=True)
    identity_code = models.CharField(
        _("Mã định danh"),
        max_length=30,
        unique=True,
        help_text=_("Mã định danh cơ quan theo Thông tư 10/2016/TT-BTTTT; dùng làm tiền tố mã hồ sơ."),
    )
    identity_code_is_demo = models.BooleanField(
        _("Mã định danh là dữ liệu mẫu"), default=False, help_text=_("Đánh dấu khi chưa biết mã thật.")
    )
    kind = models.CharField(_("Loại cơ quan"), max_length=30, choices=Kind.choices)
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("Đơn vị hành chính")
    )

    class Meta:
        ordering = ["unit__level__rank", "name"]
        verbose_name = _("Cơ quan")
        verbose_name_plural = _("Cơ quan")

    def __str__(self) -> str:
        return self.name


class Center(models.Model):
    """A Public Administration Center (Trung tâm Hành chính công / Phục vụ hành chính công)."""

    name = models.CharField(_("Tên trung tâm"), max_length=200)
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="centers", verbose_name=_("Đơn vị")
    )
    agency = models.OneToOneField(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="center",
        verbose_name=_("Cơ quan của trung tâm"),
    )
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    agencies = models.ManyToManyField(
        Agency, related_name="centers_served", blank=True, verbose_name=_("Cơ quan tiếp nhận tại trung tâm")
    )

    class Meta:
        verbose_name = _("Trung tâm")
        verbose_name_plural = _("Trung tâm")

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """A reception counter (quầy) of a center, and the agencies whose dossiers it receives."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="counters", verbose_name=_("Trung tâm")
    )
    number = models.PositiveSmallIntegerField(_("Số quầy"))
    name = models.CharField(_("Tên quầy"), max_length=200)
    agencies = models.ManyToManyField(Agency, related_name="counters", blank=True, verbose_name=_("Cơ quan"))

    class Meta:
        ordering = ["center", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="unique_counter_number")]
        verbose_name = _("Quầy tiếp nhận")
        verbose_name_plural = _("Quầy tiếp nhận")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"
