"""The demo catalog of the Gia Bình district center: the 50 sample procedures plus generated ones, 288 in all.

`load()` is idempotent and non-destructive: it updates the procedures' own columns, and adds documents, fees and
process templates only where a procedure has none (so dossiers that point at existing steps are never broken).
Agencies are looked up by short name; missing ones are created with the values agreed for the demo center.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from motcua.org.models import AdminLevel, AdminUnit, Agency

from . import demo_data as data
from .models import (
    Fee,
    Field,
    Procedure,
    ProcedureFormField,
    ProcessTemplate,
    RequiredDocument,
    ensure_default_implementations,
    rebuild_search_terms,
)
from .processes import add_standard_processes

SAMPLE_CSV = Path(__file__).parent / "data" / "catalog-sample.csv"
GENERATED_NOTE = (
    "Thủ tục mẫu sinh tự động cho bản demo: tên theo lĩnh vực, mã (9.xxxxxx), thời hạn, giấy tờ và phí "
    "là dữ liệu giả định."
)
SAMPLE_NOTE = "Danh mục mẫu (catalog-sample.csv). Ghi chú nguồn: {notes}"
ORGANISATION_AGENCIES = {"TCKH", "KTHT", "TNMT", "CCT"}
LEGACY_LEVEL = {"full": 4, "partial": 3, "none": 2}


def _demo_district() -> AdminUnit:
    """Huyện Gia Bình (code 263) under Tỉnh Bắc Ninh (27), created only if the org demo has not run yet."""
    province_level, _ = AdminLevel.objects.get_or_create(
        code="province", defaults={"name": "Cấp tỉnh", "rank": 1}
    )
    district_level, _ = AdminLevel.objects.get_or_create(
        code="district", defaults={"name": "Cấp huyện", "rank": 2}
    )
    province, _ = AdminUnit.objects.get_or_create(
        code="27",
        defaults={"name": "Tỉnh Bắc Ninh", "kind": AdminUnit.Kind.PROVINCE, "level": province_level},
    )
    district, _ = AdminUnit.objects.get_or_create(
        code="263",
        defaults={
            "name": "Huyện Gia Bình",
            "kind": AdminUnit.Kind.DISTRICT,
            "level": district_level,
            "parent": province,
        },
    )
    return district


def demo_agencies() -> dict[str, Agency]:
    """The demo agencies by short name (get-or-create with the agreed name, kind and identity code)."""
    agencies, district = {}, None
    for short_name, (name, kind, identity_code) in data.AGENCIES.items():
        agency = Agency.objects.filter(short_name=short_name).first()
        if agency is None:
            district = district or _demo_district()
            agency, _ = Agency.objects.get_or_create(
                identity_code=identity_code,
                defaults={
                    "short_name": short_name,
                    "name": name,
                    "kind": kind,
                    "unit": district,
                    "identity_code_is_demo": True,
                },
            )
        agencies[short_name] = agency
    return agencies


def _field(code: str, name: str, cache: dict) -> Field:
    if code not in cache:
        cache[code], _ = Field.objects.get_or_create(code=code, defaults={"name": name})
    return cache[code]


def _time_text(value: Decimal | None, unit: str) -> str:
    if unit == "same_day":
        return "Trong ngày"
    if value is None:
        return ""
    words = {"working_days": "ngày làm việc", "calendar_days": "ngày", "working_hours": "giờ làm việc"}
    return f"{int(value):02d} {words[unit]}"


def _sample_rows() -> list[dict]:
    """The sample procedures as Procedure column values (plus `_agency`, `_field`)."""
    rows = []
    with SAMPLE_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            field_code, field_name, agency = data.SAMPLE_FIELDS[row["field"]]
            value = Decimal(row["time_limit_value"]) if row["time_limit_value"] else None
            unit = row["time_limit_unit"]
            code = row["code"]
            online = (
                "full"
                if code in data.FULL_ONLINE_CODES
                else data.SAMPLE_ONLINE_LEVEL.get(field_code, "partial")
            )
            rows.append(
                {
                    "code": code,
                    "name": row["name"],
                    "_field": (field_code, field_name),
                    "_agency": agency,
                    "levels": row["level_before_2025"].replace(";", ","),
                    "time_limit_value": value if unit != "same_day" else None,
                    "time_limit_unit": unit,
                    "time_limit_text": data.SAMPLE_TIME_TEXT.get(code, _time_text(value, unit)),
                    "same_day_cutoff": row["same_day_cutoff_15h"] == "true",
                    "online_level": online,
                    "source_confidence": row["confidence"],
                    "source_note": SAMPLE_NOTE.format(notes=row["notes"]),
                    "_fee_hint": row["fee_text"],
                    "result_type": data.SAMPLE_RESULTS.get(code, ("", ""))[0],
                    "legal_basis": data.SAMPLE_RESULTS.get(code, ("", ""))[1],
                }
            )
    return rows


def _generated_rows() -> list[dict]:
    rows = []
    for agency_index, (agency, groups) in enumerate(data.GENERATED.items(), start=1):
        number = 0
        for field_code, field_name, (value, unit), online, fee, names in groups:
            for name in names:
                number += 1
                rows.append(
                    {
                        "code": f"9.{agency_index:02d}{number:04d}",
                        "name": name,
                        "_field": (field_code, field_name),
                        "_agency": agency,
                        "levels": "district",
                        "time_limit_value": value,
                        "time_limit_unit": unit,
                        "time_limit_text": _time_text(value, unit),
                        "same_day_cutoff": unit == "same_day",
                        "online_level": online,
                        "source_confidence": Procedure.Confidence.GENERATED,
                        "source_note": GENERATED_NOTE,
                        "_generated_fee": fee,
                    }
                )
    return rows


def _working_days(row: dict) -> Decimal:
    """Rough length used only to pick each agency's quickest procedures for "5 tại chỗ"."""
    if row["time_limit_unit"] == "same_day":
        return Decimal(0)
    if row["time_limit_value"] is None:
        return Decimal(999)
    return row["time_limit_value"]


