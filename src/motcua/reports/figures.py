"""The article's other figures, the month-by-month series and the service-quality index (Decision 766).

Everything is computed from the statistics facts (themselves derived from the dossier events) and the catalog.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.org.models import Agency

from . import facts, rollup
from .resolution import parse_period, percent


def _procedures(agency_ids):
    qs = Procedure.objects.published()
    if agency_ids is not None:
        qs = qs.filter(resolving_agency_id__in=list(agency_ids))
    return qs


def online_figures(date_from, date_to, agency_ids=None) -> dict:
    """Online dossiers received in the period, by agency and by the procedure's online level, and the share of
    procedures offered online (toàn trình / một phần)."""
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    levels = dict(_procedures(agency_ids).values_list("pk", "online_level"))
    received = rollup.flows(
        date_from, date_to, ["received", "online"], by=("agency_id", "procedure_id"), agency_ids=agency_ids
    )
    per_agency: dict[int, dict] = {}
    for (agency_id, procedure_id), row in received.items():
        entry = per_agency.setdefault(agency_id, {"online": 0, "total": 0, "full": 0, "partial": 0})
        entry["online"] += row["online"]
        entry["total"] += row["received"]
        level = levels.get(procedure_id)
        if level in ("full", "partial"):
            entry[level] += row["online"]
    names = dict(Agency.objects.filter(pk__in=per_agency).values_list("pk", "name"))
    rows = [
        {
            "agency": names.get(pk, ""),
            "online": v["online"],
            "online_full": v["full"],
            "online_partial": v["partial"],
            "received": v["total"],
            "share": percent(v["online"], v["total"]),
        }
        for pk, v in per_agency.items()
        if v["online"]
    ]
    rows.sort(key=lambda r: (-r["online"], r["agency"]))
    total_online = sum(r["online"] for r in rows)
    total = sum(v["total"] for v in per_agency.values())
    catalog = _procedures(agency_ids).aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(online_level=OnlineLevel.FULL)),
        partial=Count("pk", filter=Q(online_level=OnlineLevel.PARTIAL)),
    )
    return {
        "rows": rows,
        "online": total_online,
        "received": total,
        "share": percent(total_online, total),
        "procedures": catalog["total"],
        "procedures_full": catalog["full"],
        "procedures_partial": catalog["partial"],
        "procedures_online_share": percent(catalog["full"] + catalog["partial"], catalog["total"]),
    }


def on_the_spot_figures(date_from, date_to, agency_ids=None) -> dict:
    """ "5 tại chỗ": approved procedures, those with at least one dossier handled on the spot in the period
    (count and share), their dossiers, and the agencies taking part."""
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    approved = _procedures(agency_ids).filter(on_the_spot=True)
    approved_ids = set(approved.values_list("pk", flat=True))
    spot = rollup.flows(date_from, date_to, ["on_the_spot"], by=("procedure_id",), agency_ids=agency_ids)
    used = {key[0] for key, row in spot.items() if row["on_the_spot"]} & approved_ids
    at_center = Agency.objects.filter(centers_served__isnull=False)
    with_procedures = _procedures(agency_ids)
    if at_center.exists():
        with_procedures = with_procedures.filter(resolving_agency__in=at_center)
    agencies_with_procedures = with_procedures.values("resolving_agency").distinct().count()
    taking_part = approved.values("resolving_agency").distinct().count()
    return {
        "approved": len(approved_ids),
        "with_dossiers": len(used),
        "with_dossiers_share": percent(len(used), len(approved_ids)),
        "without_dossiers": len(approved_ids) - len(used),
        "without_dossiers_share": percent(len(approved_ids) - len(used), len(approved_ids)),
        "dossiers": sum(row["on_the_spot"] for row in spot.values()),
        "agencies_taking_part": taking_part,
        "agencies_with_procedures": agencies_with_procedures,
    }


def month_starts(date_from: datetime.date, date_to: datetime.date):
    day = date_from.replace(day=1)
    while day <= date_to:
        following = (day + datetime.timedelta(days=32)).replace(day=1)
        yield max(day, date_from), min(following - datetime.timedelta(days=1), date_to)
        day = following


def monthly_by_agency(date_from, date_to, agency_ids=None) -> dict:
    """For each month: new dossiers, and dossiers resolved (early + on time / total) per agency and in all.

    Flows only (Biểu 06 definitions: reception date, date of the result), read in two grouped passes.
    """
    date_from, date_to = parse_period(date_from, date_to)
    facts.sync()
    months = list(month_starts(date_from, date_to))
    index = {(first.year, first.month): i for i, (first, _last) in enumerate(months)}
    cells: dict = {}

    def cell(agency_id, day):
        key = (agency_id, index[(day.year, day.month)])
        return cells.setdefault(key, {"new": 0, "resolved": 0, "on_time": 0, "late": 0})

    received = rollup.flows(
        date_from, date_to, ["received"], by=("agency_id",), agency_ids=agency_ids, monthly=True
    )
    for (agency_id, month), row in received.items():
        if row["received"]:
            cell(agency_id, month)["new"] += row["received"]
    ended = rollup.flows(
        date_from,
        date_to,
        ["early", "on_time", "late"],
        by=("agency_id",),
        agency_ids=agency_ids,
        monthly=True,
    )
    for (agency_id, month), row in ended.items():
        resolved = row["early"] + row["on_time"] + row["late"]
        if resolved:
            c = cell(agency_id, month)
            c["resolved"] += resolved
            c["on_time"] += row["early"] + row["on_time"]
            c["late"] += row["late"]
    agencies = {a for a, _m in cells}
    names = dict(Agency.objects.filter(pk__in=agencies).values_list("pk", "name"))
    empty = {"new": 0, "resolved": 0, "on_time": 0, "late": 0}
    rows = []
    for pk in sorted(agencies, key=lambda a: names.get(a, "")):
        rows.append(
            {
                "agency": names.get(pk, ""),
                "months": [_cell(cells.get((pk, i), empty)) for i in range(len(months))],
            }
        )
    totals = []
    for i, (first, last) in enumerate(months):
        total = dict(empty)
        for (_a, m), c in cells.items():
            if m == i:
                for k in total:
                    total[k] += c[k]
        totals.append({"from": first, "to": last, **_cell(total)})
    return {"months": totals, "rows": rows}


def _cell(c: dict) -> dict:
    return {**c, "rate": percent(c["on_time"], c["resolved"])}


# --- The article's other figures: fees, satisfaction, recommendations, digitisation, portal accounts --------

# Each figure with the formula shown next to it (as the resolution rates do).
FORMULAS = {
    "fees_net": (
        _("Số tiền thực thu phí, lệ phí"),
        _("Phí + Lệ phí trên biên lai đã phát hành (không tính biên lai đã hủy) − Số tiền đã hoàn"),
    ),
    "fees_online_share": (
        _("Tỷ lệ số tiền thu trực tuyến"),
        _("Số tiền thu trực tuyến / Tổng số tiền thu × 100%"),
    ),
    "satisfaction_average": (
        _("Điểm hài lòng bình quân"),
        _("Tổng điểm của các phiếu đánh giá / Số phiếu (tối đa 18 điểm: 9 chỉ số × 2 điểm)"),
    ),
    "satisfaction_rate": (
        _("Tỷ lệ hài lòng"),
        _("(Rất hài lòng + Hài lòng) / Số phiếu đánh giá × 100%"),
    ),
    "recommendations_on_time": (
        _("Tỷ lệ kiến nghị, phản ánh được trả lời đúng hạn"),
        _("Trả lời đúng hạn / (Đã trả lời trong kỳ + Quá hạn chưa trả lời đến cuối kỳ) × 100%"),
    ),
    "digitised_components": (
        _("Tỷ lệ hồ sơ có thành phần được số hóa"),
        _("Hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần số hóa / Hồ sơ tiếp nhận trong kỳ × 100%"),
    ),
    "digitised_results": (
        _("Tỷ lệ kết quả được số hóa"),
        _("Hồ sơ đã có kết quả có kết quả số hóa / Hồ sơ đã có kết quả × 100% (hồ sơ tiếp nhận trong kỳ)"),
    ),
    "reused_components": (
        _("Tỷ lệ thành phần hồ sơ được tái sử dụng"),
        _("Thành phần tái sử dụng từ kho dữ liệu / Tổng số thành phần × 100% (hồ sơ tiếp nhận trong kỳ)"),
    ),
    "portal_accounts": (
        _("Tỷ lệ tài khoản có tài khoản Cổng Dịch vụ công quốc gia"),
        _("Tài khoản công dân có tài khoản Cổng Dịch vụ công quốc gia / Tổng số tài khoản công dân × 100%"),
    ),
}


def agencies_of(agency_ids, unit) -> set[int] | None:
    """The agencies a report covers: the caller's scope (None = all) narrowed to a unit and the units below."""
    if unit is None:
        return None if agency_ids is None else set(agency_ids)
    in_unit = set(Agency.objects.filter(unit_id__in=unit.descendant_ids()).values_list("pk", flat=True))
    return in_unit if agency_ids is None else in_unit & set(agency_ids)


