from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "motcua.audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self):
        from . import registry

        registry.connect_many_to_many()
