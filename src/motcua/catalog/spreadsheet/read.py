"""The import: every sheet checked, then (unless a dry run or any row is bad) applied in one transaction."""

import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..models import (
    Fee,
    Procedure,
    ProcedureFormField,
    RequiredDocument,
)
from .cells import _agency_index, _read_sheet
from .implementation_fees import _apply_implementation_fees, _implementation_fees
from .implementations import _apply_implementations, _implementations
from .layout import (
    DOCUMENT_DEFAULTS,
    DOCUMENT_FIELDS,
    DOCUMENTS_SHEET,
    FEE_DEFAULTS,
    FEE_FIELDS,
    FEES_SHEET,
    FORM_FIELD_DEFAULTS,
    FORM_FIELD_FIELDS,
    FORM_FIELDS_SHEET,
    IMPLEMENTATION_FEES_SHEET,
    IMPLEMENTATIONS_SHEET,
    PROCEDURES_SHEET,
    SHEETS,
)
from .procedures import _apply, _children, _validate_procedures
from .report import ImportReport, RowError


def _read_sheets(file, report: ImportReport) -> dict | None:
    """Every sheet's rows by sheet name, or None (with the error noted) when the file is not a workbook."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        report.errors.append(RowError("", 0, [_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")]))
        return None
    agencies = _agency_index()
    rows = {sheet: _read_sheet(workbook, sheet, columns, report, agencies) for sheet, columns in SHEETS}
    workbook.close()
    return rows


def _check_form_field_keys(form_fields, report: ImportReport) -> None:
    """Note every procedure whose form fields repeat a key."""
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


def _sort_errors(report: ImportReport) -> None:
    """Order the errors by sheet (in workbook order, file-level errors first), then by row."""
    report.errors.sort(
        key=lambda e: ([s for s, _c in SHEETS].index(e.sheet) if e.sheet in dict(SHEETS) else -1, e.row)
    )


def _apply_all(by_code, documents, fees, form_fields, implementations, own_fees, report, dry_run) -> None:
    """Apply every checked sheet in one transaction (rolled back on a dry run); a model error is noted."""
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
        return
    report.applied = not dry_run


def import_catalog(file, dry_run: bool = False) -> ImportReport:
    """Check and (unless dry_run or any row is bad) apply a catalog workbook. See the module docstring."""
    report = ImportReport(dry_run=dry_run)
    rows = _read_sheets(file, report)
    if rows is None:
        return report
    procedure_rows = rows[PROCEDURES_SHEET]
    existing_codes = set(Procedure.objects.values_list("code", flat=True))
    by_code = _validate_procedures(procedure_rows, report, existing_codes)
    known_codes = set(by_code) | {r["code"] for _n, r in procedure_rows} | existing_codes
    documents = _children(
        rows[DOCUMENTS_SHEET],
        DOCUMENTS_SHEET,
        known_codes,
        report,
        DOCUMENT_DEFAULTS,
        RequiredDocument,
        DOCUMENT_FIELDS,
    )
    fees = _children(rows[FEES_SHEET], FEES_SHEET, known_codes, report, FEE_DEFAULTS, Fee, FEE_FIELDS)
    form_fields = _children(
        rows[FORM_FIELDS_SHEET],
        FORM_FIELDS_SHEET,
        known_codes,
        report,
        FORM_FIELD_DEFAULTS,
        ProcedureFormField,
        FORM_FIELD_FIELDS,
    )
    _check_form_field_keys(form_fields, report)
    implementations = _implementations(rows[IMPLEMENTATIONS_SHEET], known_codes, report)
    own_fees = _implementation_fees(rows[IMPLEMENTATION_FEES_SHEET], implementations, known_codes, report)
    _sort_errors(report)
    if report.errors:
        return report
    _apply_all(by_code, documents, fees, form_fields, implementations, own_fees, report, dry_run)
    return report
