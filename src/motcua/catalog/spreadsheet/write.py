"""The export: the catalog as a workbook in the import layout."""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from ..models import (
    AdminLevelCode,
    ApplicantType,
    Fee,
    ImplementationLevel,
    OnlineLevel,
    Procedure,
    ProcedureFormField,
    ProcedureImplementation,
    RequiredDocument,
    TimeLimitUnit,
)
from .layout import (
    DOCUMENT_COLUMNS,
    DOCUMENTS_SHEET,
    FEE_COLUMNS,
    FEES_SHEET,
    FORM_FIELD_COLUMNS,
    FORM_FIELDS_SHEET,
    IMPLEMENTATION_COLUMNS,
    IMPLEMENTATION_FEE_COLUMNS,
    IMPLEMENTATION_FEES_SHEET,
    IMPLEMENTATIONS_SHEET,
    PROCEDURE_COLUMNS,
    PROCEDURES_SHEET,
    SHEETS,
)


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


def _new_workbook() -> tuple[Workbook, dict]:
    """An empty workbook with the import layout's sheets (by title), each with its bold, frozen header row."""
    workbook = Workbook()
    sheets = {}
    for title, columns in SHEETS:
        if sheets:
            sheet = workbook.create_sheet(title)
        else:
            sheet = workbook.active
            sheet.title = title
        sheets[title] = sheet
        sheet.append([heading for heading, _a, _k in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    return workbook, sheets


def _procedure_row(p: Procedure) -> list:
    """The procedure's row of the procedures sheet."""
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
    return [_cell(values[a] if a in values else getattr(p, a)) for _t, a, _k in PROCEDURE_COLUMNS]


def _document_row(d: RequiredDocument) -> list:
    """The required document's row of the documents sheet."""
    return [_cell(d.procedure.code if a == "procedure" else getattr(d, a)) for _t, a, _k in DOCUMENT_COLUMNS]


def _fee_row(f: Fee) -> list:
    """The fee's row: in the implementation fees layout if it has an implementation, else in the fees one."""
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
    return row


def _form_field_row(f: ProcedureFormField) -> list:
    """The form field's row of the form fields sheet."""
    return [
        f.procedure.code
        if attribute == "procedure"
        else _label(ProcedureFormField.Kind, f.kind)
        if attribute == "kind"
        else _cell(getattr(f, attribute))
        for _t, attribute, _k in FORM_FIELD_COLUMNS
    ]


def _implementation_row(row: ProcedureImplementation) -> list:
    """The implementation's row of the implementations sheet."""
    labels = {
        "procedure": row.procedure.code,
        "agency": row.agency.identity_code,
        "level": _label(ImplementationLevel, row.level),
        "time_limit_unit": _label(TimeLimitUnit, row.time_limit_unit),
        "online_level": _label(OnlineLevel, row.online_level),
    }
    return [_cell(labels[a] if a in labels else getattr(row, a)) for _t, a, _k in IMPLEMENTATION_COLUMNS]


def export_catalog(queryset=None) -> bytes:
    """The catalog (or `queryset`) as a workbook in the import layout."""
    queryset = (
        (queryset if queryset is not None else Procedure.objects.all())
        .select_related("field", "resolving_agency", "superseded_by")
        .order_by("code")
    )
    workbook, sheets = _new_workbook()
    for p in queryset:
        sheets[PROCEDURES_SHEET].append(_procedure_row(p))
    documents = RequiredDocument.objects.filter(procedure__in=queryset).select_related("procedure")
    for d in documents.order_by("procedure__code", "position", "id"):
        sheets[DOCUMENTS_SHEET].append(_document_row(d))
    for f in (
        Fee.objects.filter(procedure__in=queryset)
        .select_related("procedure", "implementation__agency")
        .order_by(
            "procedure__code", "implementation__agency__identity_code", "implementation_id", "position", "id"
        )
    ):
        sheets[IMPLEMENTATION_FEES_SHEET if f.implementation_id is not None else FEES_SHEET].append(
            _fee_row(f)
        )
    for f in (
        ProcedureFormField.objects.filter(procedure__in=queryset)
        .select_related("procedure")
        .order_by("procedure__code", "position", "id")
    ):
        sheets[FORM_FIELDS_SHEET].append(_form_field_row(f))
    for row in (
        ProcedureImplementation.objects.filter(procedure__in=queryset)
        .select_related("procedure", "agency")
        .order_by("procedure__code", "level", "agency__identity_code", "valid_from")
    ):
        sheets[IMPLEMENTATIONS_SHEET].append(_implementation_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
