"""Dossiers and the people they belong to.

`Applicant` (chủ hồ sơ, and the submitter who may act on their behalf) is defined here; the rest of the
dossier domain builds on it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import audited

from . import identity


@audited(sensitive=("id_number", "tax_code", "phone", "date_of_birth", "email", "address"))
class Applicant(models.Model):
    """A citizen or an organisation that submits dossiers (chủ hồ sơ) or submits for someone else.

    One row per identity (ID type + number); `motcua.dossiers.applicants.find_or_create_applicant` finds it
    again and refreshes the contact details. For an organisation the tax code is its identity.
    """

    class Type(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")

    class IdType(models.TextChoices):
        CCCD = "cccd", _("Căn cước công dân")
        CMND = "cmnd", _("Chứng minh nhân dân")
        PASSPORT = "passport", _("Hộ chiếu")
        TAX_CODE = "tax_code", _("Mã số thuế")

    CITIZEN_ID_TYPES = (IdType.CCCD, IdType.CMND, IdType.PASSPORT)

    applicant_type = models.CharField(
        _("Loại chủ hồ sơ"), max_length=20, choices=Type.choices, default=Type.CITIZEN
    )
    name = models.CharField(_("Họ và tên / Tên tổ chức"), max_length=255)
    id_type = models.CharField(_("Loại giấy tờ"), max_length=20, choices=IdType.choices, default=IdType.CCCD)
    id_number = models.CharField(_("Số giấy tờ"), max_length=30, blank=True)
    date_of_birth = models.DateField(_("Ngày sinh"), null=True, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=500, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    tax_code = models.CharField(_("Mã số thuế"), max_length=14, blank=True)
    representative = models.CharField(_("Người đại diện theo pháp luật"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("Chủ hồ sơ")
        verbose_name_plural = _("Chủ hồ sơ")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number"], name="unique_applicant_identity"),
            models.CheckConstraint(
                condition=Q(applicant_type="organisation", id_type="tax_code")
                | (Q(applicant_type="citizen") & ~Q(id_type="tax_code")),
                name="applicant_id_type_matches_type",
            ),
        ]
        indexes = [models.Index(fields=["phone"], name="applicant_phone_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        """The ID number with all but the last 4 characters hidden, for screens that do not need it."""
        n = self.id_number or ""
        return "•" * max(len(n) - 4, 0) + n[-4:]

    def normalize(self) -> None:
        """Tidy the input in place: trim, collapse spaces, canonical phone and ID forms."""
        self.name = " ".join((self.name or "").split())
        self.address = " ".join((self.address or "").split())
        self.representative = " ".join((self.representative or "").split())
        self.email = (self.email or "").strip().lower()
        self.phone = identity.normalize_phone(self.phone) if self.phone else ""
        self.tax_code = identity.normalize_tax_code(self.tax_code)
        if self.applicant_type == self.Type.ORGANISATION:
            if not self.tax_code and self.id_type == self.IdType.TAX_CODE:
                self.tax_code = identity.normalize_tax_code(self.id_number)
            self.id_type = self.IdType.TAX_CODE
            self.id_number = self.tax_code
        else:
            self.id_number = identity.normalize_id_number(self.id_type, self.id_number)

    def full_clean(self, *args, **kwargs):
        self.normalize()
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        self.normalize()
        errors: dict[str, list] = {}
        for field, message in self._problems():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _problems(self):
        """Each problem with the (normalised) input as (field, message), in the order the form shows them."""
        if self.applicant_type not in self.Type.values:
            yield "applicant_type", _("Loại chủ hồ sơ không hợp lệ.")
        if not self.name:
            yield "name", _("Chưa nhập họ và tên hoặc tên tổ chức.")
        if self.applicant_type == self.Type.CITIZEN:
            yield from self._citizen_problems()
        elif self.applicant_type == self.Type.ORGANISATION:
            yield from self._organisation_problems()
        if self.phone:
            yield from _rejected("phone", identity.validate_phone, self.phone)

    def _citizen_problems(self):
        """A citizen: an ID paper of a citizen's kind with a valid number; a plausible date of birth if given."""
        if self.id_type not in self.CITIZEN_ID_TYPES:
            yield "id_type", _("Công dân cần giấy tờ là CCCD, CMND hoặc hộ chiếu.")
        else:
            yield from _rejected("id_number", identity.validate_id_number, self.id_type, self.id_number)
        if self.date_of_birth:
            if self.date_of_birth > timezone.localdate():
                yield "date_of_birth", _("Ngày sinh không được sau ngày hôm nay.")
            elif self.date_of_birth < datetime.date(1900, 1, 1):
                yield "date_of_birth", _("Ngày sinh không hợp lệ.")

    def _organisation_problems(self):
        """An organisation: a valid tax code, and no date of birth."""
        if not self.tax_code:
            yield "tax_code", _("Chưa nhập mã số thuế của tổ chức.")
        else:
            yield from _rejected("tax_code", identity.validate_tax_code, self.tax_code)
        if self.date_of_birth:
            yield "date_of_birth", _("Tổ chức không có ngày sinh.")


