from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride, WorkingHoursPeriod

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class CalendarOverrideForm(forms.ModelForm):
    """Dates are typed dd/mm/yyyy (the Vietnamese locale has no input format of its own: 02/01 would be read
    as 1 February)."""

    date = forms.DateField(
        label=_("Ngày"),
        input_formats=DATE_INPUT_FORMATS,
        widget=AdminDateWidget(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày không hợp lệ; hãy ghi dạng dd/mm/yyyy, ví dụ 02/01/2025.")},
    )

    class Meta:
        model = CalendarOverride
        fields = ("date", "kind", "name", "legal_reference", "province")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    form = CalendarOverrideForm
    list_display = (
        "date_display",
        "kind",
        "name",
        "legal_reference",
        "province_or_national",
        "entered_by",
        "updated_at",
    )
    list_filter = ("kind", "province")
    date_hierarchy = "date"
    search_fields = ("name", "legal_reference")
    readonly_fields = ("entered_by", "created_at", "updated_at")
    fields = ("date", "kind", "name", "legal_reference", "province", "entered_by", "created_at", "updated_at")
    list_select_related = ("province", "entered_by")

    @admin.display(description=_("Ngày"), ordering="date")
    def date_display(self, obj):
        return f"{obj.date:%d/%m/%Y}"

    @admin.display(description=_("Phạm vi"), ordering="province__name")
    def province_or_national(self, obj):
        return obj.province or _("Toàn quốc")

    def save_model(self, request, obj, form, change):
        if obj.entered_by_id is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WorkingHoursPeriod)
class WorkingHoursPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "center_or_all", "starts_on", "ends_on", "monday", "friday", "saturday")
    list_filter = ("center",)
    fieldsets = (
        (None, {"fields": ("center", "name", "starts_on", "ends_on")}),
        (
            _("Khung giờ làm việc (dạng 07:00-11:30,13:30-17:00; để trống là ngày nghỉ)"),
            {"fields": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
        ),
    )

    @admin.display(description=_("Phạm vi"), ordering="center__name")
    def center_or_all(self, obj):
        return obj.center or _("Mọi trung tâm")
