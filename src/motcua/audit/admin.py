from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: audit rows are append-only."""

    list_display = ("created_at", "action", "content_type", "object_repr", "actor_name", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name", "reason", "object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
