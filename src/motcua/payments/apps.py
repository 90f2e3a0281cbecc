from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Phí, lệ phí và biên lai")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the fee lines' hook on payment confirmation (a waiting dossier resumes).
        from . import checks, fees, transmission  # noqa: F401
        from .menu import register_menu

        register_menu()
