"""The procedure catalog (danh mục TTHC): fields, procedures, required documents, fees and process templates.

A procedure carries its national code, its legal time limit (value and unit; the online channel may override
it), its online service level (Decree 42/2022: toàn trình / một phần / none, with the old 1-4 level kept for
history), the "5 tại chỗ" flag with the decision that approved it, validity dates and `superseded_by` (many codes
were renumbered in 2024-25). A process template lists the internal steps of a procedure, each with a staff role,
an agency and its share of the legal time.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency
from motcua.refcache import ReferenceCache, copied

from .text import fold, word_set_key

# What every intake reads of the catalog, kept until the catalog changes (see motcua.refcache; cleared in
# this process whenever a procedure, a template or a step is saved or deleted here).
_procedures = ReferenceCache("procedures")
_processes = ReferenceCache("process templates")


def procedure_for_intake(code: str) -> "Procedure | None":
    """The procedure with this code and its resolving agency (this caller's own copy), or None."""
    found = _procedures.get(
        code, lambda: Procedure.objects.select_related("resolving_agency").filter(code=code).first()
    )
    return copied(found) if found is not None else None


# Working hours in one working day: a same-day limit is budgeted as 8 working hours.
HOURS_PER_WORKING_DAY = 8


class TimeLimitUnit(models.TextChoices):
    """The units of a legal time limit; the same strings as the working-time calendar and the API."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    SAME_DAY = "same_day", _("trong ngày")


class OnlineLevel(models.TextChoices):
    """Online public-service type under Decree 42/2022."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Dịch vụ công (không trực tuyến)")


