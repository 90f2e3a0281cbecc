from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("thu-tuc/", views.procedure_search, name="procedure_search"),
    path("thu-tuc/co-quan/", views.agency_list, name="agency_list"),
    path("thu-tuc/co-quan/<str:agency>/", views.agency_procedures, name="agency_procedures"),
    path("thu-tuc/linh-vuc/", views.field_list, name="field_list"),
    path("thu-tuc/linh-vuc/<slug:field>/", views.field_procedures, name="field_procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
]
