from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Applicant
from motcua.privacy.notice import consent_field

ID_TYPES = [(v, label) for v, label in Applicant.IdType.choices if v != Applicant.IdType.TAX_CODE]


class ProfileForm(forms.Form):
    """The details a citizen keeps up to date on their profile; registration asks them too."""

    date_of_birth = forms.DateField(
        label=_("Ngày sinh (dd/mm/yyyy)"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    has_national_portal_account = forms.BooleanField(
        label=_("Tôi đã có tài khoản Cổng Dịch vụ công quốc gia"), required=False
    )


class CitizenForm(ProfileForm):
    """A citizen's account: who they are (fixed once registered), then the details of their profile."""

    field_order = ["full_name", "id_type", "id_number"]

    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    id_type = forms.ChoiceField(label=_("Loại giấy tờ"), choices=ID_TYPES, initial="cccd")
    id_number = forms.CharField(
        label=_("Số CCCD / CMND / hộ chiếu"), max_length=30, help_text=_("Dùng số này để đăng nhập.")
    )


class RegisterForm(CitizenForm):
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput, strip=False)
    consent = consent_field()

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class WalkInForm(CitizenForm):
    registered_national_portal = forms.BooleanField(
        label=_("Đã hỗ trợ công dân đăng ký tài khoản Cổng Dịch vụ công quốc gia"), required=False
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    contact = forms.CharField(
        label=_("Số điện thoại hoặc số CCCD / CMND / hộ chiếu / mã số thuế trên hồ sơ"),
        max_length=30,
        required=False,
    )
    # the same two keys as the API (GET /api/v1/lookup?code=&phone= or &id_number=)
    phone = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(max_length=30, required=False, widget=forms.HiddenInput)


class SupplementRequestForm(forms.Form):
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một giấy tờ)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=_("Hướng dẫn thêm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def item_list(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do từ chối tiếp nhận"), widget=forms.Textarea(attrs={"rows": 3}))


class ExternalConsentForm(forms.Form):
    """The first login through an identity provider: the citizen agrees to the personal-data notice."""

    consent = consent_field()


class CloseAccountForm(forms.Form):
    """The citizen withdraws consent and closes the account, having read what is deleted and what is kept."""

    confirm = forms.BooleanField(
        label=_("Tôi đã đọc những gì bị xóa và những gì phải giữ theo quy định, và muốn xóa tài khoản."),
        required=True,
        error_messages={"required": _("Vui lòng đánh dấu xác nhận trước khi xóa tài khoản.")},
    )
