"""The supervisor's charts: dossiers received and resolved per month, and each agency's on-time rate.

The figures are those of the reports (Biểu 06 flows through `figures.monthly_by_agency`, rates through
`resolution_report`), for the twelve months up to today and the agencies the supervisor watches (narrowed by
the dashboard's agency or unit filter). The charts are SVG drawn on the server; the page repeats the numbers in
tables."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.reports import charts, figures
from motcua.reports.resolution import RATES, resolution_report

MONTHS = 12


def first_of_window(today: datetime.date, months: int = MONTHS) -> datetime.date:
    """The first day of the month `months - 1` months before today's month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def trends(scope: set[int] | None, filters, today: datetime.date | None = None) -> dict:
    """Months (received, resolved, on-time rate), agencies (on-time rate) and the two charts."""
    today = today or timezone.localdate()
    agency_ids = figures.agencies_of(scope, filters.unit)
    if filters.agency is not None:
        agency_ids = {filters.agency.pk} if agency_ids is None else agency_ids & {filters.agency.pk}
    first = first_of_window(today)
    months = figures.monthly_by_agency(first, today, agency_ids)["months"]
    report = resolution_report(first, today, agency_ids=agency_ids)
    agencies = [
        {
            "label": row.label,
            "received": row.counts.received,
            "resolved": row.counts.resolved,
            "on_time": row.counts.early + row.counts.on_time,
            "rate": row.counts.rates()["on_time_of_resolved"],
        }
        for row in report.rows
    ]
    agencies.sort(key=lambda a: (a["rate"] is None, -(a["rate"] or 0), a["label"]))
    label, formula = RATES["on_time_of_resolved"]
    period = f"{first:%d/%m/%Y} – {today:%d/%m/%Y}"
    return {
        "from": first,
        "to": today,
        "months": months,
        "agencies": agencies,
        "rate_label": label,
        "rate_formula": formula,
        "months_chart": charts.received_resolved_by_month(
            months, title=_("Hồ sơ tiếp nhận và đã giải quyết theo tháng, %(period)s") % {"period": period}
        ),
        "rates_chart": charts.rate_by_agency(
            [(a["label"], a["rate"], a["on_time"], a["resolved"]) for a in agencies],
            title=_("Tỷ lệ giải quyết đúng hạn theo cơ quan, %(period)s") % {"period": period},
        ),
    }
