"""The retention rule of the senders of recommendations (see `motcua.privacy.retention`). Registered at
`FeedbackConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from motcua.privacy.retention import Rule

from .models import Recommendation

ANONYMOUS = "Ẩn danh"


def _old_recommendations(cutoff):
    return (
        Recommendation.objects.filter(answered_at__lt=cutoff)
        .exclude(sender_name=ANONYMOUS, sender_phone="", sender_email="")
        .order_by("pk")
    )


def _anonymise_senders(rows) -> int:
    return rows.update(sender_name=ANONYMOUS, sender_phone="", sender_email="")


RECOMMENDATION_CONTACTS = Rule(
    "recommendation_contacts",
    _("Thông tin người gửi kiến nghị đã được trả lời"),
    3 * 365,
    "anonymise",
    _old_recommendations,
    _anonymise_senders,
    lambda r: f"#{r.pk} {r.sender_name}",
    order=30,
)
