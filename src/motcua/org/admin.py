from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditReasonAdminMixin

from .models import AdminLevel, AdminUnit, Agency, Center, Counter, StaffAssignment


@admin.register(AdminLevel)
class AdminLevelAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "rank", "valid_from", "valid_to")


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "level", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level", "kind")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent", "successor")


@admin.register(Agency)
class AgencyAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "identity_code", "identity_code_is_demo", "kind", "unit")
    list_filter = ("kind", "identity_code_is_demo")
    search_fields = ("name", "short_name", "identity_code")
    autocomplete_fields = ("unit",)


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    filter_horizontal = ("agencies",)


@admin.register(Center)
class CenterAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "unit", "agency")
    filter_horizontal = ("agencies",)
    inlines = [CounterInline]


@admin.register(Counter)
class CounterAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("number", "name", "center", "is_demo")
    filter_horizontal = ("agencies",)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "agency", "unit", "valid_from", "valid_to")
    list_filter = ("role", "agency")
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ("user", "agency", "unit")


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    autocomplete_fields = ("agency", "unit")
    verbose_name_plural = _("Vai trò và phạm vi công tác")
