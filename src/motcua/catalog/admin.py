"""Catalog administration: procedures with their documents and fees, process templates with their steps,
and Excel import (with a dry run) and export from the procedure list."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .models import (
    Fee,
    Field,
    Procedure,
    ProcedureFormField,
    ProcedureImplementation,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
    validate_step_shares,
)
from .spreadsheet import export_catalog, import_catalog
from .spreadsheet.layout import DOCUMENT_FIELDS, FEE_FIELDS, IMPLEMENTATION_FIELDS


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


# The columns of the documents sheet, with the form's file after its name and without the note.
DOCUMENT_INLINE_FIELDS = tuple(
    field
    for name in DOCUMENT_FIELDS
    if name != "note"
    for field in ((name, "form_template") if name == "form_template_name" else (name,))
)


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = DOCUMENT_INLINE_FIELDS


# The columns of the fee sheet, but for the legal basis (a long text, out of place in a table row).
FEE_INLINE_FIELDS = tuple(name for name in FEE_FIELDS if name != "legal_basis")
# The columns of the implementations sheet, the agency by its field rather than its id.
IMPLEMENTATION_INLINE_FIELDS = tuple(
    "agency" if name == "agency_id" else name for name in IMPLEMENTATION_FIELDS
)


class FeeInline(admin.TabularInline):
    """The procedure's own fee schedule (an implementing agency's own schedule is edited on its row)."""

    model = Fee
    fk_name = "procedure"
    extra = 0
    fields = FEE_INLINE_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).of_procedure()


class ImplementationFeeFormSet(BaseInlineFormSet):
    def save_new(self, form, commit=True):
        fee = form.save(commit=False)
        fee.procedure_id = self.instance.procedure_id
        if commit:
            fee.save()
        return fee


class ImplementationFeeInline(admin.TabularInline):
    """The agency's own fee schedule for the procedure: when it has any line, it replaces the procedure's."""

    model = Fee
    fk_name = "implementation"
    formset = ImplementationFeeFormSet
    extra = 0
    fields = FEE_INLINE_FIELDS
    verbose_name = _("Phí, lệ phí riêng của cơ quan")
    verbose_name_plural = _("Phí, lệ phí riêng của cơ quan (để trống: theo mức thu chung của thủ tục)")


class ProcedureFormFieldInline(admin.TabularInline):
    """The fields of the procedure's online form (what the applicant types when submitting online)."""

    model = ProcedureFormField
    extra = 0
    fields = ("position", "key", "label", "kind", "is_required", "choices", "help_text")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}


class ProcedureImplementationInline(admin.TabularInline):
    """The agencies implementing the procedure (one row per agency and period)."""

    model = ProcedureImplementation
    extra = 0
    show_change_link = True
    autocomplete_fields = ("agency",)
    fields = IMPLEMENTATION_INLINE_FIELDS


class CatalogImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False, initial=True)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "field",
        "resolving_agency",
        "time_limit_display",
        "online_level",
        "on_the_spot",
        "status",
    )
    list_filter = ("status", "online_level", "on_the_spot", "source_confidence", "resolving_agency", "field")
    search_fields = ("code", "name", "search_text")
    autocomplete_fields = ("field", "resolving_agency", "superseded_by")
    filter_horizontal = ("cooperating_agencies",)
    inlines = [ProcedureImplementationInline, RequiredDocumentInline, FeeInline, ProcedureFormFieldInline]
    change_list_template = "admin/catalog/procedure/change_list.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "field",
                    "resolving_agency",
                    "cooperating_agencies",
                    "levels",
                    "applicant_types",
                    "status",
                )
            },
        ),
        (
            _("Thời hạn giải quyết"),
            {
                "fields": (
                    "time_limit_value",
                    "time_limit_unit",
                    "time_limit_text",
                    "online_time_limit_value",
                    "online_time_limit_unit",
                    "same_day_cutoff",
                )
            },
        ),
        (
            _("Dịch vụ công trực tuyến, “5 tại chỗ”, liên thông"),
            {
                "fields": (
                    "online_level",
                    "receive_anywhere",
                    "receive_anywhere_decision",
                    "online_level_legacy",
                    "on_the_spot",
                    "on_the_spot_decision",
                    "on_the_spot_decision_date",
                    "interlinked",
                )
            },
        ),
        (
            _("Nội dung công khai"),
            {
                "fields": (
                    "set_count",
                    "submission_method",
                    "execution_steps",
                    "conditions",
                    "result_type",
                    "legal_basis",
                    "fee_text",
                )
            },
        ),
        (
            _("Hiệu lực và nguồn"),
            {"fields": ("valid_from", "valid_to", "superseded_by", "source_confidence", "source_note")},
        ),
    )

    @admin.display(description=_("Thời hạn"))
    def time_limit_display(self, obj):
        return obj.time_limit_display()

    def get_urls(self):
        extra = [
            path(
                "nhap-excel/", self.admin_site.admin_view(self.import_view), name="catalog_procedure_import"
            ),
            path(
                "xuat-excel/", self.admin_site.admin_view(self.export_view), name="catalog_procedure_export"
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:catalog_procedure_changelist")
        report = None
        form = CatalogImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = import_catalog(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
            if report.applied:
                messages.success(request, report.summary())
                return redirect("admin:catalog_procedure_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "opts": self.model._meta,
            "title": _("Nhập danh mục thủ tục từ Excel"),
        }
        return render(request, "admin/catalog/procedure/import.html", context)

    def export_view(self, request):
        response = HttpResponse(
            export_catalog(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="danh-muc-thu-tuc.xlsx"'
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_url": reverse("admin:catalog_procedure_import"),
            "export_url": reverse("admin:catalog_procedure_export"),
        }
        return super().changelist_view(request, extra_context)


class ProcessStepFormSet(BaseInlineFormSet):
    """Steps are checked together: their shares must fit the legal time limit."""

    def clean(self):
        super().clean()
        shares = [
            f.cleaned_data.get("share")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        try:
            validate_step_shares(shares)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    formset = ProcessStepFormSet
    extra = 0
    fields = ("position", "kind", "name", "role", "agency", "share")
    autocomplete_fields = ("agency",)


@admin.register(ProcedureImplementation)
class ProcedureImplementationAdmin(admin.ModelAdmin):
    """One agency's implementation of a procedure, with its own fee schedule."""

    list_display = ("procedure", "agency", "level", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("procedure__code", "procedure__name", "agency__name", "agency__identity_code")
    autocomplete_fields = ("procedure", "agency")
    list_select_related = ("procedure", "agency")
    inlines = [ImplementationFeeInline]
    fields = ("procedure", *IMPLEMENTATION_INLINE_FIELDS)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "procedure", "variant", "agency", "is_active")
    list_filter = ("variant", "is_active")
    search_fields = ("procedure__code", "procedure__name", "name")
    autocomplete_fields = ("procedure", "agency")
    inlines = [ProcessStepInline]
