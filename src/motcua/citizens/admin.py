from django.contrib import admin

from .models import CitizenProfile, OnlineResult, Submission


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = (
        "applicant",
        "user",
        "has_national_portal_account",
        "identity_level",
        "identity_checked_by",
        "created_by",
        "created_at",
    )
    list_filter = (
        "has_national_portal_account",
        "national_portal_registered_at_counter",
        "identity_level",
        "identity_checked_by",
    )
    raw_id_fields = ("user", "applicant", "created_by")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "user", "state", "dossier", "updated_at")
    list_filter = ("state",)
    raw_id_fields = ("user", "procedure", "dossier")


@admin.register(OnlineResult)
class OnlineResultAdmin(admin.ModelAdmin):
    list_display = ("dossier", "original_name", "uploaded_by", "uploaded_at", "downloaded_at")
    raw_id_fields = ("dossier", "uploaded_by")
