from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from motcua.audit.admin_mixins import AuditReasonAdminMixin
from motcua.audit.context import audit_context

from .models import AdminLevel, AdminUnit, Agency, Center, Counter, Reorganisation, StaffAssignment
from .permissions import is_province_administrator, provinces_administered
from .reorganisation import load_plan, reorganise
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


class ReorganisationPlanForm(forms.Form):
    """A reorganisation plan, pasted or uploaded as JSON (the format of `motcua reorganise`)."""

    plan = forms.CharField(
        label=_("Kế hoạch (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100, "spellcheck": "false"}),
        help_text=_("Dán nội dung kế hoạch, hoặc chọn tệp bên dưới."),
    )
    plan_file = forms.FileField(label=_("Hoặc tệp kế hoạch"), required=False)

    def clean(self):
        data = super().clean()
        text = data.get("plan") or ""
        upload = data.get("plan_file")
        if upload is not None:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError(_("Tệp kế hoạch phải được mã hóa UTF-8.")) from exc
        if not text.strip():
            raise ValidationError(_("Hãy dán kế hoạch hoặc chọn tệp kế hoạch."))
        data["text"] = text
        data["parsed"] = load_plan(text)
        return data


def _agency_codes(plan: dict) -> tuple[set[str], set[str]]:
    """The agency identity codes and administrative unit codes a plan names."""
    agencies, units = set(), set()

    def entries(key):
        value = plan.get(key)
        return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []

    for entry in entries("merges"):
        agencies.update(str(c).strip().upper() for c in entry.get("from") or [] if isinstance(c, str))
        agencies.add(str(entry.get("into") or "").strip().upper())
        units.add(str(entry.get("unit") or "").strip())
    for entry in entries("splits"):
        agencies.add(str(entry.get("from") or "").strip().upper())
        for item in entry.get("into") or []:
            if isinstance(item, dict):
                agencies.add(str(item.get("code") or "").strip().upper())
                units.add(str(item.get("unit") or "").strip())
    for entry in entries("units"):
        units.update(str(c).strip() for c in entry.get("from") or [] if isinstance(c, str))
        units.add(str(entry.get("into") or "").strip())
        units.add(str(entry.get("parent") or "").strip())
    return agencies - {""}, units - {""}


def _outside_provinces(user, plan: dict) -> list[str]:
    """Names of the agencies and units the plan names that lie outside the provinces `user` administers."""
    provinces = provinces_administered(user)
    if provinces is None:
        return []
    allowed = {p.pk for p in provinces}

    def inside(unit) -> bool:
        seen = set()
        while unit is not None and unit.pk not in seen:
            if unit.pk in allowed:
                return True
            seen.add(unit.pk)
            unit = unit.parent
        return False

    agency_codes, unit_codes = _agency_codes(plan)
    outside = [a.name for a in Agency.objects.filter(identity_code__in=agency_codes) if not inside(a.unit)]
    outside += [u.name for u in AdminUnit.objects.filter(code__in=unit_codes) if not inside(u)]
    return outside


@admin.register(Reorganisation)
class ReorganisationAdmin(admin.ModelAdmin):
    """The reorganisations applied (read only), and the page that previews a plan and applies it on confirm."""

    list_display = ("applied_at", "effective", "basis", "applied_by", "source")
    list_filter = ("source",)
    search_fields = ("basis",)
    readonly_fields = (
        "applied_at",
        "applied_by",
        "source",
        "effective",
        "basis",
        "plan_display",
        "report_display",
    )
    fields = readonly_fields

    @admin.display(description=_("Kế hoạch"))
    def plan_display(self, obj):
        import json

        from django.utils.html import format_html

        return format_html('<pre tabindex="0">{}</pre>', json.dumps(obj.plan, ensure_ascii=False, indent=2))

    @admin.display(description=_("Kết quả"))
    def report_display(self, obj):
        from django.utils.html import format_html

        return format_html('<pre tabindex="0">{}</pre>', obj.report)

    def has_module_permission(self, request):
        return is_province_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_province_administrator(request.user)

    def has_add_permission(self, request):
        return is_province_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("add/", self.admin_site.admin_view(self.reorganise_view), name="org_reorganisation_add"),
            *super().get_urls(),
        ]

    def reorganise_view(self, request):
        """Paste or upload a plan → the dry run's report (what moves where, counts, refusals) → confirm → applied,
        recorded and shown. The same service as `motcua reorganise`; a bad plan changes nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        plan_text = ""
        confirm = request.method == "POST" and "confirm" in request.POST
        form = ReorganisationPlanForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            plan, plan_text = form.cleaned_data["parsed"], form.cleaned_data["text"]
            outside = _outside_provinces(request.user, plan)
            try:
                if outside:
                    raise ValidationError(
                        _("Kế hoạch có cơ quan, đơn vị ngoài tỉnh anh/chị quản trị: %(names)s.")
                        % {"names": ", ".join(sorted(outside))}
                    )
                report = reorganise(plan, dry_run=not confirm, actor=request.user, record_source="admin")
            except ValidationError as exc:
                report = None
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if confirm:
                    self.message_user(
                        request,
                        _("Đã thực hiện sắp xếp tổ chức theo %(basis)s.") % {"basis": report.basis},
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:org_reorganisation_change", args=[report.record.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sắp xếp tổ chức: xem trước và thực hiện"),
            "form": form,
            "report": report,
            "plan_text": plan_text,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/org/reorganisation/reorganise.html", context)
