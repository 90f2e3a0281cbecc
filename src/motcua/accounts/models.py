from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.audit.registry import audited


@audited(exclude=("last_login",), mask=("password",))
class User(AbstractUser):
    """A person who logs in: a staff member of the center or of an agency, or a citizen on the portal."""

    full_name = models.CharField(_("Họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("Tài khoản")
        verbose_name_plural = _("Tài khoản")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.get_full_name()