class AdminLevelCode(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class StaffRole(models.TextChoices):
    """Staff role identifiers shared with `motcua.org` (a process step is done by someone holding one)."""

    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    CLERK = "clerk", _("Văn thư")


class Field(models.Model):
    """A field (lĩnh vực) that groups procedures, e.g. Hộ tịch."""

    code = models.SlugField(_("Mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("Tên lĩnh vực"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Lĩnh vực")
        verbose_name_plural = _("Lĩnh vực")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        renamed = self.pk is not None and Field.objects.filter(pk=self.pk).exclude(name=self.name).exists()
        super().save(*args, **kwargs)
        if renamed:
            procedures = list(self.procedures.select_related("resolving_agency"))
            for procedure in procedures:
                procedure.field = self
                procedure.refresh_search()
            Procedure.objects.bulk_update(procedures, ["search_name", "search_key", "search_text"])
            rebuild_search_terms(procedures)


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Procedure.Status.PUBLISHED)


def says_the_same(text: str, other: str) -> bool:
    """Whether two texts say the same, ignoring case, spacing, full stops and leading zeros of numbers: the
    catalog's "03 ngày làm việc" and the computed "3 ngày làm việc" (empty text says nothing)."""

    def plain(value: str) -> str:
        return " ".join(re.sub(r"(?<!\d)0+(?=\d)", "", value or "").casefold().replace(".", " ").split())

    return not (text or "").strip() or plain(text) == plain(other)


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) as published in the catalog."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đang công khai")
        RETIRED = "retired", _("Hết hiệu lực")

    class Confidence(models.TextChoices):
        VERIFIED = "verified", _("Đã kiểm chứng")
        CORROBORATED = "corroborated", _("Nhiều nguồn khớp nhau")
        UNVERIFIED = "unverified", _("Chưa kiểm chứng")
        GENERATED = "generated", _("Dữ liệu mẫu sinh tự động")
        OFFICIAL = "official", _("Nguồn chính thức")

    code = models.CharField(
        _("Mã thủ tục"), max_length=30, unique=True, help_text=_("Mã TTHC quốc gia, ví dụ 1.001193.")
    )
    name = models.CharField(_("Tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("Lĩnh vực")
    )
    resolving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("Cơ quan giải quyết"),
        help_text=_("Cơ quan giải quyết mặc định tại Trung tâm."),
    )
    cooperating_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="cooperating_procedures", verbose_name=_("Cơ quan phối hợp")
    )
    levels = models.CharField(
        _("Cấp thực hiện"),
        max_length=60,
        blank=True,
        help_text=_("Mã cấp, phân cách bằng dấu phẩy: province, district, commune."),
    )
    applicant_types = models.CharField(
        _("Đối tượng thực hiện"),
        max_length=60,
        blank=True,
        default="citizen",
        help_text=_("citizen, organisation (phân cách bằng dấu phẩy)."),
    )
    time_limit_value = models.DecimalField(
        _("Thời hạn giải quyết"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Để trống nếu giải quyết trong ngày hoặc không có thời hạn cố định."),
    )
    time_limit_unit = models.CharField(
        _("Đơn vị thời hạn"), max_length=20, choices=TimeLimitUnit.choices, blank=True
    )
    time_limit_text = models.CharField(
        _("Thời hạn (nguyên văn)"),
        max_length=300,
        blank=True,
        help_text=_("Cách ghi thời hạn trong văn bản."),
    )
    online_time_limit_value = models.DecimalField(
        _("Thời hạn khi nộp trực tuyến"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Chỉ điền khi khác thời hạn chung."),
    )
    online_time_limit_unit = models.CharField(
        _("Đơn vị thời hạn trực tuyến"), max_length=20, choices=TimeLimitUnit.choices, blank=True
    )
    receive_anywhere = models.BooleanField(
        _("Tiếp nhận không phụ thuộc địa giới hành chính"),
        default=False,
        help_text=_(
            "Thủ tục thuộc danh mục “phi địa giới” của tỉnh: mọi điểm tiếp nhận trong tỉnh đều được nhận hồ sơ "
            "và chuyển cho cơ quan có thẩm quyền giải quyết."
        ),
    )
    receive_anywhere_decision = models.CharField(
        _("Quyết định công bố danh mục phi địa giới"), max_length=100, blank=True
    )
    same_day_cutoff = models.BooleanField(
        _("Áp dụng mốc 15 giờ"),
        default=False,
        help_text=_(
            "Nhận sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo."
        ),
    )
    online_level = models.CharField(
        _("Mức độ dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    online_level_legacy = models.PositiveSmallIntegerField(
        _("Mức độ (cũ, 1–4)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Mức độ theo Nghị định 43/2011, giữ để tra cứu lịch sử."),
    )
    on_the_spot = models.BooleanField(_("“5 tại chỗ”"), default=False)
    on_the_spot_decision = models.CharField(
        _("Quyết định phê duyệt “5 tại chỗ”"), max_length=100, blank=True, help_text=_("Ví dụ 1691/QĐ-UBND.")
    )
    on_the_spot_decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    interlinked = models.BooleanField(_("Liên thông"), default=False)
    set_count = models.PositiveSmallIntegerField(_("Số lượng hồ sơ (bộ)"), default=1)
    submission_method = models.TextField(_("Cách thức thực hiện"), blank=True)
    execution_steps = models.TextField(_("Trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("Yêu cầu, điều kiện thực hiện"), blank=True)
    result_type = models.CharField(_("Kết quả thực hiện"), max_length=500, blank=True)
    legal_basis = models.TextField(_("Căn cứ pháp lý"), blank=True)
    fee_text = models.CharField(_("Phí, lệ phí (nguyên văn)"), max_length=500, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    valid_from = models.DateField(_("Hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến ngày"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("Được thay thế bởi"),
    )
    source_confidence = models.CharField(
        _("Độ tin cậy nguồn"), max_length=20, choices=Confidence.choices, default=Confidence.OFFICIAL
    )
    source_note = models.TextField(_("Ghi chú nguồn"), blank=True)
    # Folded copies for search (see motcua.catalog.text): kept in step with the text on every save.
    search_name = models.CharField(max_length=500, editable=False, default="", db_index=True)
    search_key = models.CharField(max_length=500, editable=False, default="", db_index=True)
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("Thủ tục hành chính")
        verbose_name_plural = _("Thủ tục hành chính")
        indexes = [
            models.Index(fields=["status", "resolving_agency"], name="catalog_proc_status_agency"),
            models.Index(fields=["status", "field"], name="catalog_proc_status_field"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        previous_text = self.search_text
        self.refresh_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_name", "search_key", "search_text"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding or previous_text != self.search_text:
            rebuild_search_terms([self])
        if self.resolving_agency_id and (update_fields is None or "resolving_agency" in update_fields):
            ensure_default_implementations([self])

    def clean(self):
        super().clean()
        errors = {}
        if self.time_limit_value is not None and not self.time_limit_unit:
            errors["time_limit_unit"] = _("Chọn đơn vị cho thời hạn giải quyết.")
        if self.time_limit_unit == TimeLimitUnit.SAME_DAY and self.time_limit_value not in (
            None,
            Decimal("0"),
        ):
            errors["time_limit_value"] = _("Thủ tục giải quyết trong ngày không ghi số ngày.")
        if self.online_time_limit_value is not None and not self.online_time_limit_unit:
            errors["online_time_limit_unit"] = _("Chọn đơn vị cho thời hạn khi nộp trực tuyến.")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("Thủ tục không thể thay thế chính nó.")
        if self.on_the_spot_decision and not self.on_the_spot:
            errors["on_the_spot"] = _(
                "Đã ghi quyết định “5 tại chỗ” nhưng chưa đánh dấu thủ tục “5 tại chỗ”."
            )
        for name, allowed in (("levels", AdminLevelCode.values), ("applicant_types", ApplicantType.values)):
            unknown = [v for v in self.split_codes(getattr(self, name)) if v not in allowed]
            if unknown:
                errors[name] = _("Giá trị không hợp lệ: %(values)s.") % {"values": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)

    def refresh_search(self) -> None:
        """Recompute the folded search columns from the name, code, field and agency."""
        self.search_name = fold(self.name)
        self.search_key = word_set_key(self.name)
        field_name = self.field.name if self.field_id else ""
        agency_name = self.resolving_agency.name if self.resolving_agency_id else ""
        self.search_text = " ".join(
            filter(None, [fold(self.code), self.search_name, fold(field_name), fold(agency_name)])
        )

    @staticmethod
    def split_codes(value: str) -> list[str]:
        return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]

    @property
    def level_list(self) -> list[str]:
        return self.split_codes(self.levels)

    @property
    def applicant_type_list(self) -> list[str]:
        return self.split_codes(self.applicant_types)

    def time_limit_for(self, channel: str = "counter") -> tuple[Decimal | None, str]:
        """The legal time limit (value, unit) for a submission channel ("counter", "online", "postal")."""
        if channel == "online" and self.online_time_limit_unit:
            return self.online_time_limit_value, self.online_time_limit_unit
        return self.time_limit_value, self.time_limit_unit

    def time_limit_display(self, channel: str = "counter") -> str:
        value, unit = self.time_limit_for(channel)
        if unit == TimeLimitUnit.SAME_DAY:
            return str(_("Trong ngày"))
        if value is None or not unit:
            return self.time_limit_text or str(_("Không quy định thời hạn cố định"))
        number = f"{value.normalize():f}".replace(".", ",")
        return f"{number} {TimeLimitUnit(unit).label}"

    def submission_terms(self) -> list[dict]:
        """Per submission channel ("Hình thức nộp"): its label, time limit and fees as the citizen reads them."""
        channels = [("counter", _("Trực tiếp")), ("postal", _("Dịch vụ bưu chính công ích"))]
        if self.online_level != OnlineLevel.NONE:
            channels.insert(1, ("online", _("Trực tuyến")))
        fees = [fee for fee in self.fees.all() if fee.implementation_id is None]
        terms = []
        for channel, label in channels:
            time_limit = self.time_limit_display(channel)
            terms.append(
                {
                    "channel": channel,
                    "label": label,
                    "time_limit": time_limit,
                    "time_note": ""
                    if says_the_same(self.time_limit_text, time_limit)
                    else self.time_limit_text,
                    "fees": [
                        {
                            "description": fee.description,
                            "amount": fee.amount_for(channel),
                            "basis": fee.basis,
                            "basis_label": fee.get_basis_display(),
                            "max_amount": fee.max_amount,
                            "exemptions": fee.exemptions,
                        }
                        for fee in fees
                    ],
                }
            )
        return terms

    def level_labels(self) -> list[str]:
        return [str(AdminLevelCode(v).label) for v in self.level_list if v in AdminLevelCode.values]

    def applicant_type_labels(self) -> list[str]:
        return [str(ApplicantType(v).label) for v in self.applicant_type_list if v in ApplicantType.values]

    def process_for(self, on_the_spot: bool = False, agency: Agency | None = None) -> "ProcessTemplate":
        """The process template a dossier of this procedure follows.

        With `on_the_spot`, the compressed "5 tại chỗ" variant (the procedure must be flagged); otherwise the
        normal one. A template for `agency` wins over the generic one (agency left empty).
        Raises ValidationError for "5 tại chỗ" on a procedure without the flag, and ProcessTemplate.DoesNotExist
        when no template is defined.
        """
        template = self._candidate_templates(on_the_spot, agency).first()
        if template is None:
            raise ProcessTemplate.DoesNotExist(
                f"No active {self._variant(on_the_spot)} process template for procedure {self.code}."
            )
        return template

    def process_with_steps(
        self, on_the_spot: bool = False, agency: Agency | None = None
    ) -> tuple["ProcessTemplate", list["ProcessStep"]]:
        """`process_for` and that template's steps in order (with their agencies), as every intake needs both:
        in one query when the template has steps, and from the reference cache (`motcua.refcache`) when this
        process has read them since the catalog last changed. The objects returned are this caller's own copies."""
        self._variant(on_the_spot)  # refuses "5 tại chỗ" for a procedure without the flag
        key = (self.pk, bool(on_the_spot), agency.pk if agency is not None else None)
        template, steps = _processes.get(key, lambda: self._read_process_with_steps(on_the_spot, agency))
        template = copied(template)
        steps = [copied(step) for step in steps]
        for step in steps:
            step.template = template
        return template, steps

    def _read_process_with_steps(self, on_the_spot: bool, agency) -> tuple:
        variant_filter = {
            f"template__{name}": value for name, value in self._template_filter(on_the_spot, agency).items()
        }
        steps = ProcessStep.objects.select_related("template", "agency").filter(
            template__procedure=self, **variant_filter
        )
        if agency is not None:
            steps = steps.filter(Q(template__agency=agency) | Q(template__agency__isnull=True))
        ordered = list(
            steps.order_by(models.F("template__agency").asc(nulls_last=True), "template_id", "position", "id")
        )
        if not ordered:  # no template, or only templates without steps
            return self.process_for(on_the_spot, agency), []
        template = ordered[0].template
        return template, [step for step in ordered if step.template_id == template.pk]

    def _variant(self, on_the_spot: bool) -> str:
        if on_the_spot and not self.on_the_spot:
            raise ValidationError(_("Thủ tục %(code)s không áp dụng “5 tại chỗ”.") % {"code": self.code})
        return ProcessTemplate.Variant.ON_THE_SPOT if on_the_spot else ProcessTemplate.Variant.NORMAL

    def _template_filter(self, on_the_spot: bool, agency) -> dict:
        filters = {"variant": self._variant(on_the_spot), "is_active": True}
        if agency is None:
            filters["agency__isnull"] = True
        return filters

    def _candidate_templates(self, on_the_spot: bool, agency):
        candidates = self.process_templates.filter(**self._template_filter(on_the_spot, agency))
        if agency is not None:
            candidates = candidates.filter(Q(agency=agency) | Q(agency__isnull=True))
        return candidates.order_by(models.F("agency").asc(nulls_last=True), "id")


class ImplementationLevel(models.TextChoices):
    """The level at which an agency implements a procedure (API.md: `agencies[].level`)."""

    CENTRAL = "central", _("Cấp bộ, ngành trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (đến 30/6/2025)")
    COMMUNE = "commune", _("Cấp xã")


def implementation_level_of(agency: Agency) -> str:
    """The implementation level an agency has by the level of its administrative unit."""
    code = agency.unit.level.code if agency.unit_id else ""
    return code if code in ImplementationLevel.values else ImplementationLevel.PROVINCE


class ProcedureImplementationQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Implementations in force on `day`, by agencies that exist on that day."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            Q(agency__valid_from__isnull=True) | Q(agency__valid_from__lte=day),
            Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=day),
        )


class ProcedureImplementation(models.Model):
    """An agency implements a procedure (one national code, one catalog row) for a period.

    Since 01/07/2025 one procedure such as 1.001193 (birth registration) is resolved by every commune of the
    province: each commune has one row here. Where the province decides, an implementation carries its own time
    limit or online level; its own process template is a `ProcessTemplate` with this agency; its own fee schedule
    is its `fees` (catalog `Fee` rows with this implementation), which replace the procedure's when there are any.
    `fee_text` keeps the province's wording of it.
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="implementations", verbose_name=_("Thủ tục")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="implementations", verbose_name=_("Cơ quan thực hiện")
    )
    level = models.CharField(_("Cấp thực hiện"), max_length=10, choices=ImplementationLevel.choices)
    valid_from = models.DateField(_("Hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(
        _("Hiệu lực đến ngày"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực.")
    )
    time_limit_value = models.DecimalField(
        _("Thời hạn giải quyết riêng"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Chỉ điền khi tỉnh quy định thời hạn khác thời hạn chung của thủ tục."),
    )
    time_limit_unit = models.CharField(
        _("Đơn vị thời hạn riêng"), max_length=20, choices=TimeLimitUnit.choices, blank=True
    )
    online_level = models.CharField(
        _("Mức độ trực tuyến riêng"),
        max_length=10,
        choices=OnlineLevel.choices,
        blank=True,
        help_text=_("Để trống: theo mức độ chung của thủ tục."),
    )
    fee_text = models.CharField(
        _("Phí, lệ phí riêng (nguyên văn)"),
        max_length=500,
        blank=True,
        help_text=_("Chỉ điền khi tỉnh quy định mức phí, lệ phí khác cho cơ quan này."),
    )
    decision = models.CharField(
        _("Quyết định công bố"), max_length=100, blank=True, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )

    objects = ProcedureImplementationQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "level", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "agency", "valid_from"], name="catalog_unique_implementation_period"
            ),
        ]
        indexes = [models.Index(fields=["agency", "procedure"], name="catalog_impl_agency_proc")]
        verbose_name = _("Cơ quan thực hiện thủ tục")
        verbose_name_plural = _("Cơ quan thực hiện thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure_id} – {self.agency}"

    def is_valid_on(self, day) -> bool:
        return (
            (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
            and self.agency.is_valid_on(day)
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        if self.time_limit_value is not None and not self.time_limit_unit:
            errors["time_limit_unit"] = _("Chọn đơn vị cho thời hạn giải quyết riêng.")
        if errors:
            raise ValidationError(errors)

    def apply_to(self, procedure: Procedure) -> Procedure:
        """`procedure` (the caller's own copy) with this implementation's own time limit and online level."""
        if self.time_limit_unit:
            procedure.time_limit_value = self.time_limit_value
            procedure.time_limit_unit = self.time_limit_unit
            procedure.online_time_limit_value, procedure.online_time_limit_unit = None, ""
        if self.online_level:
            procedure.online_level = self.online_level
        return procedure


def ensure_default_implementations(procedures) -> None:
    """Give each procedure an implementation by its default resolving agency when it has none (the catalog
    row's `resolving_agency` stays the default agency; every other implementing agency is a row of its own)."""
    procedures = [p for p in procedures if p.resolving_agency_id]
    if not procedures:
        return
    existing = set(
        ProcedureImplementation.objects.filter(procedure__in=[p.pk for p in procedures]).values_list(
            "procedure_id", "agency_id"
        )
    )
    missing = [p for p in procedures if (p.pk, p.resolving_agency_id) not in existing]
    if not missing:
        return
    agencies = Agency.objects.select_related("unit__level").in_bulk({p.resolving_agency_id for p in missing})
    ProcedureImplementation.objects.bulk_create(
        [
            ProcedureImplementation(
                procedure=p,
                agency_id=p.resolving_agency_id,
                level=implementation_level_of(agencies[p.resolving_agency_id]),
            )
            for p in missing
        ],
        batch_size=500,
    )


_implementations = ReferenceCache("procedure implementations")


def implementations_of(procedure: Procedure) -> list[ProcedureImplementation]:
    """Every implementation of a procedure with its agency (all periods; filter with `is_valid_on`), from the
    reference cache; the list and its rows are this caller's own copies."""
    rows, _by_agency = _implementations.get(procedure.pk, lambda: _read_implementations(procedure.pk))
    return [copied(row) for row in rows]


def implementations_by(procedure: Procedure, agency_id: int) -> list[ProcedureImplementation]:
    """The implementations of a procedure by one agency (all periods), from the same cache as
    `implementations_of` but copying only that agency's rows (a procedure of 99 communes costs the same as one)."""
    _rows, by_agency = _implementations.get(procedure.pk, lambda: _read_implementations(procedure.pk))
    return [copied(row) for row in by_agency.get(agency_id, ())]


def _read_implementations(procedure_id: int) -> tuple[list, dict]:
    rows = list(
        ProcedureImplementation.objects.select_related("agency__unit").filter(procedure_id=procedure_id)
    )
    by_agency: dict[int, list] = {}
    for row in rows:
        by_agency.setdefault(row.agency_id, []).append(row)
    return rows, by_agency


class RequiredDocument(models.Model):
    """A component of the dossier (thành phần hồ sơ) the applicant must bring or upload."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Thủ tục")
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=1)
    name = models.CharField(_("Tên giấy tờ"), max_length=500)
    original_count = models.PositiveSmallIntegerField(_("Số bản chính"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("Số bản sao"), default=0)
    certified_copy = models.BooleanField(_("Bản sao phải có chứng thực"), default=False)
    is_required = models.BooleanField(_("Bắt buộc"), default=True)
    form_template = models.FileField(_("Mẫu đơn, tờ khai"), upload_to="catalog/forms/", blank=True)
    form_template_name = models.CharField(
        _("Tên mẫu đơn, tờ khai"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Tờ khai đăng ký khai sinh."),
    )
    must_digitise = models.BooleanField(_("Phải số hóa"), default=True)
    reusable = models.BooleanField(
        _("Được dùng lại từ kho giấy tờ của công dân"),
        default=False,
        help_text=_("Giấy tờ đã số hóa trong kho dữ liệu của công dân được dùng lại, không phải nộp lại."),
    )
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("Thành phần hồ sơ")
        verbose_name_plural = _("Thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.original_count == 0 and self.copy_count == 0:
            raise ValidationError(_("Ghi ít nhất một bản chính hoặc một bản sao."))

    @property
    def quantity_display(self) -> str:
        parts = []
        if self.original_count:
            parts.append(_("%(n)d bản chính") % {"n": self.original_count})
        if self.copy_count:
            label = _("%(n)d bản sao có chứng thực") if self.certified_copy else _("%(n)d bản sao")
            parts.append(label % {"n": self.copy_count})
        return ", ".join(str(p) for p in parts)


class FeeQuerySet(models.QuerySet):
    def of_procedure(self):
        """The procedure's own schedule (the lines no implementation overrides)."""
        return self.filter(implementation__isnull=True)


class Fee(models.Model):
    """A fee (phí) or state charge (lệ phí) of a procedure, in whole đồng.

    A line with an `implementation` belongs to that agency's own schedule (where the province sets other amounts
    for it): an implementation with at least one line of its own replaces the procedure's whole schedule for the
    dossiers that agency resolves; one without keeps the procedure's lines (the rows with no implementation).
    """

    class Kind(models.TextChoices):
        ADMIN_CHARGE = "admin_charge", _("Lệ phí")
        SERVICE_FEE = "service_fee", _("Phí")

    class Basis(models.TextChoices):
        FIXED = "fixed", _("Mỗi hồ sơ")
        PER_PAGE = "per_page", _("Mỗi trang")
        PER_COPY = "per_copy", _("Mỗi bản")
        PER_CASE = "per_case", _("Mỗi trường hợp")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="fees", verbose_name=_("Thủ tục")
    )
    implementation = models.ForeignKey(
        "ProcedureImplementation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fees",
        verbose_name=_("Cơ quan thực hiện"),
        help_text=_(
            "Để trống: mức thu chung của thủ tục. Điền: mức thu riêng của cơ quan này do tỉnh quy định."
        ),
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=1)
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind.choices, default=Kind.ADMIN_CHARGE)
    description = models.CharField(_("Nội dung"), max_length=500)
    amount = models.PositiveBigIntegerField(
        _("Mức thu (đồng)"), null=True, blank=True, help_text=_("Để trống nếu mức thu do HĐND tỉnh quy định.")
    )
    basis = models.CharField(_("Cách tính"), max_length=10, choices=Basis.choices, default=Basis.FIXED)
    max_amount = models.PositiveBigIntegerField(_("Mức thu tối đa (đồng)"), null=True, blank=True)
    online_amount = models.PositiveBigIntegerField(
        _("Mức thu khi nộp trực tuyến (đồng)"),
        null=True,
        blank=True,
        help_text=_("Chỉ điền khi khác mức thu chung."),
    )
    exemptions = models.CharField(_("Đối tượng miễn, giảm"), max_length=500, blank=True)
    legal_basis = models.CharField(_("Căn cứ thu"), max_length=500, blank=True)

    objects = FeeQuerySet.as_manager()

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("Phí, lệ phí")
        verbose_name_plural = _("Phí, lệ phí")

    def __str__(self) -> str:
        return self.description

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.implementation_id
            and self.procedure_id
            and self.implementation.procedure_id != self.procedure_id
        ):
            errors["implementation"] = _("Cơ quan thực hiện không thuộc thủ tục của khoản phí này.")
        if self.max_amount is not None and self.amount is not None and self.max_amount < self.amount:
            errors["max_amount"] = _("Mức thu tối đa không được nhỏ hơn mức thu.")
        if self.online_amount is not None and self.amount is not None and self.online_amount > self.amount:
            errors["online_amount"] = _("Mức thu trực tuyến không được cao hơn mức thu chung.")
        if errors:
            raise ValidationError(errors)

    def amount_for(self, channel: str = "counter") -> int | None:
        if channel == "online" and self.online_amount is not None:
            return self.online_amount
        return self.amount


class ProcedureFormField(models.Model):
    """One field of a procedure's online form (tờ khai trực tuyến): what the applicant types when submitting online.

    `key` names the value in the stored answers (letters, digits and underscores); the label is what the
    applicant reads. A "choice" field lists its options one per line in `choices`.
    """

    class Kind(models.TextChoices):
        TEXT = "text", _("Chữ")
        NUMBER = "number", _("Số")
        DATE = "date", _("Ngày (dd/mm/yyyy)")
        CHOICE = "choice", _("Chọn trong danh sách")
        CHECKBOX = "checkbox", _("Ô đánh dấu")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="form_fields", verbose_name=_("Thủ tục")
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=1)
    key = models.CharField(
        _("Mã trường"),
        max_length=50,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]*$",
                _("Mã trường chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ."),
            )
        ],
        help_text=_("Ví dụ: ten_ho_kinh_doanh. Không đổi sau khi đã có hồ sơ nộp."),
    )
    label = models.CharField(_("Nhãn hiển thị"), max_length=200)
    kind = models.CharField(_("Kiểu dữ liệu"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    is_required = models.BooleanField(_("Bắt buộc"), default=False)
    choices = models.TextField(
        _("Các lựa chọn"),
        blank=True,
        help_text=_("Chỉ dùng cho kiểu “Chọn trong danh sách”: mỗi dòng một lựa chọn."),
    )
    help_text = models.CharField(_("Hướng dẫn nhập"), max_length=500, blank=True)

    class Meta:
        ordering = ["procedure", "position", "id"]
        verbose_name = _("Trường thông tin trên tờ khai trực tuyến")
        verbose_name_plural = _("Trường thông tin trên tờ khai trực tuyến")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "key"], name="catalog_form_field_unique_key")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in (self.choices or "").splitlines() if line.strip()]

    def clean(self):
        super().clean()
        options = self.choice_list
        if self.kind == self.Kind.CHOICE:
            if len(options) < 2:
                raise ValidationError({"choices": _("Kiểu “Chọn trong danh sách” cần ít nhất hai lựa chọn.")})
            if len(set(options)) != len(options):
                raise ValidationError({"choices": _("Các lựa chọn không được trùng nhau.")})
        elif options:
            raise ValidationError({"choices": _("Chỉ kiểu “Chọn trong danh sách” mới có các lựa chọn.")})


