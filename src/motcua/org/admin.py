from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditReasonAdminMixin
from motcua.audit.context import audit_context

from .models import AdminLevel, AdminUnit, Agency, Center, Counter, StaffAssignment
from .services import merge_units


@admin.register(AdminLevel)
class AdminLevelAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "rank", "valid_from", "valid_to")


class MergeUnitsForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("Sáp nhập vào"), queryset=AdminUnit.objects.all())
    effective_date = forms.DateField(
        label=_("Ngày sáp nhập có hiệu lực"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")},
    )
    reason = forms.CharField(
        label=_("Lý do thay đổi"), max_length=500, help_text=_("Ví dụ: số, ngày của nghị quyết.")
    )


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "level", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level", "kind")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent", "successor")
    actions = ["merge_into"]

    @admin.action(description=_("Sáp nhập các đơn vị đã chọn vào một đơn vị khác"))
    def merge_into(self, request, queryset):
        units = list(queryset)
        form = MergeUnitsForm(request.POST if "apply" in request.POST else None)
        form.fields["successor"].queryset = AdminUnit.objects.exclude(pk__in=[u.pk for u in units])
        if form.is_valid():
            try:
                with audit_context(reason=form.cleaned_data["reason"]):
                    merge_units(units, form.cleaned_data["successor"], form.cleaned_data["effective_date"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("Đã sáp nhập %(count)d đơn vị vào %(name)s.")
                    % {"count": len(units), "name": form.cleaned_data["successor"].name},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sáp nhập đơn vị hành chính"),
            "units": units,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/org/adminunit/merge.html", context)


@admin.register(Agency)
class AgencyAdmin(AuditReasonAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "identity_code", "identity_code_is_demo", "kind", "unit")
    list_filter = ("kind", "identity_code_is_demo")
    search_fields = ("name", "short_name", "identity_code")
    autocomplete_fields = ("unit",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "identity_code",
                    "identity_code_is_demo",
                    "kind",
                    "unit",
                    "address",
                    "phone",
                    "email",
                    "valid_from",
                    "valid_to",
                )
            },
        ),
        (
            _("Tài khoản thu phí, lệ phí"),
            {
                "description": _(
                    "Tài khoản thụ hưởng gửi kèm hóa đơn khi công dân nộp phí, lệ phí qua Cổng DVCQG. "
                    "Nhập đủ cả ba thông tin, hoặc để trống cả ba."
                ),
                "fields": (
                    "collection_account_number",
                    "collection_bank_code",
                    "collection_account_name",
                    "collection_account_is_demo",
                ),
            },
        ),
    )


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
