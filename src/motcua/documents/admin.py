from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import ReadOnlyAdmin

from . import signing
from .models import AgencyCertificate, Document, DossierDigitisation


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Read-only: documents change only through the digitisation services."""

    list_display = ("title", "dossier", "kind", "origin", "number", "page_count", "digitised_at")
    list_filter = ("kind", "origin", "signed")
    search_fields = ("title", "number", "dossier__code", "sha256")
    raw_id_fields = (
        "dossier",
        "applicant",
        "dossier_document",
        "required_document",
        "reused_from",
        "digitised_by",
    )


@admin.register(DossierDigitisation)
class DossierDigitisationAdmin(ReadOnlyAdmin):
    list_display = (
        "dossier",
        "digitisation_status",
        "components_digitised",
        "components_reused",
        "result_digitised",
    )
    list_filter = ("digitisation_status", "result_digitised")


class AgencyCertificateForm(forms.ModelForm):
    """Upload an agency's PKCS#12 file (.p12/.pfx) with its password; the password opens it once and is not kept,
    the key is stored re-encrypted with the deployment's passphrase."""

    upload = forms.FileField(
        label=_("Tệp chứng thư số (.p12, .pfx)"),
        help_text=_("Tệp PKCS#12 chứa khóa bí mật và chứng thư số của cơ quan (xuất từ thiết bị ký số)."),
    )
    password = forms.CharField(
        label=_("Mật khẩu của tệp"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Chỉ dùng để mở tệp, không được lưu."),
    )

    class Meta:
        model = AgencyCertificate
        fields = ["agency"]

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 1024 * 1024:
                raise forms.ValidationError(_("Tệp chứng thư số quá lớn (tối đa 1 MB)."))
            self.bundle = signing.read_pkcs12(upload.read(), data.get("password") or "")
        return data


@admin.register(AgencyCertificate)
class AgencyCertificateAdmin(admin.ModelAdmin):
    """One signing certificate per agency: upload (or replace) it here; results it issues are signed with it."""

    form = AgencyCertificateForm
    list_display = ("agency", "subject", "issuer", "valid_until", "is_demo", "installed_at")
    list_filter = ("is_demo",)
    search_fields = ("agency__name", "subject", "fingerprint")
    readonly_fields = (
        "subject",
        "issuer",
        "serial_number",
        "fingerprint",
        "valid_from",
        "valid_until",
        "is_demo",
        "installed_by",
        "installed_at",
    )

    def get_readonly_fields(self, request, obj=None):
        return ("agency", *self.readonly_fields) if obj is not None else self.readonly_fields

    def get_fields(self, request, obj=None):
        fields = ["agency", "upload", "password"]
        return fields + list(self.readonly_fields) if obj is not None else fields

    def save_model(self, request, obj, form, change):
        installed = signing.install_certificate(obj.agency, form.bundle, actor=request.user)
        obj.pk = installed.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        name, storage = obj.bundle.name, obj.bundle.storage
        super().delete_model(request, obj)
        transaction.on_commit(lambda: storage.delete(name))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
