"""In-app notifications (Thông báo): what a staff member sees of the reminders sent to them."""

from django.utils import timezone

from .models import Notification


def for_user(user):
    return (
        Notification.objects.filter(recipient=user).select_related("dossier").order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_id: str = "") -> int:
    """Mark one notification (or, without an id, all of them) read; only the user's own."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id:
        if not str(notification_id).isdigit():
            return 0
        qs = qs.filter(pk=int(notification_id))
    return qs.update(read_at=timezone.now())
