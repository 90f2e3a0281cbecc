from django.contrib import admin

from motcua.audit.admin_mixins import AuditReasonAdminMixin

from .models import Applicant


@admin.register(Applicant)
class ApplicantAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "applicant_type", "id_type", "masked_id_number", "phone", "created_at")
    list_filter = ("applicant_type", "id_type")
    search_fields = ("name", "id_number", "tax_code", "phone", "email")
    readonly_fields = ("created_at", "updated_at")
