"""Normalising and validating the identifiers applicants give: ID numbers, tax codes, phone numbers.

Every message is Vietnamese; every function is pure (no database).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.org.validators import normalize_phone, validate_phone

__all__ = [
    "normalize_id_number",
    "normalize_phone",
    "normalize_tax_code",
    "validate_id_number",
    "validate_phone",
    "validate_tax_code",
]

_SEPARATORS = re.compile(r"[\s.\-()]")
CCCD_RE = re.compile(r"^\d{12}$")
CMND_RE = re.compile(r"^(\d{9}|\d{12})$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,20}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def normalize_tax_code(value: str) -> str:
    return re.sub(r"\s", "", value or "")


def normalize_id_number(id_type: str, value: str) -> str:
    if id_type == "tax_code":
        return normalize_tax_code(value)
    value = _SEPARATORS.sub("", value or "")
    return value.upper() if id_type == "passport" else value


def validate_id_number(id_type: str, value: str) -> None:
    number = normalize_id_number(id_type, value)
    if not number:
        raise ValidationError(_("Chưa nhập số giấy tờ tùy thân."), code="required")
    if id_type == "cccd" and not CCCD_RE.match(number):
        raise ValidationError(_("Số căn cước công dân phải gồm đúng 12 chữ số."), code="invalid_cccd")
    if id_type == "cmnd" and not CMND_RE.match(number):
        raise ValidationError(_("Số chứng minh nhân dân phải gồm 9 hoặc 12 chữ số."), code="invalid_cmnd")
    if id_type == "passport" and not PASSPORT_RE.match(number):
        raise ValidationError(
            _("Số hộ chiếu chỉ gồm chữ cái và chữ số, từ 6 đến 20 ký tự."), code="invalid_passport"
        )
    if id_type == "tax_code":
        validate_tax_code(number)


def validate_tax_code(value: str) -> None:
    """10 digits, or 10 digits + '-' + 3 digits for a branch (Circular 105/2020/TT-BTC)."""
    if not TAX_CODE_RE.match(normalize_tax_code(value)):
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001 với đơn vị phụ thuộc."),
            code="invalid_tax_code",
        )
