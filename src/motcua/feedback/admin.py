from django.contrib import admin

from .models import Evaluation, Recommendation


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("dossier", "agency", "channel", "total_points", "overall", "created_at")
    list_filter = ("channel", "overall", "agency")
    readonly_fields = [f.name for f in Evaluation._meta.fields]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "state", "agency", "due_at", "answered_at", "published")
    list_filter = ("state", "kind", "agency", "published")
