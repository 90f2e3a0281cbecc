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

from .cells import (
    _CODE_LISTS,
    _LOOKUPS,
    _PARSERS,
    APPLICANTS,
    CONFIDENCES,
    FEE_BASES,
    FEE_KINDS,
    FORM_KINDS,
    IMPLEMENTATION_LEVELS,
    LEVELS,
    ONLINE,
    STATUSES,
    UNITS,
    _agency_index,
    _CellError,
    _field_code,
    _label_lookup,
    _parse,
    _parse_agency,
    _parse_bool,
    _parse_choices,
    _parse_codes,
    _parse_date,
    _parse_decimal,
    _parse_int,
    _parse_label,
    _parse_required,
    _parse_text,
    _read_sheet,
    _text,
)
from .implementation_fees import _apply_implementation_fees, _implementation_fees
from .implementations import _apply_implementations, _fee_values, _implementations
from .layout import (
    DOCUMENT_COLUMNS,
    DOCUMENT_DEFAULTS,
    DOCUMENT_FIELDS,
    DOCUMENTS_SHEET,
    FALSE_WORDS,
    FEE_COLUMNS,
    FEE_DEFAULTS,
    FEE_FIELDS,
    FEES_SHEET,
    FORM_FIELD_COLUMNS,
    FORM_FIELD_DEFAULTS,
    FORM_FIELD_FIELDS,
    FORM_FIELDS_SHEET,
    IMPLEMENTATION_COLUMNS,
    IMPLEMENTATION_FEE_COLUMNS,
    IMPLEMENTATION_FEES_SHEET,
    IMPLEMENTATION_FIELDS,
    IMPLEMENTATIONS_SHEET,
    PROCEDURE_COLUMNS,
    PROCEDURE_DEFAULTS,
    PROCEDURES_SHEET,
    REQUIRED_HEADERS,
    SHEETS,
    TRUE_WORDS,
)
from .procedures import _apply, _children, _procedure_values, _same, _validate_procedures
from .read import import_catalog
from .report import ImportReport, RowError
from .write import _cell, _label, export_catalog

__all__ = [
    "APPLICANTS",
    "CONFIDENCES",
    "DOCUMENTS_SHEET",
    "DOCUMENT_COLUMNS",
    "DOCUMENT_DEFAULTS",
    "DOCUMENT_FIELDS",
    "FALSE_WORDS",
    "FEES_SHEET",
    "FEE_BASES",
    "FEE_COLUMNS",
    "FEE_DEFAULTS",
    "FEE_FIELDS",
    "FEE_KINDS",
    "FORM_FIELDS_SHEET",
    "FORM_FIELD_COLUMNS",
    "FORM_FIELD_DEFAULTS",
    "FORM_FIELD_FIELDS",
    "FORM_KINDS",
    "IMPLEMENTATIONS_SHEET",
    "IMPLEMENTATION_COLUMNS",
    "IMPLEMENTATION_FEES_SHEET",
    "IMPLEMENTATION_FEE_COLUMNS",
    "IMPLEMENTATION_FIELDS",
    "IMPLEMENTATION_LEVELS",
    "ImportReport",
    "LEVELS",
    "ONLINE",
    "PROCEDURES_SHEET",
    "PROCEDURE_COLUMNS",
    "PROCEDURE_DEFAULTS",
    "REQUIRED_HEADERS",
    "RowError",
    "SHEETS",
    "STATUSES",
    "TRUE_WORDS",
    "UNITS",
    "_CODE_LISTS",
    "_CellError",
    "_LOOKUPS",
    "_PARSERS",
    "_agency_index",
    "_apply",
    "_apply_implementation_fees",
    "_apply_implementations",
    "_cell",
    "_children",
    "_fee_values",
    "_field_code",
    "_implementation_fees",
    "_implementations",
    "_label",
    "_label_lookup",
    "_parse",
    "_parse_agency",
    "_parse_bool",
    "_parse_choices",
    "_parse_codes",
    "_parse_date",
    "_parse_decimal",
    "_parse_int",
    "_parse_label",
    "_parse_required",
    "_parse_text",
    "_procedure_values",
    "_read_sheet",
    "_same",
    "_text",
    "_validate_procedures",
    "export_catalog",
    "import_catalog",
]
