from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditReasonAdminMixin
from motcua.org.admin import StaffAssignmentInline

from .models import User


@admin.register(User)
class UserAdmin(AuditReasonAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Thông tin bổ sung"), {"fields": ("full_name", "phone")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "phone")
    inlines = [StaffAssignmentInline]