def _choose_on_the_spot(rows: list[dict]) -> set[str]:
    chosen = set()
    for agency, count in data.ON_THE_SPOT_PER_AGENCY.items():
        candidates = sorted(
            (r for r in rows if r["_agency"] == agency), key=lambda r: (_working_days(r), r["code"])
        )
        chosen.update(r["code"] for r in candidates[:count])
    return chosen


def _fees_for(row: dict) -> list[tuple]:
    if row["code"] in data.SAMPLE_FEES:
        return data.SAMPLE_FEES[row["code"]]
    hint = row.get("_fee_hint", "")
    generated = row.get("_generated_fee")
    if "set by law" in hint.lower():
        return [("admin_charge", "Lệ phí theo quy định của pháp luật", None, "fixed", None, None, "", "")]
    if "HĐND" in hint or generated == "HĐND":
        return [("admin_charge", "Lệ phí theo Nghị quyết của HĐND tỉnh", None, "fixed", None, None, "", "")]
    if isinstance(generated, int):
        return [("admin_charge", "Lệ phí", generated, "fixed", None, None, "", "")]
    return []


def _fee_text(row: dict, fees: list[tuple]) -> str:
    if not fees and row.get("_fee_hint") == "not given":
        return "Chưa có thông tin về phí, lệ phí"
    if not fees:
        return "Không thu phí, lệ phí"
    if all(f[2] is None for f in fees):
        return fees[0][1]
    return ""


