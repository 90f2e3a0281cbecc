from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import ScanPagesField

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class ResultForm(forms.Form):
    """Digitise and register the result of a dossier."""

    pages = ScanPagesField(label=_("Bản quét kết quả (có thể chọn nhiều trang)"), required=False)
    title = forms.CharField(label=_("Tên kết quả"), max_length=500, required=False)
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=100,
        required=False,
        help_text=_("Để trống để lấy số tiếp theo trong sổ."),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=200)
    issued_on = forms.DateField(label=_("Ngày ký"), input_formats=DATE_FORMATS, required=False)
    valid_until = forms.DateField(label=_("Có giá trị đến"), input_formats=DATE_FORMATS, required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    sign = forms.BooleanField(label=_("Ký số bằng chứng thư số của cơ quan"), required=False, initial=True)


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Tệp kết quả (PDF)"))


class SupplementForm(forms.Form):
    """The components supplied for a dossier waiting for a supplement: the scanned pages (or files) of each
    requested item, and optionally one more document named by the officer."""

    other_title = forms.CharField(label=_("Giấy tờ khác (tên)"), max_length=500, required=False)
    other = ScanPagesField(label=_("Bản quét giấy tờ khác"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = ScanPagesField(label=item, required=False)
        self.order_fields([f"item_{i}" for i in range(len(self.items))] + ["other_title", "other", "note"])

    def item_fields(self):
        return [self[f"item_{i}"] for i in range(len(self.items))]

    def clean(self):
        data = super().clean()
        if data.get("other") and not (data.get("other_title") or "").strip():
            self.add_error("other_title", _("Chưa ghi tên giấy tờ bổ sung."))
        if not self.errors and not self.supplied():
            raise forms.ValidationError(_("Chưa chọn tệp giấy tờ bổ sung nào."))
        return data

    def supplied(self) -> list:
        data = self.cleaned_data
        result = [(item, data.get(f"item_{i}") or []) for i, item in enumerate(self.items)]
        result.append(((data.get("other_title") or "").strip(), data.get("other") or []))
        return [(title, pages) for title, pages in result if pages]
