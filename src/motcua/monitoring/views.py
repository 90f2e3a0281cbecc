"""Monitoring screens: parse the request, call one service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.db_routing import replica_reads
from motcua.dossiers.deadlines import deadlines
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import can_see
from motcua.feedback import services as feedback
from motcua.org.models import AdminUnit, Agency
from motcua.workdays.services import get_calendar

from . import dashboard as board
from . import notifications as inbox
from . import recommendation_watch as rw
from . import reminders, trends
from .dashboard import Filters
from .models import DueState, Reminder

REFRESH_SECONDS = 60


def refresh_seconds() -> int:
    """Seconds between two in-place updates of the figures (settings.MOTCUA_MONITORING_REFRESH_SECONDS)."""
    return int(getattr(settings, "MOTCUA_MONITORING_REFRESH_SECONDS", REFRESH_SECONDS))


PAGE_SIZE = 50


def _require_monitor(user):
    if not board.may_monitor(user):
        raise PermissionDenied(
            _("Chỉ giám đốc trung tâm, cán bộ giám sát và lãnh đạo được xem trang theo dõi.")
        )


def _filters_or_message(request, parse=board.parse_filters):
    """The filters asked (`parse`: the dossiers' or the recommendations' parser) and no message, or no filter
    and the messages of what was wrong."""
    try:
        return parse(request.GET, request.user), []
    except ValidationError as exc:
        return Filters(), [m for messages_ in exc.message_dict.values() for m in messages_]


def _page_number(request) -> int:
    """The page asked (the first unless a positive number)."""
    page_number = request.GET.get("page") or "1"
    return int(page_number) if page_number.isdigit() and int(page_number) > 0 else 1


def _choices(ids):
    """The agencies (of `ids`, None: all) and their administrative units offered by the filters."""
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    agencies = agencies.select_related("unit").order_by("name")
    units = AdminUnit.objects.filter(pk__in=agencies.values("unit")).order_by("name")
    return agencies, units


@login_required
@replica_reads()
def dashboard(request):
    _require_monitor(request.user)
    filters, errors = _filters_or_message(request)
    data = board.overview(request.user, filters)
    pending = board.recommendation_overview(request.user, filters, data.now)
    limits = board.reception_limits(request.user, filters, data.now)
    agencies, units = _choices(board.scope_ids(request.user))
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "overview": data,
            "recommendations": pending,
            "reception_limits": limits,
            "filters": filters,
            "errors": errors,
            "agencies": agencies,
            "units": units,
            "states": [(s, DueState(s).label) for s in board.COUNTED],
            "refresh_seconds": refresh_seconds(),
            "base_query": filters.as_query(),
            "trends": trends.trends(board.scope_ids(request.user), filters),
        },
    )


def _when(value) -> str:
    """An instant as the templates' `date:"H:i d/m/Y"` shows it (local time), "" for none; formatted here
    once per cell instead of through the template filter and the format lookup it does on every call."""
    if value is None:
        return ""
    t = timezone.localtime(value)
    return f"{t.hour:02d}:{t.minute:02d} {t.day:02d}/{t.month:02d}/{t.year:04d}"


def _list_rows(items, first_number: int, *, can_urge: bool) -> list[dict]:
    """What each row of a drill-down list shows, as plain strings: the translations, URLs and date formats
    are looked up once per page, not once per row in the template (the page's main rendering cost)."""
    labels = {state: str(state.label) for state in DueState}
    since_text = _("từ %(since)s")
    rows = []
    now, cal = timezone.now(), get_calendar()
    for number, item in enumerate(items, start=first_number):
        d, s, w = item.dossier, item.status, item.row
        dl = deadlines(d, now, cal)
        holder = w.holder
        rows.append(
            {
                "number": number,
                "code": d.code,
                "pk": d.pk,
                "procedure": d.procedure.name,
                "received": _when(d.received_at),
                "appointment": _when(dl.appointment.at),
                "apology": (
                    _("Cần gửi phiếu xin lỗi (Mẫu 04) trước %(until)s") % {"until": _when(s.apology_until)}
                    if s.apology_prompt
                    else ""
                ),
                "agency": (d.current_agency.name if d.current_agency else "") or d.resolving_agency.name,
                "step": d.current_step.name if d.current_step else "",
                "holder": (holder.get_full_name() or holder.username) if holder else "",
                "held_since": since_text % {"since": _when(w.held_since)} if w.held_since else "",
                "due": _when(dl.legal.at) or "—",
                "step_due": _when(dl.step.at) if dl.step else "",
                "state": s.state,
                "label": labels[s.state],
                "css": "overdue" if s.is_late else "ontrack" if s.state == "on_track" else "",
                "remaining": s.remaining,
                "step_overrun": s.step_overrun,
                "urge_url": reverse("monitoring:urge", args=[d.code]) if can_urge else "",
                "history_url": reverse("monitoring:history", args=[d.code]) if can_urge else "",
            }
        )
    return rows


def _list_page(request, filters, title, *, mine=False, errors=()):
    page_number = _page_number(request)
    offset = (page_number - 1) * PAGE_SIZE
    fetch = board.drill_down_mine if mine else board.drill_down
    count, items = fetch(request.user, filters, limit=PAGE_SIZE, offset=offset)
    paginator = Paginator(range(count), PAGE_SIZE)
    agencies, units = _choices(board.scope_ids(request.user)) if not mine else ([], [])
    page = paginator.get_page(page_number)
    can_urge = not mine and board.may_monitor(request.user)
    return render(
        request,
        "monitoring/dossier_list.html",
        {
            "title": title,
            "rows": _list_rows(items, page.start_index(), can_urge=can_urge),
            "count": count,
            "page": page,
            "filters": filters,
            "errors": errors,
            "mine": mine,
            "agencies": agencies,
            "units": units,
            "states": [(s, DueState(s).label) for s in board.FILTER_STATES if s != "step_overrun"],
            "can_urge": can_urge,
            "refresh_seconds": refresh_seconds(),
            "now": timezone.now(),
        },
    )


@login_required
@replica_reads()
def dossier_list(request):
    _require_monitor(request.user)
    filters, errors = _filters_or_message(request)
    label = DueState(filters.state).label if filters.state in DueState.values else ""
    if filters.state == "step_overrun":
        label = _("Bước xử lý vượt thời gian")
    title = _("Hồ sơ %(state)s") % {"state": str(label).lower()} if label else _("Hồ sơ đang theo dõi")
    return _list_page(request, filters, title, errors=errors)


@login_required
@replica_reads()
def my_work(request):
    filters, errors = _filters_or_message(request)
    filters.agency = filters.unit = None
    return _list_page(request, filters, _("Hồ sơ của tôi theo hạn xử lý"), mine=True, errors=errors)


@login_required
@replica_reads()
def recommendation_list(request):
    """Recommendations awaiting an answer, the most urgent first, with who holds each and since when."""
    if not feedback.can_read_recommendations(request.user):
        raise PermissionDenied(_("Bạn không có quyền xem kiến nghị, phản ánh."))
    filters, errors = _filters_or_message(request, board.parse_recommendation_filters)
    page_number = _page_number(request)
    now = timezone.now()
    count, items = board.recommendation_drill_down(
        request.user, filters, now, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    agencies, units = _choices(feedback.recommendation_agency_ids(request.user))
    label = rw.STATE_LABELS.get(filters.state, "")
    title = (
        _("Kiến nghị, phản ánh chờ trả lời: %(state)s") % {"state": str(label).lower()}
        if label
        else _("Kiến nghị, phản ánh chờ trả lời")
    )
    return render(
        request,
        "monitoring/recommendation_list.html",
        {
            "title": title,
            "items": items,
            "count": count,
            "page": Paginator(range(count), PAGE_SIZE).get_page(page_number),
            "filters": filters,
            "errors": errors,
            "agencies": agencies,
            "units": units,
            "states": [(s, label) for s, label in rw.STATE_LABELS.items()],
            "refresh_seconds": refresh_seconds(),
            "now": now,
            "is_monitor": board.may_monitor(request.user),
        },
    )


def _dossier_for(request, code) -> Dossier:
    dossier = (
        Dossier.objects.select_related("procedure", "current_agency", "current_step", "holder")
        .filter(code=code)
        .first()
    )
    if dossier is None or not can_see(request.user, dossier):
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _back(request, default):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def urge(request, code):
    dossier = _dossier_for(request, code)
    try:
        sent = reminders.send_manual(dossier, request.user, request.POST.get("note", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        names = ", ".join(r.recipient.get_full_name() or r.recipient.get_username() for r in sent)
        messages.success(
            request, _("Đã đôn đốc hồ sơ %(code)s: %(names)s.") % {"code": dossier.code, "names": names}
        )
    return _back(request, "monitoring:list")


@login_required
def reminder_history(request, code):
    dossier = _dossier_for(request, code)
    rows = (
        Reminder.objects.filter(dossier=dossier)
        .select_related("recipient", "sent_by")
        .order_by("created_at", "id")
    )
    return render(request, "monitoring/history.html", {"dossier": dossier, "rows": rows})


@login_required
def notifications(request):
    if request.method == "POST":
        inbox.mark_read(request.user, request.POST.get("id") or "")
        return redirect("monitoring:notifications")
    rows = inbox.for_user(request.user)
    paginator = Paginator(rows, 30)
    return render(
        request, "monitoring/notifications.html", {"page": paginator.get_page(request.GET.get("page"))}
    )
