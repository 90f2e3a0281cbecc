from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "motcua.privacy"
    verbose_name = _("Bảo vệ dữ liệu cá nhân")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import retention
        from .menu import register_menu

        register_menu()
        retention.register(retention.ACCESS_LOG)
