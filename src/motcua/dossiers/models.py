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

from . import identity


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

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.applicant_type not in self.Type.values:
            add("applicant_type", _("Loại chủ hồ sơ không hợp lệ."))
        if not self.name:
            add("name", _("Chưa nhập họ và tên hoặc tên tổ chức."))
        if self.applicant_type == self.Type.CITIZEN:
            if self.id_type not in self.CITIZEN_ID_TYPES:
                add("id_type", _("Công dân cần giấy tờ là CCCD, CMND hoặc hộ chiếu."))
            else:
                try:
                    identity.validate_id_number(self.id_type, self.id_number)
                except ValidationError as exc:
                    add("id_number", exc.messages[0])
            if self.date_of_birth:
                today = timezone.localdate()
                if self.date_of_birth > today:
                    add("date_of_birth", _("Ngày sinh không được sau ngày hôm nay."))
                elif self.date_of_birth < datetime.date(1900, 1, 1):
                    add("date_of_birth", _("Ngày sinh không hợp lệ."))
        elif self.applicant_type == self.Type.ORGANISATION:
            if not self.tax_code:
                add("tax_code", _("Chưa nhập mã số thuế của tổ chức."))
            else:
                try:
                    identity.validate_tax_code(self.tax_code)
                except ValidationError as exc:
                    add("tax_code", exc.messages[0])
            if self.date_of_birth:
                add("date_of_birth", _("Tổ chức không có ngày sinh."))
        if self.phone:
            try:
                identity.validate_phone(self.phone)
            except ValidationError as exc:
                add("phone", exc.messages[0])
        if errors:
            raise ValidationError(errors)
