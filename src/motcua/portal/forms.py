from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import AdminLevelCode, Field, OnlineLevel
from motcua.catalog.search import MAX_QUERY_LENGTH, ProcedureFilters
from motcua.org.models import Agency


class ProcedureSearchForm(forms.Form):
    """The public search box and filters ("Tra cứu thủ tục hành chính")."""

    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=MAX_QUERY_LENGTH)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=Agency.objects.filter(procedures__isnull=False).distinct().order_by("name"),
        to_field_name="short_name",
        required=False,
        empty_label=_("Tất cả"),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả"),
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), choices=[("", _("Tất cả"))] + AdminLevelCode.choices, required=False
    )
    online_level = forms.ChoiceField(
        label=_("Mức độ"), choices=[("", _("Tất cả"))] + OnlineLevel.choices, required=False
    )
    on_the_spot = forms.BooleanField(label=_("Chỉ thủ tục “5 tại chỗ”"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": _("Nhập từ khoá tìm kiếm"), "type": "search"})

    def filters(self) -> ProcedureFilters:
        data = self.cleaned_data
        return ProcedureFilters(
            q=data.get("q") or "",
            agency=data["agency"].short_name if data.get("agency") else "",
            field=data["field"].code if data.get("field") else "",
            level=data.get("level") or "",
            online_level=data.get("online_level") or "",
            on_the_spot=True if data.get("on_the_spot") else None,
        )
