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
