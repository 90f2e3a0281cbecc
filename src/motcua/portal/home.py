"""The public home page's content: the center that serves the public and the year's public figures.

The figures come from the report services (Biểu 06, the online figures, the Decision 766 index); nothing is
counted here. They are kept for a few minutes in the cache: the home page is the most visited page and the
index reads every agency's figures.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.org.models import Center
from motcua.reports import figures
from motcua.reports.resolution import resolution_report
from motcua.workdays.services import describe_working_hours, working_hours

INDEX_ROWS = 5


def public_center() -> dict | None:
    """The center the deployment presents to the public (the highest-level one; the first made on a tie):
    name, address, telephone, e-mail of its agency and working hours; None when no center is set up."""
    center = (
        Center.objects.select_related("agency", "unit__level").order_by("unit__level__rank", "pk").first()
    )
    if center is None:
        return None
    agency = center.agency
    return {
        "name": center.name,
        "address": center.address or (agency.address if agency else ""),
        "phone": center.phone or (agency.phone if agency else ""),
        "email": agency.email if agency else "",
        "hours": describe_working_hours(working_hours(center.pk)),
    }


def _index_rows(date_from: datetime.date, date_to: datetime.date) -> list[dict] | None:
    """The first agencies of the Decision 766 index for the period, or None when no version is in force."""
    try:
        index = figures.quality_index(date_from, date_to)
    except ValidationError:
        return None
    return [
        {"rank": unit.rank, "agency": unit.agency, "points": unit.points, "available": unit.available}
        for unit in index["units"][:INDEX_ROWS]
    ]


def year_figures(today: datetime.date) -> dict:
    """This year's public service-quality figures, from 1 January to `today`."""
    first = today.replace(month=1, day=1)
    total = resolution_report(first, today).total
    online = figures.online_figures(first, today)
    return {
        "year": today.year,
        "from": first,
        "to": today,
        "received": online["received"],
        "online": online["online"],
        "online_share": online["share"],
        "resolved": total.resolved,
        "on_time": total.early + total.on_time,
        "in_progress": total.in_progress,
        "on_time_rate": total.rates()["on_time_of_resolved"],
        "index": _index_rows(first, today),
        # Received and resolved per month of the year so far, for the chart (and its table).
        "months": figures.monthly_by_agency(first, today)["months"],
    }


def cached_year_figures() -> dict:
    """`year_figures` for today, computed at most once every MOTCUA_HOME_FIGURES_SECONDS (300 by default)."""
    today = timezone.localdate()
    seconds = int(getattr(settings, "MOTCUA_HOME_FIGURES_SECONDS", 300))
    if seconds <= 0:
        return year_figures(today)
    key = f"portal:home-figures:{today.isoformat()}"
    data = cache.get(key)
    if data is None:
        data = year_figures(today)
        cache.set(key, data, seconds)
    return data
