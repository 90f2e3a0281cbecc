"""The online form of a procedure (tờ khai trực tuyến), built from the fields the catalog defines for it.

    form = procedure_form(fields, data=request.POST)            # a draft: formats checked, nothing required
    form = procedure_form(fields, data=..., for_submit=True)    # submission: required fields too
    values = stored_values(fields, form.cleaned_data)           # what `Submission.form_data` keeps
    answers(fields, values)                                     # [{"key", "label", "value"}] as people read it

Input names are "f_<key>". Numbers are typed the Vietnamese way (1.500.000 or 12,5) and stored as a decimal
string ("1500000", "12.5"); dates are typed dd/mm/yyyy and stored yyyy-mm-dd; a checkbox is true or false.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import ProcedureFormField

Kind = ProcedureFormField.Kind
PREFIX = "f_"
MAX_TEXT = 1000
_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def input_name(field: ProcedureFormField) -> str:
    return PREFIX + field.key


def parse_number(raw: str) -> Decimal:
    """A number typed the Vietnamese way: "." groups thousands, "," starts the decimals."""
    text = (raw or "").strip().replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(text):
        raise ValueError(raw)
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError(raw) from None


def format_number(value: str) -> str:
    """A stored decimal string as Vietnamese read it: 1500000 -> 1.500.000, 12.5 -> 12,5."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError):
        return str(value)
    sign = "-" if number < 0 else ""
    whole, _dot, decimals = f"{abs(number):f}".partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    decimals = decimals.rstrip("0")
    return sign + whole + ("," + decimals if decimals else "")


class VietnameseNumberField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 40:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_number(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _form_field(field: ProcedureFormField, required: bool) -> forms.Field:
    label = field.label
    required_message = {
        Kind.CHOICE: _("Vui lòng chọn “%(label)s”."),
        Kind.CHECKBOX: _("Vui lòng đánh dấu “%(label)s”."),
    }.get(field.kind, _("Vui lòng nhập “%(label)s”.")) % {"label": label}
    common = {"label": label, "required": required, "help_text": field.help_text}
    if field.kind == Kind.NUMBER:
        return VietnameseNumberField(
            **common,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "40"}),
            error_messages={
                "required": required_message,
                "invalid": _("“%(label)s”: nhập một số, ví dụ 1.500.000 hoặc 12,5.") % {"label": label},
            },
        )
    if field.kind == Kind.DATE:
        return forms.DateField(
            **common,
            input_formats=["%d/%m/%Y"],
            localize=False,
            widget=forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
            ),
            error_messages={
                "required": required_message,
                "invalid": _("“%(label)s”: ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 05/09/2024.")
                % {"label": label},
            },
        )
    if field.kind == Kind.CHOICE:
        return forms.ChoiceField(
            **common,
            choices=[("", _("— Chọn —"))] + [(option, option) for option in field.choice_list],
            error_messages={
                "required": required_message,
                "invalid_choice": _("“%(label)s”: lựa chọn không có trong danh sách.") % {"label": label},
            },
        )
    if field.kind == Kind.CHECKBOX:
        return forms.BooleanField(**common, error_messages={"required": required_message})
    return forms.CharField(
        **common,
        max_length=MAX_TEXT,
        error_messages={
            "required": required_message,
            "max_length": _("“%(label)s”: dài quá %(n)d ký tự.") % {"label": label, "n": MAX_TEXT},
        },
    )


class ProcedureForm(forms.Form):
    """The procedure's fields; `fields_by_name` maps each input name to its catalog field."""

    required_css_class = "required"

    def __init__(self, catalog_fields, *args, for_submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog_fields = list(catalog_fields)
        for field in self.catalog_fields:
            form_field = _form_field(field, required=for_submit and field.is_required)
            form_field.catalog_required = field.is_required  # marked on the page even in a draft
            if field.is_required:
                form_field.widget.attrs["aria-required"] = "true"
            self.fields[input_name(field)] = form_field


def procedure_form(catalog_fields, data=None, values: dict | None = None, *, for_submit: bool = False):
    """The form, bound to posted `data`, or unbound and showing the stored `values`."""
    if data is not None:
        return ProcedureForm(catalog_fields, data, for_submit=for_submit)
    return ProcedureForm(
        catalog_fields, initial=initial_from(catalog_fields, values or {}), for_submit=for_submit
    )


def initial_from(catalog_fields, values: dict) -> dict:
    initial = {}
    for field in catalog_fields:
        value = values.get(field.key)
        if value in (None, ""):
            continue
        if field.kind == Kind.DATE:
            try:
                value = datetime.date.fromisoformat(value)
            except (TypeError, ValueError):
                continue
        elif field.kind == Kind.NUMBER:
            value = format_number(value)
        initial[input_name(field)] = value
    return initial


def stored_values(catalog_fields, cleaned_data: dict) -> dict:
    """The JSON values of a valid form, by field key (empty fields are left out)."""
    values = {}
    for field in catalog_fields:
        value = cleaned_data.get(input_name(field))
        if field.kind == Kind.CHECKBOX:
            values[field.key] = bool(value)
        elif value in (None, ""):
            continue
        elif field.kind == Kind.DATE:
            values[field.key] = value.isoformat()
        elif field.kind == Kind.NUMBER:
            values[field.key] = format(value.normalize(), "f")
        else:
            values[field.key] = str(value).strip()
    return values


def display(field_kind: str, value) -> str:
    if field_kind == Kind.CHECKBOX:
        return str(gettext_lazy("Có")) if value else str(gettext_lazy("Không"))
    if value in (None, ""):
        return ""
    if field_kind == Kind.DATE:
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    if field_kind == Kind.NUMBER:
        return format_number(value)
    return str(value)


def answers(catalog_fields, values: dict) -> list[dict]:
    """What was declared, in the form's order, as people read it."""
    return [
        {"key": field.key, "label": field.label, "value": display(field.kind, values.get(field.key))}
        for field in catalog_fields
        if field.key in values
    ]


def missing_required(catalog_fields, values: dict) -> dict[str, str]:
    """Input name -> message for every required field the stored values leave empty (or unticked)."""
    form = ProcedureForm(catalog_fields, for_submit=True)
    missing = {}
    for field in catalog_fields:
        value = values.get(field.key)
        if field.is_required and (value in (None, "") or value is False):
            missing[input_name(field)] = form.fields[input_name(field)].error_messages["required"]
    return missing