def _rejected(field, validate, *values):
    """(field, the validator's first message) when ``validate(*values)`` rejects the values; nothing otherwise."""
    try:
        validate(*values)
    except ValidationError as exc:
        yield field, exc.messages[0]


# --- Dossiers, their history and their codes -------------------------------------------------------------

from django.conf import settings  # noqa: E402

from .states import STATUS_OF_STATE, Channel, PortalStatus, ReturnMethod, State, StepOutcome  # noqa: E402


class DossierQuerySet(models.QuerySet):
    def open(self):
        """Dossiers still being handled (received, in a step, or paused)."""
        return self.filter(
            state__in=[State.RECEIVED, State.IN_STEP, State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL]
        )

    def most_urgent_first(self):
        return self.order_by(models.F("current_step_due_at").asc(nulls_last=True), "due_at", "received_at")


class Dossier(models.Model):
    """A dossier (hồ sơ): one application for one procedure, from reception to the returned result.

    `status` and `state` are a cache of the event history (`DossierEvent`); they change only through the
    transition functions of `motcua.dossiers.services`.
    """

    code = models.CharField(
        _("Mã hồ sơ"),
        max_length=40,
        null=True,
        blank=True,
        help_text=_(
            "{mã định danh cơ quan}-{YYMMDD}-{số thứ tự}, cấp khi tiếp nhận (Thông tư 01/2018 Điều 19)."
        ),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Thủ tục")
    )
    procedure_code = models.CharField(
        _("Mã thủ tục khi tiếp nhận"),
        max_length=40,
        help_text=_("Hồ sơ giữ mã thủ tục tại thời điểm tiếp nhận."),
    )
    process = models.ForeignKey(
        "catalog.ProcessTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("Quy trình"),
    )
    on_the_spot = models.BooleanField(_("“5 tại chỗ”"), default=False)
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Chủ hồ sơ")
    )
    submitter = models.ForeignKey(
        Applicant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_dossiers",
        verbose_name=_("Người nộp hồ sơ"),
        help_text=_("Để trống khi chủ hồ sơ tự nộp."),
    )
    channel = models.CharField(_("Kênh nộp"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("Cơ quan tiếp nhận"),
    )
    resolving_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="resolved_dossiers",
        verbose_name=_("Cơ quan giải quyết"),
    )
    status = models.PositiveSmallIntegerField(
        _("Trạng thái"), choices=PortalStatus.choices, default=PortalStatus.REGISTERED, db_index=True
    )
    state = models.CharField(
        _("Trạng thái nội bộ"),
        max_length=30,
        choices=State.choices,
        default=State.ONLINE_PENDING,
    )
    summary = models.CharField(_("Nội dung hồ sơ"), max_length=500, blank=True)
    set_count = models.PositiveSmallIntegerField(_("Số bộ hồ sơ"), default=1)
    return_method = models.CharField(
        _("Hình thức nhận kết quả"), max_length=10, choices=ReturnMethod.choices, default=ReturnMethod.COUNTER
    )
    regime = models.CharField(
        _("Chế độ quy định"),
        max_length=10,
        default="2018",
        help_text=_(
            "Theo nơi và ngày tiếp nhận (giai đoạn áp dụng chế độ quy định); giữ nguyên suốt vòng đời."
        ),
    )

    submitted_at = models.DateTimeField(_("Ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("Ngày tiếp nhận"), null=True, blank=True, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_dossiers",
        verbose_name=_("Người tiếp nhận"),
    )
    due_at = models.DateTimeField(
        _("Hạn giải quyết theo quy định"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Thời hạn pháp lý; dùng cho thống kê trước hạn, đúng hạn, quá hạn."),
    )
    appointment_at = models.DateTimeField(
        _("Ngày hẹn trả"),
        null=True,
        blank=True,
        help_text=_("Ngày hẹn với công dân; phiếu xin lỗi có thể dời."),
    )
    finished_at = models.DateTimeField(_("Ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("Ngày trả kết quả"), null=True, blank=True)

    current_step = models.ForeignKey(
        "catalog.ProcessStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bước hiện tại"),
    )
    current_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_dossiers",
        verbose_name=_("Cơ quan đang xử lý"),
        db_index=False,  # served by dossier_agency_state_idx
    )
    current_step_started_at = models.DateTimeField(_("Nhận bước lúc"), null=True, blank=True)
    current_step_due_at = models.DateTimeField(_("Hạn xử lý của bước"), null=True, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_dossiers",
        verbose_name=_("Người đang xử lý"),
    )

    paused_at = models.DateTimeField(_("Tạm dừng từ"), null=True, blank=True)
    paused_state = models.CharField(_("Trạng thái trước khi tạm dừng"), max_length=30, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("Số lần yêu cầu bổ sung"), default=0)
    supplement_items = models.JSONField(_("Nội dung yêu cầu bổ sung"), default=list, blank=True)
    apology_count = models.PositiveSmallIntegerField(_("Số lần xin lỗi"), default=0)
    closing_reason = models.TextField(_("Lý do (từ chối, trả lại, rút hồ sơ)"), blank=True)

    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("Hồ sơ")
        verbose_name_plural = _("Hồ sơ")
        ordering = ["-received_at", "-id"]
        permissions = [("import_dossier", _("Nhập hồ sơ lịch sử (được ghi ngày tiếp nhận)"))]
        indexes = [
            models.Index(fields=["current_agency", "state"], name="dossier_agency_state_idx"),
            models.Index(fields=["state", "due_at"], name="dossier_state_due_idx"),
        ]
        # Every index is written on every intake and on every transition that changes its columns: these two
        # composite indexes also serve filters on `state` and on `current_agency` alone, and the code is unique
        # through a constraint (no extra pattern index: the code search is a substring search, which no B-tree
        # serves).
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.CheckConstraint(condition=Q(status__gte=1, status__lte=10), name="dossier_status_1_to_10"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    def clean(self):
        super().clean()
        if STATUS_OF_STATE.get(self.state) != self.status:
            raise ValidationError(_("Trạng thái không khớp với trạng thái nội bộ."))

    @property
    def is_paused(self) -> bool:
        return self.state in (State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL)


class DossierEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Dossier events are append-only.")

    def delete(self):
        raise TypeError("Dossier events are append-only.")


class DossierEvent(models.Model):
    """One row per change of a dossier: the process-control slip (Mẫu 05), the audit trail, the statistics.

    Rows are appended, never changed or deleted.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events", verbose_name=_("Hồ sơ")
    )
    at = models.DateTimeField(_("Thời điểm"), db_index=True)
    action = models.CharField(_("Thao tác"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_events",
        verbose_name=_("Người thực hiện"),
    )
    actor_name = models.CharField(_("Tên người thực hiện"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cơ quan"),
    )
    step = models.ForeignKey(
        "catalog.ProcessStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bước"),
    )
    step_name = models.CharField(_("Tên bước"), max_length=300, blank=True)
    step_due_at = models.DateTimeField(_("Hạn xử lý của bước"), null=True, blank=True)
    step_outcome = models.CharField(_("Kết quả bước"), max_length=10, choices=StepOutcome.choices, blank=True)
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người nhận"),
    )
    next_step_name = models.CharField(_("Bước tiếp theo"), max_length=300, blank=True)
    note = models.TextField(_("Ghi chú, ý kiến"), blank=True)
    from_status = models.PositiveSmallIntegerField(_("Từ trạng thái"), null=True, blank=True)
    to_status = models.PositiveSmallIntegerField(_("Sang trạng thái"))
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    data = models.JSONField(_("Dữ liệu kèm theo"), default=dict, blank=True)

    objects = DossierEventQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = _("Sự kiện hồ sơ")
        verbose_name_plural = _("Quá trình xử lý hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Dossier events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Dossier events are append-only.")

    @property
    def action_label(self) -> str:
        from .workflow import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


class Regime(models.TextChoices):
    """The one-stop rules a dossier is handled under (API.md: `regime`)."""

    DECREE_61_2018 = "2018", _("Nghị định 61/2018/NĐ-CP (Thông tư 01/2018/TT-VPCP)")
    DECREE_118_2025 = "2025", _("Nghị định 118/2025/NĐ-CP (Thông tư 03/2025/TT-VPCP)")


@audited()
class RegimePeriod(models.Model):
    """From `valid_from` on, dossiers received in `province` (every province when empty) follow `regime`.

    A dossier takes the regime of the latest period started on its receipt day, a period of its own province
    winning over a nationwide one, and keeps it for life (`Dossier.regime`). The nationwide defaults are Decree
    61/2018 until 30/06/2025 and Decree 118/2025 from 01/07/2025; an administrator can give a province its own
    dates. With no period stored the law's dates apply (`regimes.DEFAULT_PERIODS`); the `MOTCUA_RULE_REGIME`
    setting answers only for a day no period covers.
    """

    province = models.ForeignKey(
        "org.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regime_periods",
        limit_choices_to={"kind__in": ["province", "city"]},
        verbose_name=_("Tỉnh, thành phố"),
        help_text=_("Để trống nếu áp dụng toàn quốc."),
    )
    regime = models.CharField(_("Chế độ quy định"), max_length=10, choices=Regime.choices)
    valid_from = models.DateField(
        _("Áp dụng từ ngày"), null=True, blank=True, help_text=_("Để trống: áp dụng từ trước mọi hồ sơ.")
    )
    basis = models.CharField(_("Căn cứ"), max_length=300, blank=True)
    forms_from = models.DateField(
        _("Áp dụng biểu mẫu mới từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày tỉnh áp dụng biểu mẫu của chế độ này (Thông tư 03/2025/TT-VPCP). Hồ sơ tiếp nhận trước ngày đó "
            "in biểu mẫu cũ. Để trống: áp dụng ngay từ ngày bắt đầu."
        ),
    )

    class Meta:
        ordering = ["province", "valid_from"]
        verbose_name = _("Giai đoạn áp dụng chế độ quy định")
        verbose_name_plural = _("Giai đoạn áp dụng chế độ quy định")

    def __str__(self) -> str:
        start = self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…"
        return f"{self.get_regime_display()} — {self.province or _('Toàn quốc')} — {start}"

    def clean(self):
        super().clean()
        same_start = RegimePeriod.objects.filter(province=self.province, valid_from=self.valid_from).exclude(
            pk=self.pk
        )
        if same_start.exists():
            raise ValidationError({"valid_from": _("Đã có một giai đoạn bắt đầu cùng ngày cho phạm vi này.")})
        if self.forms_from and self.valid_from and self.forms_from < self.valid_from:
            raise ValidationError(
                {"forms_from": _("Ngày áp dụng biểu mẫu mới không được trước ngày bắt đầu giai đoạn.")}
            )


class DossierCodeCounter(models.Model):
    """The last sequence number given to a dossier received by an agency on a day (gap-free, never reused)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan")
    )
    day = models.DateField(_("Ngày"))
    last_number = models.PositiveIntegerField(_("Số cuối"), default=0)

    class Meta:
        verbose_name = _("Bộ đếm mã hồ sơ")
        verbose_name_plural = _("Bộ đếm mã hồ sơ")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_code_counter_per_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day:%y%m%d} {self.last_number}"


class DossierDocument(models.Model):
    """One component of the dossier as checked at the counter (thành phần hồ sơ): originals, copies, scan."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="documents", verbose_name=_("Hồ sơ")
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=1)
    name = models.CharField(_("Tên giấy tờ"), max_length=500)
    original_count = models.PositiveSmallIntegerField(_("Số bản chính"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("Số bản sao"), default=0)
    file = models.FileField(_("Bản quét"), upload_to="dossiers/%Y/%m/", blank=True)

    class Meta:
        ordering = ["dossier", "position", "id"]
        verbose_name = _("Thành phần hồ sơ")
        verbose_name_plural = _("Thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class CounterGuidance(models.Model):
    """Guidance given at the counter without receiving (Mẫu 02, "Phiếu hướng dẫn hoàn thiện hồ sơ").

    The dossier brought to the counter is incomplete: the officer lists, once and fully, what is missing and
    hands the applicant the printed slip. No dossier is created, no code is issued and no clock starts
    (REFERENCE §1.2 step 2); the guidance is kept for the counter's statistics and for the next visit.
    """

    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+", verbose_name=_("Thủ tục")
    )
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("Nơi hướng dẫn")
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="guidances", verbose_name=_("Người được hướng dẫn")
    )
    officer = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cán bộ hướng dẫn"),
    )
    officer_name = models.CharField(_("Tên cán bộ hướng dẫn"), max_length=200, blank=True)
    at = models.DateTimeField(_("Thời điểm hướng dẫn"), db_index=True)
    items = models.JSONField(_("Giấy tờ cần bổ sung, hoàn thiện"), default=list)
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        verbose_name = _("Hướng dẫn hoàn thiện hồ sơ tại quầy")
        verbose_name_plural = _("Hướng dẫn hoàn thiện hồ sơ tại quầy")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["agency", "at"], name="guidance_agency_at_idx")]

    def __str__(self) -> str:
        return f"{self.procedure_id} – {self.applicant_id} – {self.at:%d/%m/%Y}"
