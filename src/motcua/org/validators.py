"""Vietnamese phone numbers: normalise and validate (used by agencies, applicants and accounts)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s.\-()]")
MOBILE_RE = re.compile(r"^0[35789]\d{8}$")
LANDLINE_RE = re.compile(r"^02\d{9}$")


def normalize_phone(value: str) -> str:
    """'+84 912.345.678' -> '0912345678'. Returns the input without separators when it is not phone-shaped."""
    value = _SEPARATORS.sub("", value or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def validate_phone(value: str) -> None:
    """A Vietnamese mobile (10 digits, 03/05/07/08/09) or landline (11 digits, 02x) number."""
    number = normalize_phone(value)
    if not (MOBILE_RE.match(number) or LANDLINE_RE.match(number)):
        raise ValidationError(
            _(
                "Số điện thoại không hợp lệ: cần 10 chữ số của di động Việt Nam (ví dụ 0912345678) "
                "hoặc 11 chữ số của máy bàn (ví dụ 02223812345)."
            ),
            code="invalid_phone",
        )
