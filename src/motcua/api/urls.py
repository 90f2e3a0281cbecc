"""URLs of the public API v1 (mounted at /api/v1/). Each part adds its router here, one line each."""

from django.urls import path, re_path

from motcua.dossiers.api import lookup_router as dossier_lookup_router
from motcua.dossiers.api import router as dossiers_router
from motcua.monitoring.api import router as monitoring_router
from motcua.reports.api import router as reports_router
from motcua.tickets.api import router as queue_router

from .base import api, not_found_view
from .procedures import router as procedures_router

api.add_router("/procedures", procedures_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/lookup", dossier_lookup_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/reports", reports_router)
api.add_router("/queue", queue_router)

urlpatterns = [
    path("", api.urls),
    re_path(r"^.*$", not_found_view),
]
