"""Queue pages: the ticket kiosk and the printed ticket (public), the visitor's follow page (public), the hall
display (public), the counter officer's page and the supervisor's statistics. Each view parses input, calls one
service of this app, and renders."""

import datetime

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import services as dossier_services
from motcua.org.models import Center, Counter, Role
from motcua.org.permissions import agency_ids_in_scope, has_role

from . import printing, services, throttle
from .models import Ticket
from .stats import queue_stats

COUNTER_ACTIONS = {"call_next", "recall", "skip", "finish", "transfer"}


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _center_from(request, centers) -> Center | None:
    """The center named by `?center=` among `centers`, else the only/first one."""
    pk = request.GET.get("center") or request.POST.get("center")
    if pk and str(pk).isdigit():
        return next((c for c in centers if c.pk == int(pk)), None)
    return centers[0] if centers else None


def _follow_url(request, ticket: Ticket) -> str:
    return request.build_absolute_uri(reverse("tickets:follow", args=[ticket.public_id]))


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


# --- public: kiosk, ticket, follow, display --------------------------------------------------------------------


def kiosk(request):
    kinds = list(services.kinds_on_offer())
    centers = list({k.center_id: k.center for k in kinds}.values())
    center = _center_from(request, centers)
    kinds = [k for k in kinds if center is not None and k.center_id == center.pk]
    errors, status = [], 200
    if request.method == "POST":
        try:
            kind = services.find_kind(request.POST.get("service", ""), center)
            reason = request.POST.get("priority_reason", "")
            if reason not in ("", *Ticket.Priority.values):
                raise ValidationError(_("Đối tượng ưu tiên không hợp lệ."))
            if not throttle.take(throttle.client_address(request)):
                errors, status = [_("Máy đã phát quá nhiều số trong một phút. Vui lòng chờ giây lát.")], 429
            else:
                ticket = services.issue(kind, priority_reason=reason)
                return redirect(reverse("tickets:ticket", args=[ticket.public_id]) + "?in=1")
        except ValidationError as exc:
            errors, status = _messages_of(exc), 400
    return render(
        request,
        "tickets/kiosk.html",
        {
            "center": center,
            "centers": centers,
            "kinds": kinds,
            "priorities": Ticket.Priority.choices,
            "chosen_priority": request.POST.get("priority_reason", ""),
            "errors": errors,
        },
        status=status,
    )


def _public_ticket(public_id) -> Ticket:
    return get_object_or_404(Ticket.objects.select_related("kind__center", "counter"), public_id=public_id)


def ticket(request, public_id):
    """The 80 mm ticket the kiosk prints (print stylesheet), with the QR code of the follow page."""
    t = _public_ticket(public_id)
    url = _follow_url(request, t)
    return render(
        request,
        "tickets/ticket.html",
        {
            "ticket": t,
            "waiting_before": services.waiting_before(t),
            "follow_url": url,
            "qr": mark_safe(_qr_svg(url)),  # generated here from our own URL: safe markup
            "auto_print": request.GET.get("in") == "1",
        },
    )


def ticket_pdf(request, public_id):
    """The same ticket as an 80 mm PDF, for kiosks that print from a file."""
    t = _public_ticket(public_id)
    pdf = printing.ticket_pdf(t, services.waiting_before(t), _follow_url(request, t))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-thu-tu-{t.code}.pdf"'
    return response


def follow(request, public_id):
    t = _public_ticket(public_id)
    state = services.follow(t)
    if request.GET.get("format") == "json":
        return JsonResponse(state, json_dumps_params={"ensure_ascii": False})
    return render(request, "tickets/follow.html", {"ticket": t, "state": state})


def display(request):
    centers = list(Center.objects.filter(ticket_kinds__isnull=False).distinct().order_by("pk"))
    center = _center_from(request, centers)
    return render(
        request,
        "tickets/display.html",
        {"center": center, "state": services.display_state(center), "poll_seconds": 3},
    )


# --- staff: the counter page -------------------------------------------------------------------------------


def _counters(request):
    counters = list(services.counters_for(request.user).order_by("center_id", "number"))
    if not counters:
        raise PermissionDenied(_("Bạn không được phân công tiếp nhận tại quầy nào."))
    return counters


COUNTER_REFRESH_SECONDS = 10


def counter_refresh_seconds() -> int:
    """Seconds between two in-place updates of the counter page (settings.MOTCUA_COUNTER_REFRESH_SECONDS): the
    queue, the ticket served and the actions are fetched again without reloading the page."""
    return int(getattr(settings, "MOTCUA_COUNTER_REFRESH_SECONDS", COUNTER_REFRESH_SECONDS))


@login_required
def counter_pick(request):
    counters = _counters(request)
    if len(counters) == 1:
        return redirect("tickets:counter_detail", pk=counters[0].pk)
    return render(request, "tickets/counter_pick.html", {"counters": counters})


