from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    name = "motcua.national_portal"
    verbose_name = _("Kết nối Cổng Dịch vụ công quốc gia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import motcua.integrations.national_portal  # noqa: F401  (registers the transports)

        from . import checks, receivers  # noqa: F401

        if apps.is_installed("motcua.citizens"):
            from . import login  # noqa: F401  (the portal's login provider)
        from .menu import register_menu

        register_menu()
