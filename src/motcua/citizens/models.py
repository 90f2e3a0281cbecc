"""Citizen accounts, online submissions (drafts and submitted), their uploaded files, and online results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import audited


@audited()
class CitizenProfile(models.Model):
    """The citizen behind a portal account: identity and contacts, and whether they have a National Public
    Service Portal account (for the registration-rate report)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_profile",
        verbose_name=_("Tài khoản"),
    )
    applicant = models.ForeignKey(
        "dossiers.Applicant",
        on_delete=models.PROTECT,
        related_name="citizen_profiles",
        verbose_name=_("Chủ hồ sơ"),
    )
    has_national_portal_account = models.BooleanField(
        _("Đã có tài khoản Cổng Dịch vụ công quốc gia"), default=False
    )
    national_portal_registered_at_counter = models.BooleanField(
        _("Được hỗ trợ đăng ký tài khoản Cổng Dịch vụ công quốc gia tại quầy"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cán bộ tạo tài khoản"),
        help_text=_("Để trống khi công dân tự đăng ký."),
    )
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True, db_index=True)

    class IdentityCheck(models.TextChoices):
        COUNTER = "counter", _("Cán bộ tiếp nhận đối chiếu giấy tờ tại quầy")
        PROVIDER = "provider", _("Tài khoản định danh điện tử (VNeID, Cổng Dịch vụ công quốc gia)")

    # How the identity number of the account was checked (empty: typed by the citizen, not checked). Only a
    # checked number opens the dossiers filed under it elsewhere (at the counter, by post, on the portal).
    identity_checked_by = models.CharField(
        _("Số định danh đã được xác thực qua"), max_length=10, choices=IdentityCheck.choices, blank=True
    )

    class IdentityLevel(models.IntegerChoices):
        """The electronic identification level (Decree 69/2024/NĐ-CP): level 2 was checked in person against
        the citizen's chip card; level 1 only against the national population database."""

        NONE = 0, _("Chưa có thông tin")
        LEVEL_1 = 1, _("Mức 1")
        LEVEL_2 = 2, _("Mức 2")

    # As the identity provider's token said at the citizen's last login through it.
    identity_level = models.PositiveSmallIntegerField(
        _("Mức định danh điện tử"), choices=IdentityLevel.choices, default=IdentityLevel.NONE
    )
    identity_provider = models.CharField(_("Đăng nhập lần cuối qua"), max_length=40, blank=True)
    identity_level_at = models.DateTimeField(_("Mức định danh ghi nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Tài khoản công dân")
        verbose_name_plural = _("Tài khoản công dân")

    def __str__(self) -> str:
        return self.applicant.name

    @property
    def identity_checked(self) -> bool:
        return bool(self.identity_checked_by)

    @property
    def identity_verified(self) -> bool:
        """Enough for what needs a verified identity (the dossiers filed under the number elsewhere): a level-2
        electronic identity, or a number an officer checked against the papers at the counter."""
        return (
            self.identity_level >= self.IdentityLevel.LEVEL_2
            or self.identity_checked_by == self.IdentityCheck.COUNTER
        )

    @property
    def vneid_verified(self) -> bool:
        """TaiKhoanDuocXacThucVoiVNeID of the National Portal sync: a level-2 electronic identity."""
        return self.identity_level >= self.IdentityLevel.LEVEL_2


class Submission(models.Model):
    """An online submission by a citizen account: a draft until submitted, then linked to its dossier."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Hồ sơ nháp")
        SUBMITTED = "submitted", _("Đã nộp")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("Tài khoản nộp"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+", verbose_name=_("Thủ tục")
    )
    summary = models.CharField(_("Nội dung yêu cầu"), max_length=500, blank=True)
    return_method = models.CharField(_("Hình thức nhận kết quả"), max_length=10, default="online")
    # The online form of the procedure (fields defined in the catalog): the values typed, by field key (text,
    # number as a decimal string, date as yyyy-mm-dd, choice, checkbox as true/false) ...
    form_data = models.JSONField(_("Thông tin trên tờ khai"), default=dict, blank=True)
    # ... and, from submission on, what was declared as it was labelled then: [{"key", "label", "value"}].
    form_answers = models.JSONField(_("Tờ khai đã nộp"), default=list, blank=True)
    state = models.CharField(_("Trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_submission",
        verbose_name=_("Hồ sơ"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Lưu lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("Nộp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Hồ sơ nộp trực tuyến")
        verbose_name_plural = _("Hồ sơ nộp trực tuyến")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.procedure.name} ({self.get_state_display()})"


def submission_upload_path(instance, filename):
    # `filename` is already the safe, generated name (see uploads.stored_name)
    return f"online/{instance.submission.user_id}/{instance.submission_id}/{filename}"


class SubmissionFile(models.Model):
    """One checked file of an online submission: for a required document, or added when supplementing."""

    class Purpose(models.TextChoices):
        INITIAL = "initial", _("Nộp ban đầu")
        SUPPLEMENT = "supplement", _("Bổ sung")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Thành phần hồ sơ"),
    )
    title = models.CharField(_("Tên giấy tờ"), max_length=500)
    purpose = models.CharField(_("Mục đích"), max_length=12, choices=Purpose.choices, default=Purpose.INITIAL)
    file = models.FileField(_("Tệp"), upload_to=submission_upload_path, max_length=300)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("Loại nội dung"), max_length=50)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("Tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("Tệp đính kèm")
        verbose_name_plural = _("Tệp đính kèm")
        ordering = ["submission", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


def result_upload_path(instance, filename):
    return f"results/{instance.dossier_id}/{filename}"


class OnlineResult(models.Model):
    """The result of a dossier delivered online (toàn trình): the signed PDF the citizen downloads."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="online_result", verbose_name=_("Hồ sơ")
    )
    file = models.FileField(_("Tệp kết quả"), upload_to=result_upload_path, max_length=300)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=200)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("Tải lên lúc"), auto_now_add=True)
    downloaded_at = models.DateTimeField(_("Công dân tải về lần đầu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kết quả trực tuyến")
        verbose_name_plural = _("Kết quả trực tuyến")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.original_name}"
