"""Excel import and export of the catalog, in the layout provinces publish their lists in.

One workbook, six sheets: "Thủ tục" (one row per procedure), "Thành phần hồ sơ" (one row per required
document), "Phí, lệ phí" (one row per fee of the procedure's own schedule), "Tờ khai trực tuyến" (one row per
field of the online form; choices one per line or separated by ";"), "Cơ quan thực hiện" (one row per agency
implementing the procedure, with its level, dates and own time limit or online level where it has them; a
procedure listed there gets exactly those rows, plus its default "Cơ quan giải quyết") and "Phí, lệ phí riêng"
(one row per fee line of an implementing agency's own schedule, the implementation named by its agency and
"Hiệu lực từ ngày"; a procedure listed there gets exactly those own schedules, its other implementations none;
an implementation with lines there pays them instead of the procedure's), the last five keyed by the procedure
code. Headers are Vietnamese;
cells take Vietnamese labels or the API codes ("ngày làm việc" or "working_days"), "Có"/"Không" for yes/no and
dd/mm/yyyy dates.

`import_catalog(file, dry_run)` checks every row first and reports every bad one with a Vietnamese message; it
changes nothing unless the whole file is valid, and then applies it in one transaction. Re-importing the same
file changes nothing: rows equal to what is stored are left alone.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from motcua.org.models import Agency

from .models import (
    AdminLevelCode,
    ApplicantType,
    Fee,
    Field,
    ImplementationLevel,
    OnlineLevel,
    Procedure,
    ProcedureFormField,
    ProcedureImplementation,
    ProcessTemplate,
    RequiredDocument,
    TimeLimitUnit,
    ensure_default_implementations,
    implementation_level_of,
)
from .processes import add_standard_processes
from .text import fold

PROCEDURES_SHEET = "Thủ tục"
DOCUMENTS_SHEET = "Thành phần hồ sơ"
FEES_SHEET = "Phí, lệ phí"
FORM_FIELDS_SHEET = "Tờ khai trực tuyến"
IMPLEMENTATIONS_SHEET = "Cơ quan thực hiện"
IMPLEMENTATION_FEES_SHEET = "Phí, lệ phí riêng"

# (header, attribute, kind). Kinds: text, required, decimal, int, bool, date, unit, online, agency, field_code,
# field_name, codes_levels, codes_applicants, status, confidence, procedure_ref.
PROCEDURE_COLUMNS = [
    ("Mã thủ tục", "code", "required"),
    ("Tên thủ tục", "name", "required"),
    ("Mã lĩnh vực", "field_code", "text"),
    ("Tên lĩnh vực", "field_name", "required"),
    ("Cơ quan giải quyết", "agency", "agency"),
    ("Cấp thực hiện", "levels", "codes_levels"),
    ("Đối tượng thực hiện", "applicant_types", "codes_applicants"),
    ("Thời hạn giải quyết", "time_limit_value", "decimal"),
    ("Đơn vị thời hạn", "time_limit_unit", "unit"),
    ("Thời hạn (nguyên văn)", "time_limit_text", "text"),
    ("Thời hạn khi nộp trực tuyến", "online_time_limit_value", "decimal"),
    ("Đơn vị thời hạn trực tuyến", "online_time_limit_unit", "unit"),
    ("Áp dụng mốc 15 giờ", "same_day_cutoff", "bool"),
    ("Mức độ dịch vụ công trực tuyến", "online_level", "online"),
    ("Mức độ (cũ, 1–4)", "online_level_legacy", "int"),
    ("5 tại chỗ", "on_the_spot", "bool"),
    ("Quyết định 5 tại chỗ", "on_the_spot_decision", "text"),
    ("Ngày quyết định 5 tại chỗ", "on_the_spot_decision_date", "date"),
    ("Liên thông", "interlinked", "bool"),
    ("Số bộ hồ sơ", "set_count", "int"),
    ("Cách thức thực hiện", "submission_method", "text"),
    ("Trình tự thực hiện", "execution_steps", "text"),
    ("Yêu cầu, điều kiện thực hiện", "conditions", "text"),
    ("Kết quả thực hiện", "result_type", "text"),
    ("Căn cứ pháp lý", "legal_basis", "text"),
    ("Phí, lệ phí (nguyên văn)", "fee_text", "text"),
    ("Trạng thái", "status", "status"),
    ("Hiệu lực từ ngày", "valid_from", "date"),
    ("Hiệu lực đến ngày", "valid_to", "date"),
    ("Được thay thế bởi (mã)", "superseded_by", "procedure_ref"),
    ("Độ tin cậy nguồn", "source_confidence", "confidence"),
    ("Ghi chú nguồn", "source_note", "text"),
]
DOCUMENT_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("STT", "position", "int"),
    ("Tên giấy tờ", "name", "required"),
    ("Số bản chính", "original_count", "int"),
    ("Số bản sao", "copy_count", "int"),
    ("Bản sao có chứng thực", "certified_copy", "bool"),
    ("Bắt buộc", "is_required", "bool"),
    ("Tên mẫu đơn, tờ khai", "form_template_name", "text"),
    ("Phải số hóa", "must_digitise", "bool"),
    ("Được dùng lại", "reusable", "bool"),
    ("Ghi chú", "note", "text"),
]
FEE_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("STT", "position", "int"),
    ("Loại", "kind", "fee_kind"),
    ("Nội dung", "description", "required"),
    ("Mức thu (đồng)", "amount", "int"),
    ("Cách tính", "basis", "fee_basis"),
    ("Mức thu tối đa (đồng)", "max_amount", "int"),
    ("Mức thu khi nộp trực tuyến (đồng)", "online_amount", "int"),
    ("Đối tượng miễn, giảm", "exemptions", "text"),
    ("Căn cứ thu", "legal_basis", "text"),
]
FORM_FIELD_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("STT", "position", "int"),
    ("Mã trường", "key", "required"),
    ("Nhãn hiển thị", "label", "required"),
    ("Kiểu dữ liệu", "kind", "form_kind"),
    ("Bắt buộc", "is_required", "bool"),
    ("Các lựa chọn", "choices", "choices"),
    ("Hướng dẫn nhập", "help_text", "text"),
]
IMPLEMENTATION_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("Cơ quan thực hiện", "agency", "agency"),
    ("Cấp thực hiện", "level", "impl_level"),
    ("Hiệu lực từ ngày", "valid_from", "date"),
    ("Hiệu lực đến ngày", "valid_to", "date"),
    ("Thời hạn giải quyết riêng", "time_limit_value", "decimal"),
    ("Đơn vị thời hạn riêng", "time_limit_unit", "unit"),
    ("Mức độ trực tuyến riêng", "online_level", "online"),
    ("Phí, lệ phí riêng (nguyên văn)", "fee_text", "text"),
    ("Quyết định công bố", "decision", "text"),
]
IMPLEMENTATION_FEE_COLUMNS = [
    ("Mã thủ tục", "procedure", "required"),
    ("Cơ quan thực hiện", "agency", "agency"),
    ("Hiệu lực từ ngày", "valid_from", "date"),
    *FEE_COLUMNS[1:],
]
IMPLEMENTATION_FIELDS = [
    "agency_id",
    "level",
    "valid_from",
    "valid_to",
    "time_limit_value",
    "time_limit_unit",
    "online_level",
    "fee_text",
    "decision",
]
SHEETS = [
    (PROCEDURES_SHEET, PROCEDURE_COLUMNS),
    (DOCUMENTS_SHEET, DOCUMENT_COLUMNS),
    (FEES_SHEET, FEE_COLUMNS),
    (FORM_FIELDS_SHEET, FORM_FIELD_COLUMNS),
    (IMPLEMENTATIONS_SHEET, IMPLEMENTATION_COLUMNS),
    (IMPLEMENTATION_FEES_SHEET, IMPLEMENTATION_FEE_COLUMNS),
]
REQUIRED_HEADERS = {
    PROCEDURES_SHEET: {"Mã thủ tục", "Tên thủ tục", "Tên lĩnh vực", "Cơ quan giải quyết"},
    IMPLEMENTATION_FEES_SHEET: {"Mã thủ tục", "Cơ quan thực hiện", "Nội dung"},
}

DOCUMENT_DEFAULTS = {
    "original_count": 0,
    "copy_count": 0,
    "certified_copy": False,
    "is_required": True,
    "must_digitise": True,
    "reusable": False,
    "position": None,
}
FEE_DEFAULTS = {"kind": Fee.Kind.ADMIN_CHARGE, "basis": Fee.Basis.FIXED, "position": None}
FORM_FIELD_DEFAULTS = {"kind": ProcedureFormField.Kind.TEXT, "is_required": False, "position": None}
FORM_FIELD_FIELDS = ["position", "key", "label", "kind", "is_required", "choices", "help_text"]
PROCEDURE_DEFAULTS = {
    "same_day_cutoff": False,
    "on_the_spot": False,
    "interlinked": False,
    "set_count": 1,
    "online_level": OnlineLevel.NONE,
    "status": Procedure.Status.PUBLISHED,
    "source_confidence": Procedure.Confidence.OFFICIAL,
    "applicant_types": "citizen",
}
TRUE_WORDS = {"co", "x", "1", "true", "yes", "dung"}
FALSE_WORDS = {"khong", "0", "false", "no", "sai", ""}
DOCUMENT_FIELDS = [
    "position",
    "name",
    "original_count",
    "copy_count",
    "certified_copy",
    "is_required",
    "form_template_name",
    "must_digitise",
    "reusable",
    "note",
]
FEE_FIELDS = [
    "position",
    "kind",
    "description",
    "amount",
    "basis",
    "max_amount",
    "online_amount",
    "exemptions",
    "legal_basis",
]


@dataclass
class RowError:
    sheet: str
    row: int
    messages: list[str]

    def __str__(self) -> str:
        if not self.sheet:
            return " ".join(self.messages)
        where = (
            _("Trang “%(sheet)s”, dòng %(row)d") % {"sheet": self.sheet, "row": self.row}
            if self.row
            else (_("Trang “%(sheet)s”") % {"sheet": self.sheet})
        )
        return f"{where}: " + " ".join(self.messages)


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("Tệp có %(n)d dòng lỗi; chưa có thay đổi nào được ghi.") % {"n": len(self.errors)}
        if self.dry_run:
            return (
                _(
                    "Kiểm tra xong, tệp hợp lệ (chưa ghi): %(created)d thủ tục sẽ thêm mới, %(updated)d sẽ cập nhật, "
                    "%(unchanged)d không đổi."
                )
                % self.counts()
            )
        return _("Đã nhập: %(created)d thủ tục thêm mới, %(updated)d cập nhật, %(unchanged)d không đổi.") % (
            self.counts()
        )

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


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


def _validate_procedures(rows, report: ImportReport, known_codes: set[str]) -> dict[str, tuple[int, dict]]:
    by_code: dict[str, tuple[int, dict]] = {}
    for number, row in rows:
        messages = []
        if row["code"] in by_code:
            messages.append(
                _("Mã thủ tục %(code)s lặp lại (đã có ở dòng %(row)d).")
                % {"code": row["code"], "row": by_code[row["code"]][0]}
            )
        reference = row.get("superseded_by")
        if reference and reference not in known_codes and reference not in {r["code"] for _n, r in rows}:
            messages.append(_("Mã thay thế %(code)s không có trong danh mục.") % {"code": reference})
        if reference and reference == row["code"]:
            messages.append(_("Thủ tục không thể thay thế chính nó."))
        candidate = Procedure(code=row["code"], resolving_agency=row["agency"], **_procedure_values(row))
        try:
            candidate.full_clean(exclude=["field", "resolving_agency", "superseded_by", "code"])
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                label = next((t for t, a, _k in PROCEDURE_COLUMNS if a == name), name)
                messages.extend(f"{label}: {e}" for e in errors)
        if len(row["code"]) > 30:
            messages.append(_("Mã thủ tục: tối đa 30 ký tự."))
        if messages:
            report.errors.append(RowError(PROCEDURES_SHEET, number, messages))
        else:
            by_code.setdefault(row["code"], (number, row))
    return by_code


def _procedure_values(row: dict) -> dict:
    """Column values of a Procedure from a parsed row (defaults for the columns the file leaves empty)."""
    values = {}
    for _title, attribute, kind in PROCEDURE_COLUMNS:
        if (
            attribute in ("code", "field_code", "field_name", "agency", "superseded_by")
            or attribute not in row
        ):
            continue
        value = row[attribute]
        if value in ("", None) and attribute in PROCEDURE_DEFAULTS:
            value = PROCEDURE_DEFAULTS[attribute]
        if value is None and kind in ("text",):
            value = ""
        values[attribute] = value
    return values


def _children(rows, sheet: str, known_codes: set[str], report: ImportReport, defaults: dict, model, fields_):
    """Documents or fees grouped by procedure code, validated with the model's clean()."""
    grouped: dict[str, list[dict]] = {}
    for number, row in rows:
        code = row.pop("procedure")
        if code not in known_codes:
            report.errors.append(
                RowError(sheet, number, [_("Mã thủ tục %(code)s không có trong danh mục.") % {"code": code}])
            )
            continue
        values = {k: (defaults[k] if v in ("", None) and k in defaults else v) for k, v in row.items()}
        for name, value in defaults.items():
            values.setdefault(name, value)
        for name in fields_:
            if values.get(name) is None and name not in ("amount", "max_amount", "online_amount", "position"):
                values[name] = ""
        group = grouped.setdefault(code, [])
        if values.get("position") is None:
            values["position"] = len(group) + 1
        try:
            model(**values).full_clean(exclude=["procedure", "form_template"])
        except ValidationError as error:
            report.errors.append(
                RowError(sheet, number, [" ".join(m for ms in error.message_dict.values() for m in ms)])
            )
            continue
        group.append(values)
    return grouped


