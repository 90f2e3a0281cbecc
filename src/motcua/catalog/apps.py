from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        from motcua.refcache import clear_on_change

        from .models import Procedure, ProcedureImplementation, ProcessStep, ProcessTemplate, RequiredDocument

        clear_on_change(Procedure, ProcedureImplementation, ProcessTemplate, ProcessStep, RequiredDocument)
