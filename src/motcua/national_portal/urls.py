from django.urls import path

from . import views

app_name = "national_portal"

urlpatterns = [
    path("", views.outbox_page, name="outbox"),
    path("gui-lai/<int:pk>/", views.resend, name="resend"),
    path("tep/<str:token>/", views.download, name="file"),
    path("danh-muc-thu-tuc/", views.catalog_pulls, name="catalog"),
    path("danh-muc-thu-tuc/<int:pk>/", views.catalog_pull_detail, name="catalog_pull"),
    path("nhan-ho-so/", views.inbound_dossier, name="inbound_dossier"),
    path("tra-cuu-thanh-toan/", views.payment_lookup, name="payment_lookup"),
]
