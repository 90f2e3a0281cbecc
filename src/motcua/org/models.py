"""Administrative units, agencies, the center and its counters.

Levels of government are data (`AdminLevel`), so the three-tier structure of 2022 (tỉnh / huyện / xã) and the
two-tier structure in force from 01/07/2025 are both just rows with validity dates; a unit merged into another
records its successor and the date the merger took effect.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import audited


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None):
        """Rows in force on `day` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class ValidityMixin(models.Model):
    """Valid from a date, and until a date when it stops existing (merger, reorganisation)."""

    valid_from = models.DateField(_("Hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(
        _("Hiệu lực đến ngày"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực.")
    )

    objects = ValidityQuerySet.as_manager()

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


def successor_field(verbose_name, help_text) -> models.ForeignKey:
    """The row of the same kind that carries on this one after a merger or reorganisation (it lists the rows it
    took over as its `predecessors`)."""
    return models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=verbose_name,
        help_text=help_text,
    )


@audited()
class AdminLevel(ValidityMixin):
    """A level of government: province, district, commune (the set is data).

    Levels carry validity dates: the district level (cấp huyện) ends on 30/06/2025 when the two-tier local
    government takes over, so "which levels exist" is a question asked for a date.
    """

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


@audited()
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
    successor = successor_field(
        _("Sáp nhập vào"),
        _("Đơn vị kế thừa sau khi sáp nhập; có hiệu lực từ ngày sau ngày hết hiệu lực."),
    )

    class Meta:
        ordering = ["level__rank", "name"]
        verbose_name = _("Đơn vị hành chính")
        verbose_name_plural = _("Đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["AdminUnit"]:
        """The units above this one, nearest first (stops at a cycle rather than looping)."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """Primary keys of this unit and every unit below it (one query per level)."""
        return descendant_unit_ids([self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id and self.level_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("Một đơn vị không thể trực thuộc chính nó.")
            elif self.parent.level.rank >= self.level.rank:
                errors["parent"] = _("Đơn vị cấp trên phải ở cấp cao hơn đơn vị này.")
            elif self.pk and self.pk in {a.pk for a in self.parent.ancestors()}:
                errors["parent"] = _("Không thể chọn một đơn vị trực thuộc làm cấp trên.")
        if self.successor_id:
            if self.successor_id == self.pk:
                errors["successor"] = _("Không thể sáp nhập một đơn vị vào chính nó.")
            elif not self.valid_to:
                errors["valid_to"] = _("Đơn vị đã sáp nhập cần có ngày hết hiệu lực.")
        if errors:
            raise ValidationError(errors)

    def successor_on(self, day: datetime.date) -> "AdminUnit":
        """The unit that carries this one's responsibilities on `day`, following mergers."""
        node, seen = self, set()
        while node.successor_id and node.valid_to and node.valid_to < day and node.pk not in seen:
            seen.add(node.pk)
            node = node.successor
        return node


IDENTITY_CODE_RE = re.compile(r"^(\d{3}\.)?\d{2}\.\d{2}\.[A-Z]\d{2}$")
# Fee-collection account: the account number is digits only (Vietnamese banks use 6 to 19 digits); the bank is
# named by its 6-digit NAPAS bank identification number (BIN, the code VietQR uses: 970436 Vietcombank, 970415
# VietinBank, 970418 BIDV, 970405 Agribank...).
ACCOUNT_NUMBER_RE = re.compile(r"^\d{6,19}$")
BANK_CODE_RE = re.compile(r"^\d{6}$")


@audited(agency=lambda agency: agency)
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
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    collection_account_number = models.CharField(
        _("Số tài khoản thu phí, lệ phí"),
        max_length=30,  # room for spaces as typed; at most 19 digits are kept (clean_collection_account)
        blank=True,
        help_text=_(
            "Tài khoản thụ hưởng ghi trên hóa đơn gửi nền tảng thanh toán của Cổng DVCQG (TKThuHuong); "
            "chỉ gồm chữ số, từ 6 đến 19 số. Để trống nếu cơ quan không thu qua tài khoản."
        ),
    )
    collection_bank_code = models.CharField(
        _("Mã ngân hàng thụ hưởng"),
        max_length=11,  # so that a SWIFT code typed by mistake gets the message below, not a length error
        blank=True,
        help_text=_(
            "Mã BIN 6 chữ số của ngân hàng theo NAPAS/VietQR (MaNHThuHuong), ví dụ 970436 (Vietcombank), "
            "970415 (VietinBank), 970418 (BIDV), 970405 (Agribank)."
        ),
    )
    collection_account_name = models.CharField(
        _("Tên chủ tài khoản"),
        max_length=200,
        blank=True,
        help_text=_("Tên chủ tài khoản như ngân hàng ghi (TenTKThuHuong); bắt buộc khi có số tài khoản."),
    )
    collection_account_is_demo = models.BooleanField(
        _("Tài khoản thu là dữ liệu mẫu"),
        default=False,
        help_text=_("Đánh dấu tài khoản giả dùng cho bản trình diễn; không dùng để thu tiền thật."),
    )

    successor = successor_field(
        _("Cơ quan kế thừa"),
        _("Cơ quan nhận hồ sơ đang giải quyết và nhiệm vụ sau khi sắp xếp tổ chức."),
    )

    class Meta:
        ordering = ["unit__level__rank", "name"]
        verbose_name = _("Cơ quan")
        verbose_name_plural = _("Cơ quan")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        self.identity_code = (self.identity_code or "").strip().upper()
        if self.identity_code and not IDENTITY_CODE_RE.match(self.identity_code):
            raise ValidationError(
                {"identity_code": _("Mã định danh phải có dạng 000.00.00.H06 (Thông tư 10/2016/TT-BTTTT).")}
            )
        self.clean_collection_account()

    def clean_collection_account(self):
        """The fee-collection account: all three parts or none; digits-only number, 6-digit bank BIN."""
        self.collection_account_number = re.sub(r"\s", "", self.collection_account_number or "")
        self.collection_bank_code = (self.collection_bank_code or "").strip()
        self.collection_account_name = " ".join((self.collection_account_name or "").split())
        number, bank, name = (
            self.collection_account_number,
            self.collection_bank_code,
            self.collection_account_name,
        )
        errors = {}
        if number and not ACCOUNT_NUMBER_RE.match(number):
            errors["collection_account_number"] = _("Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số.")
        if bank and not BANK_CODE_RE.match(bank):
            errors["collection_bank_code"] = _(
                "Mã ngân hàng phải là mã BIN gồm đúng 6 chữ số theo NAPAS/VietQR (ví dụ 970436)."
            )
        if number or bank or name:
            if not number:
                errors.setdefault("collection_account_number", _("Chưa nhập số tài khoản."))
            if not bank:
                errors.setdefault("collection_bank_code", _("Chưa nhập mã ngân hàng của tài khoản."))
            if not name:
                errors.setdefault("collection_account_name", _("Chưa nhập tên chủ tài khoản."))
        if errors:
            raise ValidationError(errors)

    @property
    def has_collection_account(self) -> bool:
        return bool(self.collection_account_number)


@audited(agency="agency")
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


@audited(agency="center.agency")
class Counter(models.Model):
    """A reception counter (quầy) of a center, and the agencies whose dossiers it receives."""

    center = models.ForeignKey(
        Center, on_delete=models.CASCADE, related_name="counters", verbose_name=_("Trung tâm")
    )
    number = models.PositiveSmallIntegerField(_("Số quầy"))
    name = models.CharField(_("Tên quầy"), max_length=200)
    agencies = models.ManyToManyField(Agency, related_name="counters", blank=True, verbose_name=_("Cơ quan"))
    is_demo = models.BooleanField(_("Dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["center", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="unique_counter_number")]
        verbose_name = _("Quầy tiếp nhận")
        verbose_name_plural = _("Quầy tiếp nhận")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Role(models.TextChoices):
    """Staff roles. The identifiers are shared by the catalog (process steps) and every permission check."""

    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    CLERK = "clerk", _("Văn thư")
    SUPERVISOR = "supervisor", _("Giám đốc trung tâm, giám sát")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class StaffAssignmentQuerySet(ValidityQuerySet):
    def active(self, day: datetime.date | None = None):
        return self.valid_on(day).filter(user__is_active=True)


@audited(agency="agency")
class StaffAssignment(ValidityMixin):
    """A staff member holds a role at an agency, for a period.

    Scope: the agency itself; if the agency is a center's own agency (Trung tâm Hành chính công), also every
    agency served at that center; if `unit` is set, also every agency of that unit and of the units below it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("Cán bộ"),
    )
    role = models.CharField(_("Vai trò"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("Cơ quan")
    )
    unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("Phạm vi đơn vị hành chính"),
        help_text=_("Nếu chọn: được làm việc với mọi cơ quan của đơn vị này và các đơn vị trực thuộc."),
    )

    objects = StaffAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("Phân công cán bộ")
        verbose_name_plural = _("Phân công cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="unique_staff_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"

    def agency_ids(self) -> set[int]:
        """The agencies this assignment lets its holder work on."""
        return scope_agency_ids([(self.agency_id, self.unit_id)])


def descendant_unit_ids(unit_ids) -> set[int]:
    """The given units and every unit below them (one query per level of the tree)."""
    ids = set(unit_ids)
    frontier = list(ids)
    while frontier:
        children = AdminUnit.objects.filter(parent_id__in=frontier).order_by().values_list("pk", flat=True)
        frontier = [pk for pk in children if pk not in ids]
        ids.update(frontier)
    return ids


def scope_agency_ids(pairs) -> set[int]:
    """Agencies covered by (agency_id, unit_id or None) scope pairs: the agency, the agencies served at the
    center whose own agency it is, and every agency of the unit's subtree."""
    pairs = list(pairs)
    agency_ids = {agency_id for agency_id, _unit in pairs}
    if not agency_ids:
        return set()
    ids = set(agency_ids)
    ids.update(
        Center.agencies.through.objects.filter(center__agency_id__in=agency_ids)
        .order_by()
        .values_list("agency_id", flat=True)
    )
    unit_ids = {unit_id for _agency, unit_id in pairs if unit_id}
    if unit_ids:
        ids.update(
            Agency.objects.filter(unit_id__in=descendant_unit_ids(unit_ids))
            .order_by()
            .values_list("pk", flat=True)
        )
    return ids


class Reorganisation(models.Model):
    """One applied reorganisation plan (merges, splits, units): who applied it, when, on what basis, the plan
    itself and the report of what moved. Written in the reorganisation's own transaction; never edited."""

    class Source(models.TextChoices):
        COMMAND = "command", _("Dòng lệnh")
        ADMIN = "admin", _("Trang quản trị")

    applied_at = models.DateTimeField(_("Thời điểm thực hiện"), default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người thực hiện"),
    )
    source = models.CharField(_("Thực hiện từ"), max_length=20, choices=Source.choices)
    effective = models.DateField(_("Ngày hiệu lực"))
    basis = models.CharField(_("Căn cứ pháp lý"), max_length=500)
    plan = models.JSONField(_("Kế hoạch"))
    report = models.TextField(_("Kết quả"))

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("Lần sắp xếp tổ chức")
        verbose_name_plural = _("Sắp xếp tổ chức (sáp nhập, chia tách)")

    def __str__(self) -> str:
        return f"{self.effective:%d/%m/%Y} — {self.basis}"
