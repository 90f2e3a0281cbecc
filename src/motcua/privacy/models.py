"""Personal data duties (Decree 13/2023/NĐ-CP): the consent a citizen gave to a notice, and who read whose data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """A citizen agreed to the processing notice of `notice_version` for `purpose` (Decree 13 Art. 11: the
    consent is recorded in a form that can be shown later)."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Đăng ký tài khoản công dân")
        ONLINE_SUBMISSION = "online_submission", _("Nộp hồ sơ trực tuyến")
        EXTERNAL_LOGIN = "external_login", _("Đăng nhập bằng tài khoản định danh điện tử")

    given_at = models.DateTimeField(_("Thời điểm đồng ý"), default=timezone.now, db_index=True)
    purpose = models.CharField(_("Mục đích"), max_length=30, choices=Purpose.choices)
    notice_version = models.CharField(_("Phiên bản thông báo"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Tài khoản"),
    )
    applicant = models.ForeignKey(
        "dossiers.Applicant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người nộp"),
    )
    reference = models.CharField(_("Đối tượng"), max_length=60, blank=True)
    # The citizen withdrew this consent (Decree 13 Art. 12); the row stays as the record of both.
    withdrawn_at = models.DateTimeField(_("Rút lại sự đồng ý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sự đồng ý xử lý dữ liệu cá nhân")
        verbose_name_plural = _("Sự đồng ý xử lý dữ liệu cá nhân")
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.notice_version} ({self.given_at:%d/%m/%Y})"


class PersonalDataAccess(models.Model):
    """A staff member (or an API client acting as one) read an applicant's personal data."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Xem trên trang")
        FILE = "file", _("Tải tệp, in phiếu")
        API = "api", _("Đọc qua API")

    at = models.DateTimeField(_("Thời điểm"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Người xem"),
    )
    username = models.CharField(_("Tài khoản"), max_length=150)
    applicant = models.ForeignKey(
        "dossiers.Applicant",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Người nộp"),
    )
    applicant_name = models.CharField(_("Tên người nộp"), max_length=255, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("Hồ sơ")
    )
    dossier_code = models.CharField(_("Mã hồ sơ"), max_length=40, blank=True)
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("Cơ quan")
    )
    channel = models.CharField(_("Cách xem"), max_length=10, choices=Channel.choices)
    what = models.CharField(_("Nội dung đã xem"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("Nhật ký xem dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["applicant", "at"], name="privacy_access_applicant_at")]

    def __str__(self) -> str:
        return f"{self.username} → {self.applicant_name} ({self.get_channel_display()})"
