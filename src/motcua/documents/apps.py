from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    verbose_name = _("Số hóa hồ sơ, kết quả")

    def ready(self):
        from motcua import menu
        from motcua.dossiers.models import Dossier
        from motcua.dossiers.signals import components_received, intake_offer_providers

        from . import checks, receivers  # noqa: F401
        from .services import offers_for_identity

        components_received.connect(receivers.digitise_received_components, sender=Dossier)
        intake_offer_providers.append(offers_for_identity)
        menu.register(
            key="documents.verify",
            label=_("Kiểm tra kết quả điện tử"),
            url_name="documents:verify",
            group=_("Số hóa"),
            order=90,
            description=_("Kiểm tra chữ ký số và tính toàn vẹn của một tệp kết quả."),
        )