def fee_figures(date_from, date_to, agency_ids=None) -> dict:
    """Fees and charges collected in the period (issued receipts; refunds approved), by collecting agency."""
    from motcua.payments.models import Channel
    from motcua.payments.reports import collections

    rows = collections(date_from, date_to, group_by=("agency",), agencies=agency_ids)
    by_channel = {
        row.keys[0]: row.total
        for row in collections(date_from, date_to, group_by=("channel",), agencies=agency_ids)
    }
    total = sum(r.total for r in rows)
    online = by_channel.get(str(dict(Channel.choices)[Channel.ONLINE]), 0)
    return {
        "rows": [
            {
                "agency": r.keys[0],
                "receipts": r.receipts,
                "service_fee": r.service_fee,
                "admin_charge": r.admin_charge,
                "total": r.total,
                "refunded": r.refunded,
                "net": r.net,
            }
            for r in rows
        ],
        "receipts": sum(r.receipts for r in rows),
        "service_fee": sum(r.service_fee for r in rows),
        "admin_charge": sum(r.admin_charge for r in rows),
        "total": total,
        "refunded": sum(r.refunded for r in rows),
        "net": sum(r.net for r in rows),
        "online": online,
        "online_share": percent(online, total),
    }


def satisfaction_figures(date_from, date_to, agency_ids=None, *, evaluations=None) -> dict:
    """Satisfaction evaluations made in the period, by resolving agency (averages over 18 points).

    `evaluations`: `motcua.feedback.services.aggregate` for the same period and agencies, when the caller has it."""
    from motcua.feedback.services import aggregate

    result = evaluations if evaluations is not None else aggregate(date_from, date_to, agencies=agency_ids)
    total = result["total"]
    rows = [
        {
            "agency_id": row["agency"],
            "agency": row["agency__name"],
            "count": row["count"],
            "average": Decimal(str(row["avg_total"])),
            "satisfied": row["very_satisfied"] + row["satisfied"],
            "satisfied_share": percent(row["very_satisfied"] + row["satisfied"], row["count"]),
        }
        for row in result["rows"]
    ]
    satisfied = (total["very_satisfied"] or 0) + (total["satisfied"] or 0)
    return {
        "rows": rows,
        "count": total["count"] or 0,
        "average": Decimal(str(total["avg_total"])) if total["count"] else None,
        "very_satisfied": total["very_satisfied"] or 0,
        "satisfied": total["satisfied"] or 0,
        "dissatisfied": total["dissatisfied"] or 0,
        "satisfied_share": percent(satisfied, total["count"] or 0),
    }


