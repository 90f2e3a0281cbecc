from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.access_list, name="access_list"),
]
