"""Public pages: the home page, the catalog search, procedure detail, and pages per agency and per field."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.implementations import attach_own_fees, implementing_agencies
from motcua.catalog.models import Field, Procedure
from motcua.catalog.search import (
    agencies_with_counts,
    fields_with_counts,
    get_public_procedure,
    search_procedures,
)
from motcua.db_routing import replica_reads
from motcua.org.models import Agency
from motcua.reports import charts
from motcua.reports.resolution import RATES

from .forms import ProcedureSearchForm
from .home import cached_year_figures, public_center

PAGE_SIZE = 20


def _search_page(request, *, title: str, fixed: dict | None = None, heading_object=None):
    data = request.GET.copy()
    for name, value in (fixed or {}).items():
        data[name] = value
    form = ProcedureSearchForm(data)
    page = None
    if form.is_valid():
        paginator = Paginator(search_procedures(form.filters()), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/procedure_search.html",
        {
            "form": form,
            "page": page,
            "title": title,
            "fixed": fixed or {},
            "heading_object": heading_object,
            "query": query.urlencode(),
        },
    )


@replica_reads()
def procedure_search(request):
    return _search_page(request, title="")


@replica_reads()
def agency_procedures(request, agency: str):
    agency_obj = get_object_or_404(Agency, short_name=agency)
    return _search_page(request, title=agency_obj.name, fixed={"agency": agency}, heading_object=agency_obj)


def field_procedures(request, field: str):
    field_obj = get_object_or_404(Field, code=field)
    return _search_page(request, title=field_obj.name, fixed={"field": field}, heading_object=field_obj)


def agency_list(request):
    return render(request, "portal/agency_list.html", {"agencies": agencies_with_counts()})


def field_list(request):
    return render(request, "portal/field_list.html", {"fields": fields_with_counts()})


def procedure_detail(request, code: str):
    try:
        procedure = get_public_procedure(code)
    except Procedure.DoesNotExist:
        raise Http404 from None
    context = {
        "procedure": procedure,
        "channels": procedure.submission_terms(),
        "levels": procedure.level_labels(),
        "applicant_types": procedure.applicant_type_labels(),
        "implementations": attach_own_fees(implementing_agencies(procedure, timezone.localdate())),
    }
    return render(request, "portal/procedure_detail.html", context)


def public_home(request):
    """The public home page: the center, a procedure search, the citizen's tiles and this year's figures."""
    label, formula = RATES["on_time_of_resolved"]
    year = cached_year_figures()
    period = f"{year['from']:%d/%m/%Y} – {year['to']:%d/%m/%Y}"
    context = {
        "center": public_center(),
        "figures": year,
        "on_time_label": label,
        "on_time_formula": formula,
        "months_chart": charts.received_resolved_by_month(
            year.get("months", []),
            title=_("Hồ sơ tiếp nhận và đã giải quyết theo tháng, %(period)s") % {"period": period},
        ),
    }
    return render(request, "portal/home.html", context)
