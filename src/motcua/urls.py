from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("motcua — Quản trị hệ thống")
admin.site.site_title = _("Quản trị motcua")
admin.site.index_title = _("Quản trị hệ thống")


def healthz(request):
    """Liveness check for load balancers and the serving benchmark: a constant answer, no database."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("co-quan/", include("motcua.org.urls")),
    path("nhat-ky-thay-doi/", include("motcua.backoffice.audit_urls")),
    path("nhat-ky-xem-du-lieu-ca-nhan/", include("motcua.privacy.urls")),
    path("lich-lam-viec/", include("motcua.workdays.urls")),
    path("api/v1/", include("motcua.api.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.citizens.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.portal.urls")),
    path("hop-thu-di/", include("motcua.notifications.urls")),
    path("", include("motcua.feedback.urls")),
    path("theo-doi/", include("motcua.monitoring.urls")),
    path("thong-ke/", include("motcua.reports.urls")),
    path("xep-hang/", include("motcua.tickets.urls")),
    path("cong-dvcqg/", include("motcua.national_portal.urls")),
    path("", include("motcua.backoffice.urls")),
    path("", include("motcua.payments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