def recommendation_figures(date_from, date_to, agency_ids=None, *, timeliness=None) -> dict:
    """Recommendations (kiến nghị, phản ánh) answered in the period, on time or not, and those overdue.

    `timeliness`: `motcua.feedback.services.answer_timeliness` for the same period and agencies, when the caller
    has it."""
    from motcua.feedback.services import answer_timeliness

    per_agency = (
        timeliness if timeliness is not None else answer_timeliness(date_from, date_to, agencies=agency_ids)
    )
    names = dict(Agency.objects.filter(pk__in=per_agency).values_list("pk", "name"))
    rows = []
    for pk, c in per_agency.items():
        rows.append(
            {
                "agency": names.get(pk, ""),
                **c,
                "late": c["answered"] - c["on_time"],
                "on_time_share": percent(c["on_time"], c["answered"] + c["overdue"]),
            }
        )
    rows.sort(key=lambda r: r["agency"])
    answered = sum(c["answered"] for c in per_agency.values())
    on_time = sum(c["on_time"] for c in per_agency.values())
    overdue = sum(c["overdue"] for c in per_agency.values())
    return {
        "rows": rows,
        "answered": answered,
        "on_time": on_time,
        "late": answered - on_time,
        "overdue": overdue,
        "on_time_share": percent(on_time, answered + overdue),
    }


# Rollup measures (reception family) → the documents app's names (`motcua.documents.rates.DigitisationRates`).
DIGITISATION_MEASURES = {
    "received": "dossiers",
    "with_digitised_components": "dossiers_with_digitised_components",
    "with_result": "resolved",
    "results_digitised": "results_digitised",
    "components": "components",
    "components_reused": "components_reused",
}


