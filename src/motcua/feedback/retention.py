"""The retention rule of the senders of recommendations (see `motcua.privacy.retention`). Registered at
`FeedbackConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from motcua.privacy.retention import Rule, in_batches

from .models import Recommendation

ANONYMOUS = "Ẩn danh"


def _old_recommendations(cutoff):
    return (
        Recommendation.objects.filter(answered_at__lt=cutoff)
        .exclude(sender_name=ANONYMOUS, sender_phone="", sender_email="")
        .order_by("pk")
    )


SENDER_FIELDS = ("sender_name", "sender_phone", "sender_email")


def _anonymise_senders(rows) -> dict:
    found = list(rows.values_list("pk", *SENDER_FIELDS))
    done = {
        pk: {"fields": [f for f, v in zip(SENDER_FIELDS, values, strict=True) if v and v != ANONYMOUS]}
        for pk, *values in found
    }
    in_batches(
        rows.model,
        list(done),
        lambda batch: batch.update(sender_name=ANONYMOUS, sender_phone="", sender_email=""),
    )
    return done


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
