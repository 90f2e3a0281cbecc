"""URLs of the public API v1 (mounted at /api/v1/). Each part adds its router here, one line each."""

from django.urls import path, re_path

from .base import api, not_found_view
from .procedures import router as procedures_router

api.add_router("/procedures", procedures_router)

urlpatterns = [
    path("", api.urls),
    re_path(r"^.*$", not_found_view),
]
