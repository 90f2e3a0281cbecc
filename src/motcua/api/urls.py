"""URLs of the public API v1 (mounted at /api/v1/): the API face. Each part writes its router in its own `api.py`
against the error shape of `motcua/api_base.py`; it is mounted here, one line each."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI

from motcua.api_base import error_response, install_error_handlers
from motcua.dossiers.api import router as dossiers_router
from motcua.dossiers.lookup_api import lookup_router as dossier_lookup_router
from motcua.dossiers.lookup_api import lookup_view
from motcua.monitoring.api import router as monitoring_router
from motcua.reports.api import router as reports_router
from motcua.tickets.api import router as queue_router

from .procedures import router as procedures_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description=gettext_lazy(
        "API công khai của hệ thống một cửa điện tử motcua (phiên bản 1). "
        'Lỗi luôn có dạng {"error": {"code", "message", "fields"}}.'
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def not_found_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under the API answers 404 in the common error shape."""
    return error_response(request, 404)


api.add_router("/procedures", procedures_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/lookup", dossier_lookup_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/reports", reports_router)
api.add_router("/queue", queue_router)

urlpatterns = [
    # the busiest public read, answered outside the API framework (motcua/dossiers/lookup_api.py)
    path("lookup", lookup_view, name="lookup"),
    path("", api.urls),
    re_path(r"^.*$", not_found_view),
]
