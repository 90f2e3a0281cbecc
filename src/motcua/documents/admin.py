from django.contrib import admin

from .models import Document, DossierDigitisation


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DossierDigitisation)
class DossierDigitisationAdmin(admin.ModelAdmin):
    list_display = (
        "dossier",
        "digitisation_status",
        "components_digitised",
        "components_reused",
        "result_digitised",
    )
    list_filter = ("digitisation_status", "result_digitised")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
