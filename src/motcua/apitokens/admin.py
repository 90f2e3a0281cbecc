from django.contrib import admin
from django.utils.translation import gettext_lazy

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "label", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "label")
    readonly_fields = ("prefix", "key_digest", "created_at", "last_used_at")
    actions = ["revoke"]

    @admin.action(description=gettext_lazy("Thu hồi các mã đã chọn"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()

    def has_add_permission(self, request):
        # Tokens are issued with `motcua issue_token USERNAME`, which shows the token once.
        return False