def _digitisation_rates(flow_rows: dict) -> dict:
    """{agency id: DigitisationRates} from `rollup.flows` rows keyed by (agency id, ...)."""
    from motcua.documents.rates import DigitisationRates

    sums: dict[int, dict] = {}
    for key, row in sorted(flow_rows.items()):
        entry = sums.setdefault(key[0], dict.fromkeys(DIGITISATION_MEASURES, 0))
        for measure in DIGITISATION_MEASURES:
            entry[measure] += row[measure]
    return {
        pk: DigitisationRates(**{DIGITISATION_MEASURES[m]: v for m, v in entry.items()})
        for pk, entry in sums.items()
        if entry["received"]
    }


def digitisation_by_agency(date_from, date_to, agency_ids=None) -> dict:
    """{agency id: DigitisationRates} of the dossiers received in [date_from, date_to], by resolving agency.

    The same counts as `motcua.documents.rates.digitisation_rates` (which reads the dossier rows), read from
    the daily rollup for rolled-up days and from the statistics facts for later ones."""
    facts.sync()
    rows = rollup.flows(
        date_from, date_to, list(DIGITISATION_MEASURES), by=("agency_id",), agency_ids=agency_ids
    )
    return _digitisation_rates(rows)


DIGITISATION_COUNTS = tuple(DIGITISATION_MEASURES.values())


def digitisation_figures(date_from, date_to, agency_ids=None, per_agency=None) -> dict:
    """Digitisation of the dossiers received in the period (components, results, re-use), by resolving agency.

    `per_agency`: the counts of `digitisation_by_agency` when the caller already has them."""
    if per_agency is None:
        per_agency = digitisation_by_agency(date_from, date_to, agency_ids)
    names = dict(Agency.objects.filter(pk__in=per_agency).values_list("pk", "name"))

    def shares(c: dict) -> dict:
        return {
            **c,
            "digitised_components": percent(c["dossiers_with_digitised_components"], c["dossiers"]),
            "digitised_results": percent(c["results_digitised"], c["resolved"]),
            "reused_components": percent(c["components_reused"], c["components"]),
        }

    rows, total = [], dict.fromkeys(DIGITISATION_COUNTS, 0)
    for pk, r in per_agency.items():
        counts = {name: getattr(r, name) for name in DIGITISATION_COUNTS}
        for name in DIGITISATION_COUNTS:
            total[name] += counts[name]
        rows.append({"agency": names.get(pk, ""), **shares(counts)})
    rows.sort(key=lambda r: r["agency"])
    return {"rows": rows, **shares(total)}


def portal_account_figures(date_from, date_to) -> dict:
    """Citizen accounts and the National Public Service Portal account registration rate: all accounts that
    exist at the end of the period, and those created in it (citizen accounts belong to the whole center)."""
    from motcua.citizens.services import registration_stats

    at_end = registration_stats(None, date_to)
    in_period = registration_stats(date_from, date_to)
    return {
        "accounts": at_end["accounts"],
        "with_national_portal": at_end["with_national_portal"],
        "share": percent(at_end["with_national_portal"], at_end["accounts"]),
        "new_accounts": in_period["accounts"],
        "new_with_national_portal": in_period["with_national_portal"],
        "new_share": percent(in_period["with_national_portal"], in_period["accounts"]),
        "registered_at_counter": in_period["registered_at_counter"],
    }


def other_figures(
    date_from, date_to, agency_ids=None, unit=None, *, digitised=None, evaluations=None, timeliness=None
) -> dict:
    """The article's other figures for a period and unit, each with its formula (see FORMULAS).

    `digitised`, `evaluations`, `timeliness`: the counts of `digitisation_by_agency`, of the feedback app's
    `aggregate` and `answer_timeliness` for the same period and agencies, when the caller has them."""
    date_from, date_to = parse_period(date_from, date_to)
    scope = agencies_of(agency_ids, unit)
    return {
        "fees": fee_figures(date_from, date_to, scope),
        "satisfaction": satisfaction_figures(date_from, date_to, scope, evaluations=evaluations),
        "recommendations": recommendation_figures(date_from, date_to, scope, timeliness=timeliness),
        "digitisation": digitisation_figures(date_from, date_to, scope, digitised),
        "portal_accounts": portal_account_figures(date_from, date_to),
        "formulas": FORMULAS,
    }


# --- Decision 766/QĐ-TTg: service-quality index ------------------------------------------------------------


def quality_index(
    date_from, date_to, agency_ids=None, *, digitised=None, evaluations=None, timeliness=None
) -> dict:
    """The Decision 766 index per agency for the period and the ranking, computed from the groups, indicators,
    points and thresholds of the version in force (`motcua.reports.index766`, data an administrator edits)."""
    from .index766 import quality_index as compute

    return compute(
        date_from, date_to, agency_ids, digitised=digitised, evaluations=evaluations, timeliness=timeliness
    )
