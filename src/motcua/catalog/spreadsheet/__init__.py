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

from .layout import (
    DOCUMENTS_SHEET,
    FEES_SHEET,
    FORM_FIELDS_SHEET,
    IMPLEMENTATION_FEES_SHEET,
    IMPLEMENTATIONS_SHEET,
    PROCEDURES_SHEET,
    SHEETS,
)
from .read import import_catalog
from .report import ImportReport, RowError
from .write import export_catalog

__all__ = [
    "DOCUMENTS_SHEET",
    "FEES_SHEET",
    "FORM_FIELDS_SHEET",
    "IMPLEMENTATIONS_SHEET",
    "IMPLEMENTATION_FEES_SHEET",
    "PROCEDURES_SHEET",
    "SHEETS",
    "ImportReport",
    "RowError",
    "export_catalog",
    "import_catalog",
]
