"""Django admin support for the audit trail: a "Lý do thay đổi" field on every change form of an audited model,
and the base of the admin of records nobody edits there (`ReadOnlyAdmin`).

    from motcua.audit.admin_mixins import AuditReasonAdminMixin

    @admin.register(Procedure)
    class ProcedureAdmin(AuditReasonAdminMixin, admin.ModelAdmin): ...

The reason applies to everything saved by the request (the object, its inlines and many-to-many fields);
the actor is the logged-in administrator (set by the audit middleware).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.utils.translation import gettext_lazy as _

from .context import set_reason

REASON_FIELD = "audit_reason"


class AuditReasonAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        # The reason is not a model field: keep it out of the field list the model form is built from.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != REASON_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        field = forms.CharField(
            label=_("Lý do thay đổi"),
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Được ghi vào nhật ký thay đổi cùng nội dung thay đổi."),
        )
        return type(form.__name__, (form,), {REASON_FIELD: field})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if not any(REASON_FIELD in (options.get("fields") or ()) for _name, options in fieldsets):
            fieldsets.append((_("Nhật ký thay đổi"), {"fields": (REASON_FIELD,)}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        set_reason(form.cleaned_data.get(REASON_FIELD, ""))
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The admin of records that change only through their services, or never (the audit trail, documents,
    financial records): it shows them; nobody adds, changes or deletes one there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