def validate_step_shares(shares) -> None:
    """Raise ValidationError unless every share is between 0 and 1 and together they fit the legal time."""
    shares = [Decimal(s) for s in shares if s is not None]
    if any(s < 0 or s > 1 for s in shares):
        raise ValidationError(_("Tỷ lệ thời gian của mỗi bước phải từ 0 đến 1 (0% đến 100%)."))
    total = sum(shares, Decimal("0"))
    if total > 1:
        raise ValidationError(
            _("Tổng tỷ lệ thời gian của các bước là %(total)s%%, vượt quá thời hạn giải quyết (100%%).")
            % {"total": f"{(total * 100).normalize():f}".replace(".", ",")}
        )


class ProcessTemplate(models.Model):
    """The internal process (quy trình nội bộ) of a procedure: its ordered steps."""

    class Variant(models.TextChoices):
        NORMAL = "normal", _("Quy trình thông thường")
        ON_THE_SPOT = "on_the_spot", _("Quy trình “5 tại chỗ”")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="process_templates", verbose_name=_("Thủ tục")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="process_templates",
        verbose_name=_("Áp dụng cho cơ quan"),
        help_text=_("Để trống: áp dụng chung cho mọi cơ quan."),
    )
    variant = models.CharField(
        _("Loại quy trình"), max_length=20, choices=Variant.choices, default=Variant.NORMAL
    )
    name = models.CharField(_("Tên quy trình"), max_length=300, blank=True)
    is_active = models.BooleanField(_("Đang áp dụng"), default=True)

    class Meta:
        ordering = ["procedure", "variant"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "variant", "agency"], name="catalog_unique_process_per_agency"
            ),
            models.UniqueConstraint(
                fields=["procedure", "variant"],
                condition=Q(agency__isnull=True),
                name="catalog_unique_generic_process",
            ),
        ]
        verbose_name = _("Quy trình nội bộ")
        verbose_name_plural = _("Quy trình nội bộ")

    def __str__(self) -> str:
        return self.name or f"{self.procedure.code} – {self.get_variant_display()}"

    def clean(self):
        super().clean()
        if self.variant == self.Variant.ON_THE_SPOT and self.procedure_id and not self.procedure.on_the_spot:
            raise ValidationError(
                {"variant": _("Thủ tục chưa được đánh dấu “5 tại chỗ” nên không có quy trình “5 tại chỗ”.")}
            )
        if self.pk:
            validate_step_shares(self.steps.values_list("share", flat=True))

    @property
    def ordered_steps(self) -> list["ProcessStep"]:
        return list(self.steps.order_by("position", "id"))


