"""Forms of the staff screens: counter intake and the action forms of the dossier page."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.uploads import allows_office_documents, check_upload

from .models import Applicant
from .states import Channel, ReturnMethod


def check_scan(upload) -> None:
    """A scan must pass the shared upload checks (`motcua.uploads`): PDF, JPEG or PNG by content."""
    check_upload(upload)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScanPagesField(forms.FileField):
    """Several pages (images or PDFs) of one component, checked one by one; they become one PDF."""

    def __init__(self, *args, allow_office=False, **kwargs):
        self.allow_office = allow_office
        accept = ".pdf,.jpg,.jpeg,.png" + (",.docx,.xlsx,.odt,.ods" if allow_office else "")
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [check_upload(f, self.allow_office) for f in files]


class IntakeForm(forms.Form):
    """ "Tiếp nhận hồ sơ": the applicant, who submits, the checklist, how the result comes back."""

    channel = forms.ChoiceField(
        label=_("Loại tiếp nhận"),
        choices=[(Channel.COUNTER, _("Trực tiếp")), (Channel.POSTAL, _("Qua bưu chính công ích"))],
        initial=Channel.COUNTER,
    )
    applicant_type = forms.ChoiceField(
        label=_("Loại chủ hồ sơ"), choices=Applicant.Type.choices, initial=Applicant.Type.CITIZEN
    )
    id_type = forms.ChoiceField(label=_("Loại giấy tờ"), choices=Applicant.IdType.choices, initial="cccd")
    id_number = forms.CharField(label=_("CCCD/CMND/Hộ chiếu hoặc Mã số thuế"), max_length=30)
    name = forms.CharField(label=_("Họ và tên / Tên tổ chức"), max_length=255)
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    submitter_is_applicant = forms.BooleanField(
        label=_("Người nộp là chủ hồ sơ"), required=False, initial=True
    )
    submitter_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255, required=False)
    submitter_id_number = forms.CharField(label=_("Số CCCD người nộp"), max_length=30, required=False)
    submitter_phone = forms.CharField(label=_("Số điện thoại người nộp"), max_length=20, required=False)
    set_count = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1)
    summary = forms.CharField(label=_("Nội dung hồ sơ"), max_length=500, required=False)
    return_method = forms.ChoiceField(
        label=_("Đăng ký nhận kết quả"), choices=ReturnMethod.choices, initial=ReturnMethod.COUNTER
    )
    on_the_spot = forms.BooleanField(label=_("Giải quyết theo “5 tại chỗ”"), required=False)
    refusal_reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance_items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, procedure=None, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.document_rows = []
        self.offers = offers or {}
        if procedure is None:
            return
        if not procedure.on_the_spot:
            del self.fields["on_the_spot"]
        for doc in procedure.documents.order_by("position", "id"):
            prefix = f"doc_{doc.pk}"
            self.fields[f"{prefix}_received"] = forms.BooleanField(
                label=doc.name, required=False, initial=doc.is_required
            )
            # The checklist is a table: each input is named after its column and its document for screen readers.
            self.fields[f"{prefix}_originals"] = forms.IntegerField(
                label=_("Bản chính"), min_value=0, max_value=99, initial=doc.original_count, required=False
            )
            self.fields[f"{prefix}_originals"].widget.attrs["aria-label"] = gettext(
                "Số bản chính: %(name)s"
            ) % {"name": doc.name}
            self.fields[f"{prefix}_copies"] = forms.IntegerField(
                label=_("Bản sao"), min_value=0, max_value=99, initial=doc.copy_count, required=False
            )
            self.fields[f"{prefix}_copies"].widget.attrs["aria-label"] = gettext("Số bản sao: %(name)s") % {
                "name": doc.name
            }
            self.fields[f"{prefix}_scan"] = ScanPagesField(
                label=_("Bản quét"), required=False, allow_office=allows_office_documents(doc)
            )
            self.fields[f"{prefix}_scan"].widget.attrs["aria-label"] = gettext("Tệp quét: %(name)s") % {
                "name": doc.name
            }
            stored = self.offers.get(doc.pk) or []
            if stored:
                self.fields[f"{prefix}_reuse"] = forms.TypedChoiceField(
                    label=_("Dùng lại giấy tờ trong kho"),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", _("— Không dùng lại —"))]
                    + [
                        (
                            d.pk,
                            f"{d.title}"
                            + (" " + gettext("số %(number)s") % {"number": d.number} if d.number else "")
                            + (f" ({d.issued_on:%d/%m/%Y})" if d.issued_on else ""),
                        )
                        for d in stored
                    ],
                )
            self.document_rows.append((doc, prefix))

    GROUPS = {
        "general": ("channel", "set_count", "summary", "on_the_spot"),
        "applicant": (
            "applicant_type",
            "id_type",
            "id_number",
            "name",
            "date_of_birth",
            "phone",
            "email",
            "address",
        ),
        "submitter": ("submitter_is_applicant", "submitter_name", "submitter_id_number", "submitter_phone"),
    }

    def group(self, name: str):
        return [self[field] for field in self.GROUPS[name] if field in self.fields]

    def general_fields(self):
        return self.group("general")

    def applicant_fields_bound(self):
        return self.group("applicant")

    def submitter_fields_bound(self):
        return self.group("submitter")

    def bound_rows(self):
        return [
            (
                doc,
                self[f"{prefix}_received"],
                self[f"{prefix}_originals"],
                self[f"{prefix}_copies"],
                self[f"{prefix}_scan"],
                self[f"{prefix}_reuse"] if f"{prefix}_reuse" in self.fields else None,
            )
            for doc, prefix in self.document_rows
        ]

    def clean(self):
        data = super().clean()
        for _doc, prefix in self.document_rows:
            if data.get(f"{prefix}_scan") and data.get(f"{prefix}_reuse"):
                self.add_error(
                    f"{prefix}_scan",
                    _("Chọn quét giấy tờ hoặc dùng lại giấy tờ trong kho, không chọn cả hai."),
                )
        if not data.get("submitter_is_applicant") and not (
            data.get("submitter_name") and data.get("submitter_id_number")
        ):
            self.add_error(
                "submitter_name",
                _("Nhập họ tên và số CCCD của người nộp hồ sơ, hoặc đánh dấu “Người nộp là chủ hồ sơ”."),
            )
        return data

    def applicant_fields(self) -> dict:
        d = self.cleaned_data
        fields = {
            "applicant_type": d["applicant_type"],
            "name": d["name"],
            "id_type": d["id_type"],
            "id_number": d["id_number"],
            "date_of_birth": d.get("date_of_birth"),
            "phone": d["phone"],
            "email": d.get("email") or "",
            "address": d.get("address") or "",
        }
        if d["applicant_type"] == Applicant.Type.ORGANISATION:
            fields.update(id_type=Applicant.IdType.TAX_CODE, tax_code=d["id_number"])
        return fields

    def submitter_fields(self) -> dict | None:
        d = self.cleaned_data
        if d.get("submitter_is_applicant"):
            return None
        return {
            "applicant_type": Applicant.Type.CITIZEN,
            "name": d["submitter_name"],
            "id_type": Applicant.IdType.CCCD,
            "id_number": d["submitter_id_number"],
            "phone": d.get("submitter_phone") or "",
        }

    def documents(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "name": doc.name,
                "original_count": d.get(f"{prefix}_originals") or 0,
                "copy_count": d.get(f"{prefix}_copies") or 0,
                "required_document": doc.pk,
                "pages": d.get(f"{prefix}_scan") or [],
                "reuse": d.get(f"{prefix}_reuse"),
            }
            for doc, prefix in self.document_rows
            if d.get(f"{prefix}_received")
        ]
