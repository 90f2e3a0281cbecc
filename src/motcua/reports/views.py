"""Statistics screens: Biểu 06 for staff (with Excel and CSV), the article's indicators and the Decision 766
index, and the public statistics page. Views parse input, call the report services and render."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.db_routing import replica_reads
from motcua.org.models import AdminUnit

from . import charts, exports, figures
from .access import report_scope
from .api import file_response
from .models import DossierFact
from .resolution import GROUPS, RATES, REORGANISED, find_unit, parse_period, resolution_report


def default_period() -> tuple[datetime.date, datetime.date]:
    """From 1 January to the last day with a dossier received, in the latest year that has dossiers."""
    last = DossierFact.objects.aggregate(m=Max("received_on"))["m"]
    if last is None:
        last = timezone.localdate()
    return last.replace(month=1, day=1), last


def _scope_or_403(user):
    scope = report_scope(user)
    if scope is not None and not scope:
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo."))
    return scope


def _params(request):
    first, last = default_period()
    return {
        "from": request.GET.get("from") or first.isoformat(),
        "to": request.GET.get("to") or last.isoformat(),
        "unit": request.GET.get("unit", ""),
        "group_by": request.GET.get("group_by") or "agency",
        "reorganised": request.GET.get("reorganised") or "as_they_were",
    }


def _resolution_report(params: dict, scope):
    """The resolution report for the period, unit, grouping and reorganisation view asked, within `scope`
    (raises ValidationError)."""
    return resolution_report(
        params["from"],
        params["to"],
        group_by=params["group_by"],
        unit=params["unit"] or None,
        agency_ids=scope,
        reorganised=params["reorganised"],
    )


@login_required
@replica_reads()
def resolution(request):
    scope = _scope_or_403(request.user)
    params = _params(request)
    report, errors = None, {}
    try:
        report = _resolution_report(params, scope)
    except ValidationError as exc:
        errors = exc.message_dict
    context = {
        "params": params,
        "report": report.as_dict() if report else None,
        "period": (report.date_from, report.date_to) if report else None,
        "group_label": report.group_label if report else "",
        "errors": errors,
        "groups": [(k, v[1]) for k, v in GROUPS.items()],
        "reorganised_choices": list(REORGANISED.items()),
        "units": _units(),
        "rates": [(k, label, formula) for k, (label, formula) in RATES.items()],
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/resolution.html", context, status=400 if errors else 200)


@login_required
@replica_reads()
def resolution_export(request, kind: str):
    scope = _scope_or_403(request.user)
    params = _params(request)
    try:
        report = _resolution_report(params, scope)
    except ValidationError as exc:
        context = {"errors": exc.message_dict, "params": params}
        return render(request, "reports/export_error.html", context, status=400)
    return file_response(report, kind)


def _indicator_context(request):
    """Every figure of the indicators page for the period and unit asked (raises ValidationError)."""
    from motcua.feedback.services import aggregate, answer_timeliness

    scope = _scope_or_403(request.user)
    params = _params(request)
    date_from, date_to = parse_period(params["from"], params["to"])
    unit = find_unit(params["unit"] or None)
    agencies = figures.agencies_of(scope, unit)
    # Read once, used by the index and the other figures.
    digitised = figures.digitisation_by_agency(date_from, date_to, agencies)
    evaluations = aggregate(date_from, date_to, agencies=agencies)
    timeliness = answer_timeliness(date_from, date_to, agencies=agencies)
    shared = {"digitised": digitised, "evaluations": evaluations, "timeliness": timeliness}
    return {
        "params": params,
        "date_from": date_from,
        "date_to": date_to,
        "unit": unit,
        "online": figures.online_figures(date_from, date_to, agencies),
        "spot": figures.on_the_spot_figures(date_from, date_to, agencies),
        "index": figures.quality_index(date_from, date_to, agencies, **shared),
        "monthly": figures.monthly_by_agency(date_from, date_to, agencies),
        "report": resolution_report(date_from, date_to, unit=unit, agency_ids=scope).as_dict(),
        "other": figures.other_figures(date_from, date_to, agencies, **shared),
    }


@login_required
@replica_reads()
def indicators(request):
    try:
        data = _indicator_context(request)
    except ValidationError as exc:
        context = {"errors": exc.message_dict, "params": _params(request), "units": _units()}
        return render(request, "reports/indicators.html", context, status=400)
    context = {
        **data,
        "units": _units(),
        "total": data["report"]["total"],
        "formulas": data["other"]["formulas"],
        "query": request.GET.urlencode(),
        "month_chart": charts.bars_by_month(data["monthly"]["months"]),
        "agency_chart": charts.share_bars(
            [(r["label"], r["received"]["total"]) for r in data["report"]["rows"]],
            title=_("Hồ sơ tiếp nhận theo cơ quan"),
        ),
        "online_chart": charts.share_bars(
            [(r["agency"], r["online"]) for r in data["online"]["rows"]],
            title=_("Hồ sơ trực tuyến theo cơ quan"),
        ),
    }
    return render(request, "reports/indicators.html", context)


@login_required
@replica_reads()
def indicators_export(request):
    try:
        data = _indicator_context(request)
    except ValidationError as exc:
        context = {"errors": exc.message_dict, "params": _params(request)}
        return render(request, "reports/export_error.html", context, status=400)
    response = HttpResponse(
        exports.indicators_to_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"chi-tieu_{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _units():
    return AdminUnit.objects.order_by("level__rank", "name")


@replica_reads()
def public_statistics(request):
    """Public page (no login): totals and the on-time rate by agency, month by month, for a year."""
    bounds = DossierFact.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
    years = list(range(bounds["first"].year, bounds["last"].year + 1)) if bounds["last"] else []
    error, status = None, 200
    year = years[-1] if years else timezone.localdate().year
    if request.GET.get("nam"):
        try:
            year = int(request.GET["nam"])
            if years and year not in years:
                raise ValueError
        except ValueError:
            error, status = _("Năm không hợp lệ hoặc chưa có số liệu."), 400
            year = years[-1] if years else year
    first = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    if bounds["last"] and bounds["last"].year == year:
        last = max(bounds["last"], datetime.date(year, 1, 31))
        last = (last.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    monthly = figures.monthly_by_agency(first, last)
    report = resolution_report(first, last).as_dict()
    context = {
        "year": year,
        "years": years,
        "error": error,
        "monthly": monthly,
        "total": report["total"],
        "rows": report["rows"],
        "first": first,
        "last": last,
        "month_chart": charts.bars_by_month(monthly["months"]),
        "agency_chart": charts.share_bars(
            [(r["label"], r["received"]["total"]) for r in report["rows"]],
            title=_("Hồ sơ tiếp nhận theo cơ quan"),
        ),
    }
    return render(request, "reports/public.html", context, status=status)
