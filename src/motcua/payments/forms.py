from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PaymentMethod

COUNTER_METHODS = [(m.value, m.label) for m in PaymentMethod if m != PaymentMethod.ONLINE]


class CollectForm(forms.Form):
    payer_name = forms.CharField(label=_("Họ tên người nộp tiền"), max_length=200)
    payer_id_number = forms.CharField(label=_("Số giấy tờ"), max_length=30, required=False)
    method = forms.ChoiceField(label=_("Hình thức thanh toán"), choices=COUNTER_METHODS)
    terminal_reference = forms.CharField(
        label=_("Mã tham chiếu (máy POS, chuyển khoản)"), max_length=100, required=False
    )


class AdjustForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền mới (đồng)"), min_value=0)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class RefundForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền hoàn (đồng)"), min_value=1)
    reason = forms.CharField(label=_("Lý do hoàn phí"), max_length=500)
    bank_account = forms.CharField(label=_("Tài khoản nhận hoàn phí"), max_length=200, required=False)


class DecisionForm(forms.Form):
    approve = forms.ChoiceField(
        label=_("Quyết định"), choices=[("1", _("Đồng ý hoàn phí")), ("0", _("Từ chối"))]
    )
    note = forms.CharField(label=_("Ý kiến"), max_length=500, required=False)


class OpenBookForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan thu"), queryset=None)
    template_no = forms.CharField(
        label=_("Mẫu số"),
        max_length=30,
        initial="01BLP0-001",
        help_text=_(
            "Ký hiệu mẫu biên lai, ví dụ 01BLP0-001 (Thông tư 78/2021) hoặc EBL01 (Thông tư 32/2025)."
        ),
    )
    series = forms.CharField(
        label=_("Ký hiệu"),
        max_length=30,
        help_text=_("Hai chữ cái, dấu “-”, hai số cuối của năm lập biên lai và chữ E, ví dụ KT-26E."),
    )
    first_number = forms.IntegerField(label=_("Số bắt đầu"), min_value=1, initial=1)
    capacity = forms.IntegerField(
        label=_("Số lượng biên lai (để trống nếu không giới hạn)"), min_value=1, required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