@transaction.atomic
def load() -> None:
    """Create or update the demo catalog (no logins to print)."""
    agencies = demo_agencies()
    center = agencies[data.CENTER_AGENCY]
    fields: dict[str, Field] = {}
    rows = _sample_rows() + _generated_rows()
    on_the_spot = _choose_on_the_spot(rows)
    decision_date = datetime.date.fromisoformat(data.ON_THE_SPOT_DECISION_DATE)
    codes = [row["code"] for row in rows]
    existing = {p.code: p for p in Procedure.objects.filter(code__in=codes)}
    previous_text = {code: p.search_text for code, p in existing.items()}
    to_create, to_update, columns_set = [], [], set()
    for row in rows:
        columns = {k: v for k, v in row.items() if not k.startswith("_") and k != "code"}
        flagged = row["code"] in on_the_spot
        columns.update(
            field=_field(*row["_field"], fields),
            resolving_agency=agencies[row["_agency"]],
            online_level_legacy=LEGACY_LEVEL[columns["online_level"]],
            on_the_spot=flagged,
            on_the_spot_decision=data.ON_THE_SPOT_DECISION if flagged else "",
            on_the_spot_decision_date=decision_date if flagged else None,
            interlinked=row["_agency"] == "UBND-GB",
            fee_text=_fee_text(row, _fees_for(row)),
            status=Procedure.Status.PUBLISHED,
            applicant_types="citizen,organisation" if row["_agency"] in ORGANISATION_AGENCIES else "citizen",
        )
        columns_set.update(columns)
        procedure = existing.get(row["code"])
        if procedure is None:
            procedure = Procedure(code=row["code"], **columns)
            to_create.append(procedure)
        else:
            for name, value in columns.items():
                setattr(procedure, name, value)
            to_update.append(procedure)
        procedure.refresh_search()
    stale = [p for p in to_update if p.search_text != previous_text.get(p.code)]
    Procedure.objects.bulk_create(to_create, batch_size=200)
    update_fields = sorted(columns_set | {"search_name", "search_key", "search_text"})
    Procedure.objects.bulk_update(to_update, update_fields, batch_size=100)
    rebuild_search_terms(to_create + stale)

    procedures = {
        p.code: p for p in Procedure.objects.filter(code__in=codes).select_related("resolving_agency")
    }
    ensure_default_implementations(procedures.values())
    with_documents = set(
        RequiredDocument.objects.filter(procedure__code__in=codes).values_list("procedure__code", flat=True)
    )
    with_fees = set(Fee.objects.filter(procedure__code__in=codes).values_list("procedure__code", flat=True))
    documents, fees = [], []
    for row in rows:
        procedure = procedures[row["code"]]
        if row["code"] not in with_documents:
            for position, (name, originals, copies, form, required, reusable) in enumerate(
                data.SAMPLE_DOCUMENTS.get(row["code"], data.GENERIC_DOCUMENTS), 1
            ):
                documents.append(
                    RequiredDocument(
                        procedure=procedure,
                        position=position,
                        name=name,
                        original_count=originals,
                        copy_count=copies,
                        form_template_name=form,
                        is_required=required,
                        reusable=reusable,
                    )
                )
        if row["code"] not in with_fees:
            for position, (
                kind,
                description,
                amount,
                basis,
                max_amount,
                online,
                exemptions,
                legal,
            ) in enumerate(_fees_for(row), 1):
                fees.append(
                    Fee(
                        procedure=procedure,
                        position=position,
                        kind=kind,
                        description=description,
                        amount=amount,
                        basis=basis,
                        max_amount=max_amount,
                        online_amount=online,
                        exemptions=exemptions,
                        legal_basis=legal,
                    )
                )
    RequiredDocument.objects.bulk_create(documents, batch_size=500)
    Fee.objects.bulk_create(fees, batch_size=500)
    _add_form_fields(procedures)
    wanted = [(p, ProcessTemplate.Variant.NORMAL) for p in procedures.values()]
    wanted += [(procedures[code], ProcessTemplate.Variant.ON_THE_SPOT) for code in sorted(on_the_spot)]
    add_standard_processes(wanted, center_agency=center)


def _add_form_fields(procedures: dict[str, Procedure]) -> None:
    """The demo online forms, only for procedures whose form has no field yet (edits in the admin are kept)."""
    with_fields = set(
        ProcedureFormField.objects.filter(procedure__code__in=list(data.FORM_FIELDS)).values_list(
            "procedure__code", flat=True
        )
    )
    ProcedureFormField.objects.bulk_create(
        [
            ProcedureFormField(
                procedure=procedures[code],
                position=position,
                key=key,
                label=label,
                kind=kind,
                is_required=required,
                choices=choices,
                help_text=help_text,
            )
            for code, rows in data.FORM_FIELDS.items()
            if code in procedures and code not in with_fields
            for position, (key, label, kind, required, choices, help_text) in enumerate(rows, 1)
        ]
    )