def _implementations(rows, known_codes: set[str], report: ImportReport) -> dict[str, list[dict]]:
    """The "Cơ quan thực hiện" rows grouped by procedure code, each checked with the model's clean()."""
    grouped: dict[str, list[dict]] = {}
    for number, row in rows:
        code = row.pop("procedure")
        if code not in known_codes:
            report.errors.append(
                RowError(
                    IMPLEMENTATIONS_SHEET,
                    number,
                    [_("Mã thủ tục %(code)s không có trong danh mục.") % {"code": code}],
                )
            )
            continue
        agency = row.pop("agency")
        values = {name: row.get(name) for name in IMPLEMENTATION_FIELDS if name != "agency_id"}
        for name in ("time_limit_unit", "online_level", "fee_text", "decision"):
            values[name] = values[name] or ""
        values["level"] = values["level"] or implementation_level_of(agency)
        values["agency_id"] = agency.pk
        try:
            ProcedureImplementation(agency=agency, **values).full_clean(exclude=["procedure"])
        except ValidationError as error:
            report.errors.append(
                RowError(
                    IMPLEMENTATIONS_SHEET,
                    number,
                    [" ".join(m for ms in error.message_dict.values() for m in ms)],
                )
            )
            continue
        group = grouped.setdefault(code, [])
        if any((v["agency_id"], v["valid_from"]) == (agency.pk, values["valid_from"]) for v in group):
            report.errors.append(
                RowError(
                    IMPLEMENTATIONS_SHEET,
                    number,
                    [_("Cơ quan %(name)s đã có một dòng cùng ngày hiệu lực.") % {"name": agency.name}],
                )
            )
            continue
        group.append(values)
    return grouped


