from django import forms
from django.utils.translation import gettext_lazy as _

from .indicators import ASKED, INDICATORS, OVERALL_CHOICES
from .models import Recommendation


class EvaluationForm(forms.Form):
    """The indicators a citizen can answer (1-6, 2/1/0 points) and the overall question; 7-9 are set from the
    records (`services.record_points`)."""

    overall = forms.ChoiceField(
        label=_("Ông/bà hài lòng với việc giải quyết hồ sơ?"),
        choices=OVERALL_CHOICES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, label, choices in INDICATORS:
            if number not in ASKED:
                continue  # 7-9 come from the records, not from the citizen
            self.fields[f"indicator_{number}"] = forms.TypedChoiceField(
                label=_("Chỉ số %(n)d: %(label)s") % {"n": number, "label": label},
                choices=[
                    (points, _("%(text)s (%(n)d điểm)") % {"text": text, "n": points})
                    for points, text in choices.items()
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Chưa chọn mức đánh giá cho chỉ số này.")},
            )
        # indicators first, then the overall question and the comment
        self.order_fields([f"indicator_{n}" for n in ASKED] + ["overall", "comment"])

    def points(self) -> dict:
        return {n: self.cleaned_data[f"indicator_{n}"] for n in ASKED}


class KioskLookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    phone = forms.CharField(label=_("Số điện thoại hoặc số giấy tờ trên hồ sơ"), max_length=30)


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = [
            "kind",
            "sender_name",
            "sender_phone",
            "sender_email",
            "dossier_code",
            "title",
            "content",
            "consent_publish",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan xử lý"), queryset=None)
    days = forms.IntegerField(label=_("Thời hạn trả lời (ngày làm việc)"), min_value=1, max_value=60)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