class ProcessStep(models.Model):
    """One step of a process template, done by a staff role in an agency within a share of the legal time."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Tiếp nhận hồ sơ")
        TRANSFER = "transfer", _("Chuyển hồ sơ")
        APPRAISAL = "appraisal", _("Thẩm định, xử lý hồ sơ")
        APPROVAL = "approval", _("Phê duyệt, ký kết quả")
        ISSUE = "issue", _("Vào sổ, đóng dấu, phát hành")
        RETURN = "return", _("Trả kết quả")

    template = models.ForeignKey(
        ProcessTemplate, on_delete=models.CASCADE, related_name="steps", verbose_name=_("Quy trình")
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"))
    kind = models.CharField(_("Loại bước"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Tên bước"), max_length=300)
    role = models.CharField(_("Vai trò thực hiện"), max_length=30, choices=StaffRole.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_steps",
        verbose_name=_("Cơ quan thực hiện"),
        help_text=_("Để trống: cơ quan giải quyết của thủ tục."),
    )
    share = models.DecimalField(
        _("Tỷ lệ thời gian"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Phần của thời hạn giải quyết dành cho bước này, từ 0 đến 1 (ví dụ 0,25 = 25%)."),
    )

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="catalog_unique_step_position"),
        ]
        verbose_name = _("Bước xử lý")
        verbose_name_plural = _("Bước xử lý")

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def acting_agency(self) -> Agency:
        """The agency whose staff do this step (the procedure's resolving agency when left empty)."""
        return self.agency or self.template.procedure.resolving_agency

    def time_budget(self, channel: str = "counter") -> tuple[Decimal, str] | None:
        """This step's share of the legal time limit as (value, unit); None without a fixed limit.

        A same-day limit is budgeted in working hours (one working day = 8 hours).
        """
        value, unit = self.template.procedure.time_limit_for(channel)
        if unit == TimeLimitUnit.SAME_DAY:
            return (self.share * HOURS_PER_WORKING_DAY, TimeLimitUnit.WORKING_HOURS)
        if value is None or not unit:
            return None
        return (value * self.share, unit)


# Longest prefix stored per word: longer query words are cut to this length before matching.
MAX_TERM_LENGTH = 40


class SearchTerm(models.Model):
    """A word prefix of a procedure's search text (code, name, field, agency), folded.

    Every prefix of two characters or more of every word is stored, so that a query word matches by an indexed
    equality, on SQLite and PostgreSQL alike, whatever the database collation.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=MAX_TERM_LENGTH)

    class Meta:
        indexes = [models.Index(fields=["term", "procedure"], name="catalog_searchterm_term")]

    def __str__(self) -> str:
        return self.term


def search_terms(text: str) -> set[str]:
    """The prefixes (2 characters or more, at most MAX_TERM_LENGTH) of every word of a folded text."""
    terms = set()
    for word in text.split():
        word = word[:MAX_TERM_LENGTH]
        terms.update(word[:n] for n in range(2, len(word) + 1))
        if len(word) == 1:
            terms.add(word)
    return terms


def rebuild_search_terms(procedures) -> None:
    """Replace the search terms of `procedures` (their search_text must be current)."""
    procedures = list(procedures)
    SearchTerm.objects.filter(procedure__in=[p.pk for p in procedures]).delete()
    SearchTerm.objects.bulk_create(
        (
            SearchTerm(procedure=p, term=term)
            for p in procedures
            for term in sorted(search_terms(p.search_text))
        ),
        batch_size=2000,
    )
