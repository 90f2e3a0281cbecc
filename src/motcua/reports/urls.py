from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.resolution, name="resolution"),
    path("bieu-06.xlsx", views.resolution_export, {"kind": "xlsx"}, name="resolution_xlsx"),
    path("bieu-06.csv", views.resolution_export, {"kind": "csv"}, name="resolution_csv"),
    path("bieu-06.pdf", views.resolution_export, {"kind": "pdf"}, name="resolution_pdf"),
    path("chi-tieu/", views.indicators, name="indicators"),
    path("chi-tieu.xlsx", views.indicators_export, name="indicators_xlsx"),
    path("cong-khai/", views.public_statistics, name="public"),
]