def _apply_implementations(implementations: dict[str, list[dict]], report: ImportReport) -> None:
    """Give each procedure listed in the sheet exactly its rows there (its default agency keeps one)."""
    if not implementations:
        return
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=list(implementations))}
    for code, wanted in implementations.items():
        procedure = procedures[code]
        existing = sorted(procedure.implementations.all(), key=lambda r: (r.agency_id, str(r.valid_from)))
        wanted = sorted(wanted, key=lambda v: (v["agency_id"], str(v["valid_from"])))
        if _same(existing, wanted, IMPLEMENTATION_FIELDS):
            continue
        own_fees = {
            (row.agency_id, row.valid_from): [_fee_values(f) for f in row.fees.all()] for row in existing
        }
        procedure.implementations.all().delete()
        created = ProcedureImplementation.objects.bulk_create(
            ProcedureImplementation(procedure=procedure, **values) for values in wanted
        )
        ensure_default_implementations([procedure])
        Fee.objects.bulk_create(  # an implementation kept by the sheet keeps its own fee schedule
            Fee(procedure=procedure, implementation=row, **values)
            for row in created
            for values in own_fees.get((row.agency_id, row.valid_from), [])
        )


def _fee_values(fee: Fee) -> dict:
    return {name: getattr(fee, name) for name in FEE_FIELDS}


