from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Phí, lệ phí và biên lai")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the fee lines' hook on payment confirmation (a waiting dossier resumes).
        from motcua.org.reorganisation import register_agency_mover
        from motcua.org.splits import register_split_mover

        from . import checks, fees, transmission  # noqa: F401
        from .menu import register_menu
        from .reorganisation import move_receipt_books, split_receipt_books

        register_menu()
        register_agency_mover(move_receipt_books, order=60)
        register_split_mover(split_receipt_books, order=60)
