"""Documents: every file attached to a dossier (components at intake, supplements, results), the dossier's
digitisation state, the register of result numbers, and the applicant's electronic data store (kho quản lý dữ
liệu điện tử), which is the set of stored documents of an applicant (`Document.objects.in_store`).
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import audited


def document_path(instance, filename: str) -> str:
    """An unguessable storage name: a random folder and a random name with the detected extension only."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.{extension}"


class DocumentQuerySet(models.QuerySet):
    def in_store(self):
        """Documents kept in the applicant's electronic data store: digitised components and results, own files
        (not copies made by re-use), not withdrawn."""
        return self.filter(in_store=True, reused_from__isnull=True, withdrawn_at__isnull=True)

    def valid_on(self, day):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


@audited(exclude=("file",))
class Document(models.Model):
    """One file of a dossier, with what it is and how it was digitised."""

    class Kind(models.TextChoices):
        COMPONENT = "component", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Bổ sung")
        RESULT = "result", _("Kết quả giải quyết")

    class Origin(models.TextChoices):
        SCANNED = "scanned", _("Số hóa tại quầy")
        UPLOADED = "uploaded", _("Công dân tải lên")
        REUSED = "reused", _("Dùng lại từ kho dữ liệu")
        GENERATED = "generated", _("Do hệ thống tạo")

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="digital_documents",
        verbose_name=_("Hồ sơ"),
    )
    applicant = models.ForeignKey(
        "dossiers.Applicant",
        on_delete=models.PROTECT,
        related_name="digital_documents",
        verbose_name=_("Chủ giấy tờ"),
    )
    dossier_document = models.ForeignKey(
        "dossiers.DossierDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digital_documents",
        verbose_name=_("Thành phần hồ sơ"),
    )
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digital_documents",
        verbose_name=_("Loại giấy tờ"),
    )
    kind = models.CharField(_("Loại"), max_length=12, choices=Kind.choices, default=Kind.COMPONENT)
    title = models.CharField(_("Tên giấy tờ"), max_length=500)
    issuing_body = models.CharField(_("Cơ quan cấp"), max_length=300, blank=True)
    number = models.CharField(_("Số, ký hiệu"), max_length=100, blank=True)
    issued_on = models.DateField(_("Ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("Có giá trị đến"), null=True, blank=True)
    signer_name = models.CharField(_("Người ký"), max_length=200, blank=True)
    summary = models.CharField(_("Trích yếu"), max_length=500, blank=True)
    file = models.FileField(_("Tệp"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=200, blank=True)
    content_type = models.CharField(_("Loại nội dung"), max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(_("Dung lượng (byte)"), default=0)
    page_count = models.PositiveIntegerField(_("Số trang"), default=0)
    sha256 = models.CharField(_("Mã băm SHA-256"), max_length=64, db_index=True)
    origin = models.CharField(_("Nguồn"), max_length=10, choices=Origin.choices)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("Dùng lại từ"),
    )
    in_store = models.BooleanField(_("Lưu trong kho dữ liệu của công dân"), default=True)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người số hóa"),
    )
    digitised_at = models.DateTimeField(_("Số hóa lúc"), default=timezone.now, db_index=True)
    signed = models.BooleanField(_("Đã ký số"), default=False)
    signature_info = models.CharField(_("Thông tin chữ ký số"), max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Giấy tờ điện tử")
        verbose_name_plural = _("Giấy tờ điện tử")
        ordering = ["dossier", "kind", "id"]
        indexes = [
            models.Index(fields=["applicant", "in_store"], name="document_store_idx"),
            models.Index(fields=["dossier", "kind"], name="document_dossier_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_valid_today(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()

    def download_name(self) -> str:
        """A safe name for the download: the title folded to letters, digits and dashes, with the real type."""
        from motcua.catalog.text import fold
        from motcua.uploads import EXTENSION_OF

        stem = "-".join(fold(self.title).split())[:80] or "giay-to"
        stem = "".join(ch for ch in stem if ch.isalnum() or ch == "-")
        return f"{stem}.{EXTENSION_OF.get(self.content_type, 'bin')}"


class DigitisationStatus(models.TextChoices):
    NONE = "none", _("Chưa số hóa")
    PARTIAL = "partial", _("Số hóa một phần")
    COMPONENTS = "components", _("Đã số hóa thành phần hồ sơ")
    COMPLETE = "complete", _("Đã số hóa thành phần và kết quả")


class DossierDigitisation(models.Model):
    """The digitisation state of a dossier (cache of its documents; kept current by `services`)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="digitisation", verbose_name=_("Hồ sơ")
    )
    components_total = models.PositiveSmallIntegerField(_("Số thành phần"), default=0)
    components_digitised = models.PositiveSmallIntegerField(_("Số thành phần đã số hóa"), default=0)
    components_reused = models.PositiveSmallIntegerField(_("Số thành phần dùng lại"), default=0)
    result_digitised = models.BooleanField(_("Đã số hóa kết quả"), default=False)
    result = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kết quả"),
    )
    digitisation_status = models.CharField(
        _("Trạng thái số hóa"),
        max_length=12,
        choices=DigitisationStatus.choices,
        default=DigitisationStatus.NONE,
    )
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Trạng thái số hóa hồ sơ")
        verbose_name_plural = _("Trạng thái số hóa hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.get_digitisation_status_display()}"


class ResultNumberCounter(models.Model):
    """The last number given to a result issued by an agency in a year (sổ đăng ký kết quả)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_result_counter")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.last_number}"


# --- signing certificates ------------------------------------------------------------------------------------


class SigningFolderStorage(FileSystemStorage):
    """The folder `<MOTCUA_SIGNING_DIR>/agencies` (read from the settings at each use), outside the repository;
    files readable by the server's user only."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        from .signing import signing_dir

        return str(signing_dir() / "agencies")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class _SigningStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["signing"] if "signing" in settings.STORAGES else SigningFolderStorage()


_signing_storage = _SigningStorage()


@receiver(setting_changed)
def _signing_storage_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "MOTCUA_SIGNING_DIR"):
        _signing_storage._wrapped = empty


def signing_storage():
    """Where agencies' key bundles are kept: the storage named "signing" in STORAGES when a deployment defines
    one (e.g. a private bucket), otherwise a folder under MOTCUA_SIGNING_DIR (looked up lazily, like Django's
    default storage)."""
    return _signing_storage


def bundle_path(instance, filename: str) -> str:
    return f"{secrets.token_urlsafe(24)}.p12"


@audited(exclude=("bundle",))
class AgencyCertificate(models.Model):
    """The certificate an agency signs its electronic results with, and its private key.

    The key and the certificate chain are kept as one PKCS#12 bundle in `signing_storage()` (never in the
    database, never in the repository), encrypted with the deployment's passphrase (MOTCUA_SIGNING_PASSPHRASE;
    see `motcua.documents.signing`). The row keeps what people need to see: subject, issuer, serial number,
    validity and the certificate's SHA-256 fingerprint (how a verified signature is traced back to its agency).
    """

    agency = models.OneToOneField(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="signing_certificate",
        verbose_name=_("Cơ quan"),
    )
    bundle = models.FileField(
        _("Khóa và chứng thư (PKCS#12, đã mã hóa)"),
        storage=signing_storage,
        upload_to=bundle_path,
        max_length=200,
    )
    subject = models.CharField(_("Chủ thể"), max_length=500)
    issuer = models.CharField(_("Tổ chức cấp"), max_length=500)
    serial_number = models.CharField(_("Số sê-ri"), max_length=80)
    fingerprint = models.CharField(_("Dấu vân tay SHA-256"), max_length=64, unique=True)
    valid_from = models.DateTimeField(_("Hiệu lực từ"))
    valid_until = models.DateTimeField(_("Hiệu lực đến"))
    is_demo = models.BooleanField(_("Chứng thư trình diễn (không có giá trị pháp lý)"), default=False)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người cài đặt"),
    )
    installed_at = models.DateTimeField(_("Cài đặt lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("Chứng thư số của cơ quan")
        verbose_name_plural = _("Chứng thư số của cơ quan")
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.subject}"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.valid_from <= now <= self.valid_until