def _implementation_fees(
    rows, implementations: dict[str, list[dict]], known_codes: set[str], report: ImportReport
) -> dict[str, dict[tuple, list[dict]]]:
    """The "Phí, lệ phí riêng" rows: {procedure code: {(agency id, valid from): [fee values]}}, each row naming
    an implementation of the file's "Cơ quan thực hiện" sheet (for a procedure listed there) or of the catalog,
    and checked with the Fee model's clean()."""
    stored: dict[str, set[tuple]] = {}
    codes = {row["procedure"] for _n, row in rows}
    for code, agency_id, valid_from in ProcedureImplementation.objects.filter(
        procedure__code__in=codes
    ).values_list("procedure__code", "agency_id", "valid_from"):
        stored.setdefault(code, set()).add((agency_id, valid_from))
    grouped: dict[str, dict[tuple, list[dict]]] = {}
    for number, row in rows:
        code, agency, valid_from = row.pop("procedure"), row.pop("agency"), row.pop("valid_from", None)
        if code not in known_codes:
            report.errors.append(
                RowError(
                    IMPLEMENTATION_FEES_SHEET,
                    number,
                    [_("Mã thủ tục %(code)s không có trong danh mục.") % {"code": code}],
                )
            )
            continue
        if code in implementations:
            existing = {(v["agency_id"], v["valid_from"]) for v in implementations[code]}
        else:
            existing = stored.get(code, set())
        if (agency.pk, valid_from) not in existing:
            since = _(" từ ngày %(day)s") % {"day": valid_from.strftime("%d/%m/%Y")} if valid_from else ""
            report.errors.append(
                RowError(
                    IMPLEMENTATION_FEES_SHEET,
                    number,
                    [
                        _(
                            "Cơ quan %(name)s không thực hiện thủ tục %(code)s%(since)s: thêm dòng ở trang "
                            "“Cơ quan thực hiện” trước."
                        )
                        % {"name": agency.name, "code": code, "since": since}
                    ],
                )
            )
            continue
        values = {
            k: (FEE_DEFAULTS[k] if v in ("", None) and k in FEE_DEFAULTS else v) for k, v in row.items()
        }
        for name, value in FEE_DEFAULTS.items():
            values.setdefault(name, value)
        for name in FEE_FIELDS:
            if values.get(name) is None and name not in ("amount", "max_amount", "online_amount", "position"):
                values[name] = ""
        group = grouped.setdefault(code, {}).setdefault((agency.pk, valid_from), [])
        if values.get("position") is None:
            values["position"] = len(group) + 1
        try:
            Fee(**values).full_clean(exclude=["procedure", "implementation"])
        except ValidationError as error:
            report.errors.append(
                RowError(
                    IMPLEMENTATION_FEES_SHEET,
                    number,
                    [" ".join(m for ms in error.message_dict.values() for m in ms)],
                )
            )
            continue
        group.append(values)
    return grouped


