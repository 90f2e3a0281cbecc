"""The symbols of an e-receipt book (biên lai điện tử thu phí, lệ phí): ký hiệu mẫu biên lai, ký hiệu biên lai and
the number range, checked when a book is opened (the service `receipts.open_book` and the admin both go through
`ReceiptBook.clean`).

Two schemes are known; `MOTCUA_RECEIPT_SYMBOL_SCHEMES` (default: both) says which a deployment accepts. A book's
template and series must belong to the same scheme.

- ``tt78`` — Decree 123/2020/NĐ-CP, Art. 32, detailed by Circular 78/2021/TT-BTC, Appendix I.B [corroborated:
  secondary quotation of the appendix and the live systems of several provinces]:
  * ký hiệu mẫu biên lai, 10 characters: 2 digits for the type (``01`` fees and charges without a face value,
    ``02`` with a face value), ``BLP``, 1 digit for the number of copies (``0`` for an electronic receipt, which
    has no copies), ``-``, and the 3-digit number of the template within its type: ``01BLP0-001``;
  * ký hiệu biên lai: 2 capital letters from the 20 letters of the Vietnamese alphabet the appendix lists
    (A B C D E G H K L M N P Q R S T U V X Y; no F, I, J, O, W, Z), ``-``, the last 2 digits of the year the
    receipts are made, and the form: ``E`` electronic, ``T`` self-printed. ``P`` (printed to order) and the
    8-character form with a province code (receipts the tax department prints and sells) are not receipts this
    system issues, so they are refused: ``KT-26E``.
- ``tt32`` — Decree 70/2025/NĐ-CP and Circular 32/2025/TT-BTC, Appendix II.B, from 01/06/2025 [unverified: one
  secondary source, cut off]: ký hiệu mẫu biên lai điện tử ``EBL`` + ``01`` (no face value) or ``02`` (face
  value); ký hiệu biên lai of 3 characters starting with the last 2 digits of the year. The third character's
  meaning was not found; a capital letter is accepted: ``26E``.

**Year.** The year in the series is the year the receipts are made, so a book may be opened for the current year
or (to prepare it in advance) the next one [Art. 32 as quoted; the "next year" allowance is a choice].

**Numbers.** A receipt number has at most 7 digits, from 0000001 [Decree 123, Art. 32, as quoted; unverified],
so a book's range (first number … first + capacity − 1) must stay within 1 … 9 999 999.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

LETTERS = "ABCDEGHKLMNPQRSTUVXY"  # the 20 letters of Circular 78/2021, Appendix I.B
MAX_NUMBER = 9_999_999  # seven digits

SCHEMES = {
    "tt78": {
        "template": re.compile(r"^(?P<type>0[12])BLP(?P<copies>\d)-(?P<no>\d{3})$"),
        "series": re.compile(rf"^(?P<letters>[{LETTERS}]{{2}})-(?P<year>\d{{2}})(?P<form>[ET])$"),
    },
    "tt32": {
        "template": re.compile(r"^EBL(?P<type>0[12])$"),
        "series": re.compile(r"^(?P<year>\d{2})(?P<form>[A-Z])$"),
    },
}
DEFAULT_SCHEMES = ("tt78", "tt32")


@dataclass(frozen=True)
class Symbols:
    scheme: str
    template_no: str
    series: str
    year: int  # four digits
    electronic: bool


def accepted_schemes() -> tuple[str, ...]:
    chosen = tuple(getattr(settings, "MOTCUA_RECEIPT_SYMBOL_SCHEMES", DEFAULT_SCHEMES) or DEFAULT_SCHEMES)
    return tuple(s for s in chosen if s in SCHEMES) or DEFAULT_SCHEMES


def _template_message() -> str:
    examples = {"tt78": "01BLP0-001", "tt32": "EBL01"}
    return _(
        "Ký hiệu mẫu biên lai không đúng quy định (ví dụ đúng: %(examples)s): với mẫu 10 ký tự, hai số đầu là "
        "loại biên lai (01 hoặc 02), tiếp theo là BLP, một chữ số liên (0 với biên lai điện tử), dấu “-” và "
        "ba chữ số thứ tự mẫu."
    ) % {"examples": ", ".join(examples[s] for s in accepted_schemes())}


def parse(template_no: str, series: str) -> Symbols:
    """Read a (template, series) pair; ValidationError (keyed by field, in Vietnamese) when it breaks a rule."""
    template_no, series = (template_no or "").strip(), (series or "").strip()
    schemes = accepted_schemes()
    template_scheme = next((s for s in schemes if SCHEMES[s]["template"].match(template_no)), None)
    if template_scheme is None:
        raise ValidationError({"template_no": _template_message()})
    template = SCHEMES[template_scheme]["template"].match(template_no)
    if template_scheme == "tt78" and template["no"] == "000":
        raise ValidationError({"template_no": _("Số thứ tự mẫu biên lai bắt đầu từ 001.")})
    match = SCHEMES[template_scheme]["series"].match(series)
    if match is None:
        if template_scheme == "tt78":
            message = _(
                "Ký hiệu biên lai không đúng quy định: hai chữ cái in hoa (trong 20 chữ cái A B C D E G H K L M "
                "N P Q R S T U V X Y), dấu “-”, hai số cuối của năm lập biên lai và chữ E (biên lai điện tử) "
                "hoặc T (biên lai tự in), ví dụ KT-%(yy)sE."
            )
        else:
            message = _(
                "Ký hiệu biên lai theo mẫu %(template)s gồm ba ký tự: hai số cuối của năm lập biên lai và một "
                "chữ cái in hoa, ví dụ %(yy)sE."
            )
        raise ValidationError(
            {"series": message % {"yy": f"{timezone.localdate().year % 100:02d}", "template": template_no}}
        )
    electronic = match["form"] == "E"
    if template_scheme == "tt78" and electronic and template["copies"] != "0":
        raise ValidationError(
            {
                "template_no": _(
                    "Biên lai điện tử không có liên: chữ số sau “BLP” của ký hiệu mẫu phải là 0 (ví dụ "
                    "01BLP0-001)."
                )
            }
        )
    century = timezone.localdate().year // 100 * 100
    return Symbols(template_scheme, template_no, series, century + int(match["year"]), electronic)


def validate_book(template_no: str, series: str, first_number: int | None, capacity: int | None, today=None):
    """All the rules for opening a book: symbols, the year of the series, the number range."""
    errors: dict[str, list] = {}
    symbols = None
    try:
        symbols = parse(template_no, series)
    except ValidationError as error:
        errors.update(error.message_dict)
    if symbols is not None:
        year = (today or timezone.localdate()).year
        if symbols.year not in (year, year + 1):
            errors.setdefault("series", []).append(
                _(
                    "Hai số năm trong ký hiệu biên lai (%(got)s) phải là năm lập biên lai: năm nay (%(this)s) "
                    "hoặc năm sau (%(next)s) nếu mở sổ trước."
                )
                % {
                    "got": f"{symbols.year % 100:02d}",
                    "this": f"{year % 100:02d}",
                    "next": f"{(year + 1) % 100:02d}",
                }
            )
    if first_number is not None and not 1 <= first_number <= MAX_NUMBER:
        errors.setdefault("first_number", []).append(
            _("Số biên lai có tối đa 7 chữ số: số bắt đầu phải từ 1 đến 9.999.999.")
        )
    elif first_number is not None and capacity is not None and first_number + capacity - 1 > MAX_NUMBER:
        errors.setdefault("capacity", []).append(
            _("Số biên lai có tối đa 7 chữ số: số cuối của quyển (%(last)s) vượt quá 9.999.999.")
            % {"last": f"{first_number + capacity - 1:,}".replace(",", ".")}
        )
    if errors:
        raise ValidationError(errors)
    return symbols
