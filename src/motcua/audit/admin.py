from django.contrib import admin

from .admin_mixins import ReadOnlyAdmin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: audit rows are append-only."""

    list_display = ("created_at", "action", "content_type", "object_repr", "actor_name", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name", "reason", "object_id")
    date_hierarchy = "created_at"

    def get_actions(self, request):
        return {}
