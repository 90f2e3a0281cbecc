from django import forms
from django.utils.translation import gettext_lazy as _


class AgencyContactForm(forms.Form):
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    reason = forms.CharField(
        label=_("Lý do thay đổi"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
