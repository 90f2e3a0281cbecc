from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("<int:pk>/", views.agency_detail, name="agency_detail"),
    path("<int:pk>/sua/", views.agency_edit, name="agency_edit"),
]
