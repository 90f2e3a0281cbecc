"""The personal-data processing notice (Decree 13/2023/NĐ-CP Art. 13) shown where citizens give data, and the
consent they give to it (Art. 11). The text is `privacy/notice.html`; change NOTICE_VERSION when it changes, so
each consent row says which text the citizen agreed to."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Consent

NOTICE_VERSION = "2026-12"
Purpose = Consent.Purpose


def consent_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_(
            "Tôi đã đọc Thông báo xử lý dữ liệu cá nhân ở trên và đồng ý cho Trung tâm xử lý dữ liệu cá nhân "
            "của tôi theo các mục đích đã nêu."
        ),
        required=True,
        error_messages={"required": _("Vui lòng đọc thông báo và đánh dấu đồng ý xử lý dữ liệu cá nhân.")},
    )


def require(consent: bool) -> None:
    """Raise (Vietnamese, keyed "consent") unless the citizen ticked the consent box."""
    if not consent:
        raise ValidationError(
            {"consent": [gettext("Vui lòng đọc thông báo và đánh dấu đồng ý xử lý dữ liệu cá nhân.")]}
        )


def record(purpose: str, *, user=None, applicant=None, reference: str = "") -> Consent:
    return Consent.objects.create(
        purpose=purpose,
        notice_version=NOTICE_VERSION,
        user=user if getattr(user, "pk", None) else None,
        applicant=applicant,
        reference=reference[:60],
    )


# The consents under which a citizen account is used (given at registration or at the first external login).
ACCOUNT_PURPOSES = (Purpose.REGISTRATION, Purpose.EXTERNAL_LOGIN)


def has_account_consent(user) -> bool:
    """Has this account's citizen agreed (and not withdrawn) to the processing of their data for the account?"""
    return Consent.objects.filter(user=user, purpose__in=ACCOUNT_PURPOSES, withdrawn_at__isnull=True).exists()


def withdraw(user) -> int:
    """The citizen withdraws every consent given through this account; the rows stay, marked withdrawn."""
    return Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
