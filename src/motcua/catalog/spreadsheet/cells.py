"""Reading a sheet: each cell parsed by its column's kind (labels or API codes, Có/Không, dd/mm/yyyy dates,
agencies), the row's errors collected."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.org.models import Agency

from ..models import (
    AdminLevelCode,
    ApplicantType,
    Fee,
    ImplementationLevel,
    OnlineLevel,
    Procedure,
    ProcedureFormField,
    TimeLimitUnit,
)
from ..text import fold
from .layout import FALSE_WORDS, PROCEDURES_SHEET, REQUIRED_HEADERS, TRUE_WORDS
from .report import ImportReport, RowError


class _CellError(Exception):
    pass


def _label_lookup(choices) -> dict[str, str]:
    table = {}
    for value, label in choices:
        table[fold(str(value))] = value
        table[fold(str(label))] = value
    return table


UNITS = _label_lookup(TimeLimitUnit.choices) | {"ngay lam viec": "working_days", "trong ngay": "same_day"}
ONLINE = _label_lookup(OnlineLevel.choices) | {
    "khong": "none",
    "dich vu cong": "none",
    "toan trinh": "full",
    "mot phan": "partial",
}
STATUSES = _label_lookup(Procedure.Status.choices)
CONFIDENCES = _label_lookup(Procedure.Confidence.choices)
FEE_KINDS = _label_lookup(Fee.Kind.choices)
FEE_BASES = _label_lookup(Fee.Basis.choices)
FORM_KINDS = _label_lookup(ProcedureFormField.Kind.choices) | {"ngay": "date", "chon": "choice"}
IMPLEMENTATION_LEVELS = _label_lookup(ImplementationLevel.choices) | {
    "trung uong": "central",
    "bo": "central",
    "tinh": "province",
    "huyen": "district",
    "xa": "commune",
}
LEVELS = _label_lookup(AdminLevelCode.choices) | {"tinh": "province", "huyen": "district", "xa": "commune"}
APPLICANTS = _label_lookup(ApplicantType.choices) | {
    "to chuc": "organisation",
    "doanh nghiep": "organisation",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse(kind: str, raw, agencies: dict):
    """The value of a cell of this column kind (see the column lists), or `_CellError` with the reason."""
    text = _text(raw)
    if kind in _LOOKUPS:
        return _parse_label(_LOOKUPS[kind], text)
    if kind in _CODE_LISTS:
        return _parse_codes(_CODE_LISTS[kind], text)
    if kind == "agency":
        return _parse_agency(text, agencies)
    if kind not in _PARSERS:
        raise ValueError(kind)
    return _PARSERS[kind](text, raw)


def _parse_text(text: str, raw):
    return text


def _parse_choices(text: str, raw) -> str:
    parts = text.splitlines() if "\n" in text else text.split(";")
    return "\n".join(part.strip() for part in parts if part.strip())


def _parse_required(text: str, raw) -> str:
    if not text:
        raise _CellError(_("không được để trống."))
    return text


def _parse_decimal(text: str, raw) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise _CellError(_("phải là số.")) from None
    if value < 0:
        raise _CellError(_("không được âm."))
    return value


def _parse_int(text: str, raw) -> int | None:
    if not text:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = Decimal(str(raw))
    else:
        # Typed text may group thousands with dots or commas ("100.000"); anything else is refused.
        digits = text.replace(".", "").replace(",", "").replace(" ", "")
        number = Decimal(digits) if digits.isdigit() else None
    if number is None or number != number.to_integral_value() or number < 0:
        raise _CellError(_("phải là số nguyên không âm."))
    return int(number)


def _parse_bool(text: str, raw) -> bool:
    word = fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _CellError(_("phải là “Có” hoặc “Không”."))


def _parse_date(text: str, raw) -> datetime.date | None:
    if raw is None or text == "":
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise _CellError(_("phải là ngày dạng dd/mm/yyyy.")) from None


def _parse_label(table: dict, text: str) -> str:
    """One value given by its Vietnamese label or its code; empty stays empty."""
    if not text:
        return ""
    value = table.get(fold(text))
    if value is None:
        raise _CellError(_("giá trị “%(value)s” không hợp lệ.") % {"value": text})
    return value


def _parse_codes(table: dict, text: str) -> str:
    """Several values separated by "," or ";", each by its label or code, kept once each in order."""
    values = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        value = table.get(fold(part))
        if value is None:
            raise _CellError(_("giá trị “%(value)s” không hợp lệ.") % {"value": part.strip()})
        if value not in values:
            values.append(value)
    return ",".join(values)


def _parse_agency(text: str, agencies: dict) -> Agency:
    if not text:
        raise _CellError(_("không được để trống."))
    agency = agencies.get(text)
    if agency is None:
        raise _CellError(
            _("không tìm thấy cơ quan có mã định danh hoặc tên viết tắt “%(value)s”.") % {"value": text}
        )
    return agency


_PARSERS = {
    "text": _parse_text,
    "field_code": _parse_text,
    "procedure_ref": _parse_text,
    "choices": _parse_choices,
    "required": _parse_required,
    "decimal": _parse_decimal,
    "int": _parse_int,
    "bool": _parse_bool,
    "date": _parse_date,
}
_LOOKUPS = {
    "unit": UNITS,
    "online": ONLINE,
    "status": STATUSES,
    "confidence": CONFIDENCES,
    "fee_kind": FEE_KINDS,
    "fee_basis": FEE_BASES,
    "form_kind": FORM_KINDS,
    "impl_level": IMPLEMENTATION_LEVELS,
}
_CODE_LISTS = {"codes_levels": LEVELS, "codes_applicants": APPLICANTS}


def _read_sheet(
    workbook, sheet: str, columns, report: ImportReport, agencies: dict
) -> list[tuple[int, dict]]:
    """Parsed rows of one sheet as (row number, {attribute: value}); bad cells go to the report."""
    if sheet not in workbook.sheetnames:
        if sheet == PROCEDURES_SHEET:
            report.errors.append(RowError(sheet, 0, [_("Không có trang này trong tệp.")]))
        return []
    rows = workbook[sheet].iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = REQUIRED_HEADERS.get(sheet, set()) | {columns[0][0]}
    missing = [h for h in columns if h[0] in missing and h[0] not in header]
    if missing:
        names = ", ".join(f"“{h[0]}”" for h in missing)
        report.errors.append(RowError(sheet, 1, [_("Thiếu cột %(names)s.") % {"names": names}]))
        return []
    positions = {h: i for i, h in enumerate(header) if h}
    parsed = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(_text(v) == "" for v in values):
            continue
        row, messages = {}, []
        for title, attribute, kind in columns:
            if title not in positions:
                continue
            raw = values[positions[title]] if positions[title] < len(values) else None
            try:
                row[attribute] = _parse(kind, raw, agencies)
            except _CellError as error:
                messages.append(f"{title}: {error}")
        if messages:
            report.errors.append(RowError(sheet, number, messages))
        else:
            parsed.append((number, row))
    return parsed


def _agency_index() -> dict[str, Agency]:
    index = {}
    for agency in Agency.objects.all():
        index[agency.identity_code] = agency
        if agency.short_name:
            index.setdefault(agency.short_name, agency)
    return index


def _field_code(row: dict) -> str:
    return row.get("field_code") or fold(row["field_name"]).replace(" ", "-")[:40]
