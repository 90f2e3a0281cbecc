from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import AdminUnit

from . import core, services


@login_required
def year_calendar(request):
    """A year's working calendar: holidays, swapped working days and administrators' overrides."""
    province_code = request.GET.get("tinh") or None
    error, status = None, 200
    year = timezone.localdate().year
    provinces = AdminUnit.objects.filter(kind__in=["province", "city"]).order_by("name")
    if province_code and not provinces.filter(code=province_code).exists():
        error = _("Không có tỉnh, thành phố mã «%(code)s».") % {"code": province_code}
        status, province_code = 400, None
    if "nam" in request.GET:
        try:
            year = services.parse_year(request.GET["nam"])
        except core.WorkdaysError as exc:
            error, status = exc.message, 400
    context = services.year_overview(year, province_code)
    check, check_error = None, None
    if "tiep_nhan" in request.GET:
        try:
            check = services.check_due(
                request.GET["tiep_nhan"],
                request.GET.get("thoi_han", ""),
                request.GET.get("don_vi", ""),
                province_code,
            )
        except core.WorkdaysError as exc:
            check_error, status = exc.message, 400
    context.update(
        {
            "error": error,
            "provinces": provinces,
            "province_code": province_code or "",
            "can_edit": request.user.has_perm("workdays.add_calendaroverride"),
            "check": check,
            "check_error": check_error,
            "check_input": {
                "tiep_nhan": request.GET.get("tiep_nhan", ""),
                "thoi_han": request.GET.get("thoi_han", ""),
                "don_vi": request.GET.get("don_vi", core.WORKING_DAYS),
            },
            "units": list(core.UNIT_LABELS.items()),
            "first_year": core.DEFAULT_FIRST_YEAR,
            "last_year": core.DEFAULT_LAST_YEAR,
        }
    )
    return render(request, "workdays/year.html", context, status=status)
