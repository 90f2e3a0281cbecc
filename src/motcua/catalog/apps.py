from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        from motcua.org.models import Agency
        from motcua.refcache import clear_on_change

        from .models import (
            Field,
            Procedure,
            ProcedureImplementation,
            ProcessStep,
            ProcessTemplate,
            RequiredDocument,
        )

        # Field and Agency: their names are part of the cached public search pages (motcua.api.procedures).
        clear_on_change(
            Procedure, ProcedureImplementation, ProcessTemplate, ProcessStep, RequiredDocument, Field, Agency
        )
