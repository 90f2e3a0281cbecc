from django.urls import path

from . import views

app_name = "national_portal"

urlpatterns = [
    path("", views.outbox_page, name="outbox"),
    path("gui-lai/<int:pk>/", views.resend, name="resend"),
    path("tep/<str:token>/", views.download, name="file"),
    path("dang-nhap/", views.portal_login, name="login"),
    path("dang-nhap/xac-thuc/", views.portal_login_callback, name="login_callback"),
]
