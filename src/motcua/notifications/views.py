"""The outbox staff read: every notification with its status, and the sandbox gateways' file outboxes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.org.permissions import has_role

from .models import Notification
from .notifiers import FileOutboxNotifier, notifier_for
from .services import retry_now

OUTBOX_ROLES = ("reception_officer", "supervisor", "administrator")


def _require_outbox_reader(user):
    if not any(has_role(user, role) for role in OUTBOX_ROLES):
        raise PermissionDenied(_("Bạn không có quyền xem hộp thư đi."))


@login_required
def outbox(request):
    _require_outbox_reader(request.user)
    status = request.GET.get("status", "")
    rows = Notification.objects.select_related("dossier").order_by("-created_at", "-id")
    if status in Notification.Status.values:
        rows = rows.filter(status=status)
    sandboxes = []
    for channel in ("sms", "zalo"):
        notifier = notifier_for(channel)
        if isinstance(notifier, FileOutboxNotifier):
            sandboxes.append({"channel": channel, "messages": notifier.read(limit=50)})
    return render(
        request,
        "notifications/outbox.html",
        {
            "rows": rows[:200],
            "status": status,
            "statuses": Notification.Status.choices,
            "problems": Notification.objects.filter(
                status__in=[Notification.Status.FAILED, Notification.Status.GAVE_UP]
            ).count(),
            "sandboxes": sandboxes,
        },
    )


@login_required
@require_POST
def retry(request, pk: int):
    _require_outbox_reader(request.user)
    notification = get_object_or_404(Notification, pk=pk)
    if notification.status == Notification.Status.SENT:
        messages.info(request, _("Thông báo này đã được gửi."))
    else:
        notification = retry_now(notification)
        if notification.status == Notification.Status.SENT:
            messages.success(request, _("Đã gửi lại thành công."))
        else:
            messages.error(request, _("Gửi lại chưa được: %(error)s") % {"error": notification.last_error})
    return redirect("notifications:outbox")
