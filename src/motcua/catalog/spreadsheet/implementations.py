"""The "Cơ quan thực hiện" sheet: the agencies implementing each procedure, checked, then applied."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    Fee,
    Procedure,
    ProcedureImplementation,
    ensure_default_implementations,
    implementation_level_of,
)
from .layout import FEE_FIELDS, IMPLEMENTATION_FIELDS, IMPLEMENTATIONS_SHEET
from .procedures import _same
from .report import ImportReport, RowError


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
