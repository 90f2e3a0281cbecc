"""The "Thủ tục" sheet and the rows keyed by its codes ("Thành phần hồ sơ", "Phí, lệ phí", "Tờ khai trực
tuyến"): checked, then applied."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.org.models import Agency

from ..models import (
    Fee,
    Field,
    Procedure,
    ProcedureFormField,
    ProcessTemplate,
    RequiredDocument,
)
from ..processes import add_standard_processes
from .cells import _field_code
from .layout import (
    DOCUMENT_FIELDS,
    FEE_FIELDS,
    FORM_FIELD_FIELDS,
    PROCEDURE_COLUMNS,
    PROCEDURE_DEFAULTS,
    PROCEDURES_SHEET,
)
from .report import ImportReport, RowError


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


def _same(existing, wanted: list[dict], fields_) -> bool:
    current = [tuple(getattr(item, f) for f in fields_) for item in existing]
    return current == [tuple(w.get(f) for f in fields_) for w in wanted]


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
