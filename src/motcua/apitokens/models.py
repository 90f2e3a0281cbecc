"""API tokens: only a SHA-256 digest is stored; the token itself is shown once, when issued."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.refcache import ReferenceCache, copied

PREFIX_LENGTH = 8
# digest -> [token pk, last used, user]: read once until tokens or users change, not on every call
# (see motcua.refcache).
_by_digest = ReferenceCache("api tokens")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Tài khoản"),
    )
    prefix = models.CharField(_("Tiền tố"), max_length=PREFIX_LENGTH, db_index=True)
    key_digest = models.CharField(_("Mã băm"), max_length=64, unique=True)
    label = models.CharField(_("Mục đích sử dụng"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Ngày cấp"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Lần dùng cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Ngày thu hồi"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Mã truy cập API")
        verbose_name_plural = _("Mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, label: str = "") -> tuple["ApiToken", str]:
        """Create a token for `user`; return the row and the token text (shown once, never stored)."""
        token = secrets.token_urlsafe(32)
        while token.startswith("-"):  # its prefix is typed on command lines (`revoke_token`): not an option
            token = secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user, prefix=token[:PREFIX_LENGTH], key_digest=digest(token), label=label
        )
        return row, token

    @classmethod
    def authenticate(cls, token: str):
        """The active user of a valid, unrevoked token, or None."""
        if not token:
            return None
        key = digest(token)

        def load():
            row = cls.objects.active().select_related("user").filter(key_digest=key).order_by().first()
            return None if row is None else [row.pk, row.last_used_at, row.user]

        found = _by_digest.get(key, load)
        if found is None:
            return None
        pk, last_used_at, user = found
        now = timezone.now()
        if last_used_at is None or (now - last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=pk).update(last_used_at=now)
            found[1] = now
        return copied(user)  # each request gets its own user object

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
