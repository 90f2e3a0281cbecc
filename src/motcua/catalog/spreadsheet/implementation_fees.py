"""The "Phí, lệ phí riêng" sheet: the fee lines of an implementing agency's own schedule, checked, then
applied."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    Fee,
    ProcedureImplementation,
)
from .layout import FEE_DEFAULTS, FEE_FIELDS, IMPLEMENTATION_FEES_SHEET
from .procedures import _same
from .report import ImportReport, RowError


def _stored_implementations(rows) -> dict[str, set[tuple]]:
    """The catalog's implementations of the procedures the rows name: {procedure code: {(agency id, valid from)}}."""
    stored: dict[str, set[tuple]] = {}
    codes = {row["procedure"] for _n, row in rows}
    for code, agency_id, valid_from in ProcedureImplementation.objects.filter(
        procedure__code__in=codes
    ).values_list("procedure__code", "agency_id", "valid_from"):
        stored.setdefault(code, set()).add((agency_id, valid_from))
    return stored


def _implementation_refusal(code, agency, valid_from, known_codes, implementations, stored) -> str | None:
    """Why a row names no implementation (an unknown procedure, or an agency not implementing it), or None."""
    if code not in known_codes:
        return _("Mã thủ tục %(code)s không có trong danh mục.") % {"code": code}
    if code in implementations:
        existing = {(v["agency_id"], v["valid_from"]) for v in implementations[code]}
    else:
        existing = stored.get(code, set())
    if (agency.pk, valid_from) in existing:
        return None
    since = _(" từ ngày %(day)s") % {"day": valid_from.strftime("%d/%m/%Y")} if valid_from else ""
    return _(
        "Cơ quan %(name)s không thực hiện thủ tục %(code)s%(since)s: thêm dòng ở trang "
        "“Cơ quan thực hiện” trước."
    ) % {"name": agency.name, "code": code, "since": since}


def _fee_values(row: dict) -> dict:
    """A row's fee values with the defaults for the blank and missing ones (blank text fields as "")."""
    values = {k: (FEE_DEFAULTS[k] if v in ("", None) and k in FEE_DEFAULTS else v) for k, v in row.items()}
    for name, value in FEE_DEFAULTS.items():
        values.setdefault(name, value)
    for name in FEE_FIELDS:
        if values.get(name) is None and name not in ("amount", "max_amount", "online_amount", "position"):
            values[name] = ""
    return values


def _fee_error(values: dict) -> str | None:
    """The Fee model's clean() messages for the values, joined, or None when they are valid."""
    try:
        Fee(**values).full_clean(exclude=["procedure", "implementation"])
    except ValidationError as error:
        return " ".join(m for ms in error.message_dict.values() for m in ms)
    return None


def _implementation_fees(
    rows, implementations: dict[str, list[dict]], known_codes: set[str], report: ImportReport
) -> dict[str, dict[tuple, list[dict]]]:
    """The "Phí, lệ phí riêng" rows: {procedure code: {(agency id, valid from): [fee values]}}, each row naming
    an implementation of the file's "Cơ quan thực hiện" sheet (for a procedure listed there) or of the catalog,
    and checked with the Fee model's clean()."""
    stored = _stored_implementations(rows)
    grouped: dict[str, dict[tuple, list[dict]]] = {}
    for number, row in rows:
        code, agency, valid_from = row.pop("procedure"), row.pop("agency"), row.pop("valid_from", None)
        refusal = _implementation_refusal(code, agency, valid_from, known_codes, implementations, stored)
        if refusal is not None:
            report.errors.append(RowError(IMPLEMENTATION_FEES_SHEET, number, [refusal]))
            continue
        values = _fee_values(row)
        group = grouped.setdefault(code, {}).setdefault((agency.pk, valid_from), [])
        if values.get("position") is None:
            values["position"] = len(group) + 1
        error = _fee_error(values)
        if error is not None:
            report.errors.append(RowError(IMPLEMENTATION_FEES_SHEET, number, [error]))
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
