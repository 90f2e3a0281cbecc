from django.contrib import admin

from motcua.audit.admin_mixins import AuditReasonAdminMixin, ReadOnlyAdmin

from .models import Applicant, CounterGuidance, Dossier, DossierEvent, RegimePeriod


@admin.register(Applicant)
class ApplicantAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "applicant_type", "id_type", "masked_id_number", "phone", "created_at")
    list_filter = ("applicant_type", "id_type")
    search_fields = ("name", "id_number", "tax_code", "phone", "email")
    readonly_fields = ("created_at", "updated_at")


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "actor_name", "agency", "step_name", "step_due_at", "step_outcome", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: a dossier changes only through its transitions (the staff screens and the API)."""

    list_display = (
        "code",
        "procedure_code",
        "applicant",
        "status",
        "received_at",
        "due_at",
        "appointment_at",
    )
    list_filter = ("status", "channel", "agency")
    search_fields = ("code", "applicant__name", "applicant__id_number", "applicant__phone")
    date_hierarchy = "received_at"
    inlines = [DossierEventInline]
    list_select_related = ("applicant",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegimePeriod)
class RegimePeriodAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    """The dates from which each province follows Decree 61/2018 or Decree 118/2025. A dossier keeps the regime
    it was received under, so a change here applies to dossiers received afterwards only."""

    list_display = ("regime", "province", "valid_from", "forms_from", "basis")
    list_filter = ("regime", "province")
    autocomplete_fields = ("province",)


@admin.register(CounterGuidance)
class CounterGuidanceAdmin(ReadOnlyAdmin):
    """Guidance given at the counter without receiving (Mẫu 02): read only, a record of what was said."""

    list_display = ("at", "agency", "procedure", "applicant", "officer_name")
    list_filter = ("agency",)
    date_hierarchy = "at"
    search_fields = ("procedure__code", "applicant__name", "officer_name")
    list_select_related = ("agency", "procedure", "applicant")
