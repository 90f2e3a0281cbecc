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