@login_required
def counter_detail(request, pk):
    counters = _counters(request)
    counter = next((c for c in counters if c.pk == pk), None)
    if counter is None:
        raise Http404(_("Không tìm thấy quầy."))
    now = timezone.now()
    today = timezone.localdate(now)
    waiting = list(services.waiting_for(counter, today)[:10])
    return render(
        request,
        "tickets/counter.html",
        {
            "counter": counter,
            "current": services.current_ticket(counter, now),
            "waiting": waiting,
            "waiting_count": services.waiting_for(counter, today).count(),
            "skipped": Ticket.objects.filter(
                day=today, status=Ticket.Status.SKIPPED, kind__counters=counter
            ).order_by("-finished_at")[:10],
            "other_counters": Counter.objects.filter(center=counter.center).exclude(pk=counter.pk),
            "kinds": counter.ticket_kinds.filter(is_active=True),
            "now": now,
            "refresh_seconds": counter_refresh_seconds(),
        },
    )


@login_required
@require_POST
def counter_act(request, pk):
    counters = _counters(request)
    counter = next((c for c in counters if c.pk == pk), None)
    if counter is None:
        raise Http404(_("Không tìm thấy quầy."))
    action = request.POST.get("action", "")
    try:
        if action not in COUNTER_ACTIONS:
            raise ValidationError(_("Thao tác không hợp lệ."))
        if action == "call_next":
            ticket = services.call_next(counter, request.user)
            if ticket is None:
                messages.info(request, _("Không còn ai chờ các dịch vụ của quầy này."))
            else:
                messages.success(request, _("Đã gọi số %(code)s.") % {"code": ticket.code})
        elif action == "recall":
            chosen = request.POST.get("ticket", "")
            skipped = None
            if chosen:
                skipped = Ticket.objects.filter(pk=int(chosen) if chosen.isdigit() else 0).first()
                if skipped is None:
                    raise ValidationError(_("Không tìm thấy số thứ tự."))
            ticket = services.recall(counter, request.user, ticket=skipped)
            messages.success(request, _("Đã gọi lại số %(code)s.") % {"code": ticket.code})
        elif action == "skip":
            ticket = services.skip(counter, request.user)
            messages.success(request, _("Đã bỏ qua số %(code)s (vắng mặt).") % {"code": ticket.code})
        elif action == "finish":
            ticket = services.finish(counter, request.user)
            messages.success(request, _("Đã hoàn thành phục vụ số %(code)s.") % {"code": ticket.code})
        else:
            target = request.POST.get("to_counter", "")
            to_counter = Counter.objects.filter(pk=int(target)).first() if target.isdigit() else None
            ticket = services.transfer(counter, request.user, to_counter)
            messages.success(
                request,
                _("Đã chuyển số %(code)s sang quầy %(n)d.") % {"code": ticket.code, "n": to_counter.number},
            )
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    return redirect("tickets:counter_detail", pk=counter.pk)


# --- supervisor: statistics -------------------------------------------------------------------------------


def _parse_day(value: str, default: datetime.date) -> tuple[datetime.date, bool]:
    value = (value or "").strip()
    if not value:
        return default, True
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date(), True
        except ValueError:
            continue
    return default, False


@login_required
def stats(request):
    user = request.user
    if not (user.is_superuser or has_role(user, Role.SUPERVISOR) or has_role(user, Role.ADMINISTRATOR)):
        raise PermissionDenied(_("Chỉ lãnh đạo trung tâm, giám sát hoặc quản trị mới xem được thống kê này."))
    centers = Center.objects.order_by("pk")
    if not user.is_superuser:
        ids = agency_ids_in_scope(user, Role.SUPERVISOR) | agency_ids_in_scope(user, Role.ADMINISTRATOR)
        centers = centers.filter(agency_id__in=ids)
    centers = list(centers)
    center = _center_from(request, centers)
    today = timezone.localdate()
    day_from, ok_from = _parse_day(request.GET.get("from", ""), today)
    day_to, ok_to = _parse_day(request.GET.get("to", ""), day_from if ok_from else today)
    errors = []
    if not (ok_from and ok_to):
        errors.append(_("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."))
        day_from = day_to = today
    elif day_to < day_from:
        errors.append(_("Ngày kết thúc phải sau ngày bắt đầu."))
        day_to = day_from
    elif (day_to - day_from).days > 366:
        errors.append(_("Chỉ xem được tối đa một năm mỗi lần."))
        day_to = day_from
    figures = queue_stats(center, day_from, day_to) if center else None
    guidance = (
        dossier_services.counter_guidance_counts([center.agency_id], day_from, day_to) if center else {}
    )
    return render(
        request,
        "tickets/stats.html",
        {
            "centers": centers,
            "center": center,
            "day_from": day_from,
            "day_to": day_to,
            "figures": figures,
            "guidance": sorted((name, n) for name, n in guidance.items() if name),
            "guidance_total": guidance.get("", 0),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