def _apply_implementation_fees(own_fees: dict[str, dict[tuple, list[dict]]]) -> None:
    """Give each implementation of a procedure listed in the sheet exactly its lines there (none: the procedure's
    schedule applies)."""
    if not own_fees:
        return
    rows = ProcedureImplementation.objects.filter(procedure__code__in=list(own_fees)).select_related(
        "procedure"
    )
    for row in rows.prefetch_related("fees"):
        wanted = own_fees[row.procedure.code].get((row.agency_id, row.valid_from), [])
        if _same(row.fees.all(), wanted, FEE_FIELDS):
            continue
        row.fees.all().delete()
        Fee.objects.bulk_create(
            Fee(procedure=row.procedure, implementation=row, **values) for values in wanted
        )


def _same(existing, wanted: list[dict], fields_) -> bool:
    current = [tuple(getattr(item, f) for f in fields_) for item in existing]
    return current == [tuple(w.get(f) for f in fields_) for w in wanted]


def import_catalog(file, dry_run: bool = False) -> ImportReport:
    """Check and (unless dry_run or any row is bad) apply a catalog workbook. See the module docstring."""
    report = ImportReport(dry_run=dry_run)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        report.errors.append(RowError("", 0, [_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")]))
        return report
    agencies = _agency_index()
    procedure_rows = _read_sheet(workbook, PROCEDURES_SHEET, PROCEDURE_COLUMNS, report, agencies)
    document_rows = _read_sheet(workbook, DOCUMENTS_SHEET, DOCUMENT_COLUMNS, report, agencies)
    fee_rows = _read_sheet(workbook, FEES_SHEET, FEE_COLUMNS, report, agencies)
    form_field_rows = _read_sheet(workbook, FORM_FIELDS_SHEET, FORM_FIELD_COLUMNS, report, agencies)
    implementation_rows = _read_sheet(
        workbook, IMPLEMENTATIONS_SHEET, IMPLEMENTATION_COLUMNS, report, agencies
    )
    implementation_fee_rows = _read_sheet(
        workbook, IMPLEMENTATION_FEES_SHEET, IMPLEMENTATION_FEE_COLUMNS, report, agencies
    )
    workbook.close()
    existing_codes = set(Procedure.objects.values_list("code", flat=True))
    by_code = _validate_procedures(procedure_rows, report, existing_codes)
    file_codes = set(by_code) | {r["code"] for _n, r in procedure_rows}
    documents = _children(
        document_rows,
        DOCUMENTS_SHEET,
        file_codes | existing_codes,
        report,
        DOCUMENT_DEFAULTS,
        RequiredDocument,
        DOCUMENT_FIELDS,
    )
    fees = _children(fee_rows, FEES_SHEET, file_codes | existing_codes, report, FEE_DEFAULTS, Fee, FEE_FIELDS)
    form_fields = _children(
        form_field_rows,
        FORM_FIELDS_SHEET,
        file_codes | existing_codes,
        report,
        FORM_FIELD_DEFAULTS,
        ProcedureFormField,
        FORM_FIELD_FIELDS,
    )
    for code, group in form_fields.items():
        keys = [values["key"] for values in group]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            report.errors.append(
                RowError(
                    FORM_FIELDS_SHEET,
                    0,
                    [
                        _("Thủ tục %(code)s: mã trường %(keys)s lặp lại.")
                        % {"code": code, "keys": ", ".join(repeated)}
                    ],
                )
            )
    implementations = _implementations(implementation_rows, file_codes | existing_codes, report)
    own_fees = _implementation_fees(
        implementation_fee_rows, implementations, file_codes | existing_codes, report
    )
    report.errors.sort(
        key=lambda e: ([s for s, _c in SHEETS].index(e.sheet) if e.sheet in dict(SHEETS) else -1, e.row)
    )
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _apply(by_code, documents, fees, report, form_fields)
            _apply_implementations(implementations, report)
            _apply_implementation_fees(own_fees)
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:
        report.errors.append(RowError(PROCEDURES_SHEET, 0, error.messages))
        report.applied = False
        return report
    report.applied = not dry_run
    return report


def _apply(by_code, documents, fees, report: ImportReport, form_fields=None) -> None:
    form_fields = form_fields or {}
    fields_cache: dict[str, Field] = {}
    stored = {p.code: p for p in Procedure.objects.filter(code__in=list(by_code))}
    created, changed = set(), set()
    for code, (_number, row) in by_code.items():
        field_code = _field_code(row)
        if field_code not in fields_cache:
            fields_cache[field_code], _created = Field.objects.get_or_create(
                code=field_code, defaults={"name": row["field_name"]}
            )
        values = _procedure_values(row) | {
            "field": fields_cache[field_code],
            "resolving_agency": row["agency"],
        }
        procedure = stored.get(code)
        if procedure is None:
            procedure = Procedure(code=code, **values)
            procedure.save()
            created.add(code)
        elif any(getattr(procedure, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(procedure, name, value)
            procedure.save()
            changed.add(code)
        stored[code] = procedure
        if code in documents and not _same(procedure.documents.all(), documents[code], DOCUMENT_FIELDS):
            procedure.documents.all().delete()
            RequiredDocument.objects.bulk_create(
                RequiredDocument(procedure=procedure, **d) for d in documents[code]
            )
            changed.add(code)
        if code in fees and not _same(procedure.fees.of_procedure(), fees[code], FEE_FIELDS):
            procedure.fees.of_procedure().delete()
            Fee.objects.bulk_create(Fee(procedure=procedure, **f) for f in fees[code])
            changed.add(code)
        if code in form_fields and not _same(
            procedure.form_fields.all(), form_fields[code], FORM_FIELD_FIELDS
        ):
            procedure.form_fields.all().delete()
            ProcedureFormField.objects.bulk_create(
                ProcedureFormField(procedure=procedure, **f) for f in form_fields[code]
            )
            changed.add(code)
    for code, (_number, row) in by_code.items():
        reference = row.get("superseded_by") or None
        procedure = stored[code]
        target = (stored.get(reference) or Procedure.objects.get(code=reference)) if reference else None
        if procedure.superseded_by_id != (target.pk if target else None):
            procedure.superseded_by = target
            procedure.save(update_fields=["superseded_by"])
            changed.add(code)
    report.created = len(created)
    report.updated = len(changed - created)
    report.unchanged = len(by_code) - report.created - report.updated
    center = Agency.objects.filter(kind=Agency.Kind.CENTER).first()
    wanted = [(p, ProcessTemplate.Variant.NORMAL) for p in stored.values()]
    wanted += [(p, ProcessTemplate.Variant.ON_THE_SPOT) for p in stored.values() if p.on_the_spot]
    add_standard_processes(wanted, center_agency=center)


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def _label(choices_enum, value) -> str:
    return str(choices_enum(value).label) if value else ""


def export_catalog(queryset=None) -> bytes:
    """The catalog (or `queryset`) as a workbook in the import layout."""
    queryset = (
        (queryset if queryset is not None else Procedure.objects.all())
        .select_related("field", "resolving_agency", "superseded_by")
        .order_by("code")
    )
    workbook = Workbook()
    procedures_sheet = workbook.active
    procedures_sheet.title = PROCEDURES_SHEET
    documents_sheet = workbook.create_sheet(DOCUMENTS_SHEET)
    fees_sheet = workbook.create_sheet(FEES_SHEET)
    form_fields_sheet = workbook.create_sheet(FORM_FIELDS_SHEET)
    implementations_sheet = workbook.create_sheet(IMPLEMENTATIONS_SHEET)
    implementation_fees_sheet = workbook.create_sheet(IMPLEMENTATION_FEES_SHEET)
    for sheet, columns in (
        (procedures_sheet, PROCEDURE_COLUMNS),
        (documents_sheet, DOCUMENT_COLUMNS),
        (fees_sheet, FEE_COLUMNS),
        (form_fields_sheet, FORM_FIELD_COLUMNS),
        (implementations_sheet, IMPLEMENTATION_COLUMNS),
        (implementation_fees_sheet, IMPLEMENTATION_FEE_COLUMNS),
    ):
        sheet.append([title for title, _a, _k in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for p in queryset:
        values = {
            "code": p.code,
            "field_code": p.field.code,
            "field_name": p.field.name,
            "agency": p.resolving_agency.identity_code,
            "superseded_by": p.superseded_by.code if p.superseded_by_id else "",
            "time_limit_unit": _label(TimeLimitUnit, p.time_limit_unit),
            "online_time_limit_unit": _label(TimeLimitUnit, p.online_time_limit_unit),
            "online_level": _label(OnlineLevel, p.online_level),
            "status": _label(Procedure.Status, p.status),
            "source_confidence": _label(Procedure.Confidence, p.source_confidence),
            "levels": "; ".join(str(AdminLevelCode(v).label) for v in p.level_list),
            "applicant_types": "; ".join(str(ApplicantType(v).label) for v in p.applicant_type_list),
        }
        procedures_sheet.append(
            [_cell(values[a] if a in values else getattr(p, a)) for _t, a, _k in PROCEDURE_COLUMNS]
        )
    documents = RequiredDocument.objects.filter(procedure__in=queryset).select_related("procedure")
    for d in documents.order_by("procedure__code", "position", "id"):
        documents_sheet.append(
            [_cell(d.procedure.code if a == "procedure" else getattr(d, a)) for _t, a, _k in DOCUMENT_COLUMNS]
        )
    for f in (
        Fee.objects.filter(procedure__in=queryset)
        .select_related("procedure", "implementation__agency")
        .order_by(
            "procedure__code", "implementation__agency__identity_code", "implementation_id", "position", "id"
        )
    ):
        own = f.implementation_id is not None
        row = []
        for _t, attribute, _k in IMPLEMENTATION_FEE_COLUMNS if own else FEE_COLUMNS:
            if attribute == "procedure":
                row.append(f.procedure.code)
            elif attribute == "agency":
                row.append(f.implementation.agency.identity_code)
            elif attribute == "valid_from":
                row.append(_cell(f.implementation.valid_from))
            elif attribute == "kind":
                row.append(_label(Fee.Kind, f.kind))
            elif attribute == "basis":
                row.append(_label(Fee.Basis, f.basis))
            else:
                row.append(_cell(getattr(f, attribute)))
        (implementation_fees_sheet if own else fees_sheet).append(row)
    for f in (
        ProcedureFormField.objects.filter(procedure__in=queryset)
        .select_related("procedure")
        .order_by("procedure__code", "position", "id")
    ):
        form_fields_sheet.append(
            [
                f.procedure.code
                if attribute == "procedure"
                else _label(ProcedureFormField.Kind, f.kind)
                if attribute == "kind"
                else _cell(getattr(f, attribute))
                for _t, attribute, _k in FORM_FIELD_COLUMNS
            ]
        )
    for row in (
        ProcedureImplementation.objects.filter(procedure__in=queryset)
        .select_related("procedure", "agency")
        .order_by("procedure__code", "level", "agency__identity_code", "valid_from")
    ):
        labels = {
            "procedure": row.procedure.code,
            "agency": row.agency.identity_code,
            "level": _label(ImplementationLevel, row.level),
            "time_limit_unit": _label(TimeLimitUnit, row.time_limit_unit),
            "online_level": _label(OnlineLevel, row.online_level),
        }
        implementations_sheet.append(
            [_cell(labels[a] if a in labels else getattr(row, a)) for _t, a, _k in IMPLEMENTATION_COLUMNS]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
