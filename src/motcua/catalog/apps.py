from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = _("Thủ tục hành chính")

    def ready(self):
        from motcua.org.models import Agency
        from motcua.org.reorganisation import register_agency_mover
        from motcua.org.splits import register_split_mover
        from motcua.refcache import clear_on_change

        from .models import (
            Fee,
            Field,
            Procedure,
            ProcedureImplementation,
            ProcessStep,
            ProcessTemplate,
            RequiredDocument,
        )
        from .reorganisation import move_catalog, split_catalog

        register_agency_mover(move_catalog, order=50)
        register_split_mover(split_catalog, order=50)
        # Field and Agency: their names are part of the cached public search pages (motcua.api.procedures).
        clear_on_change(
            Procedure,
            ProcedureImplementation,
            ProcessTemplate,
            ProcessStep,
            RequiredDocument,
            Field,
            Agency,
            Fee,
        )
