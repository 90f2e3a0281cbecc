"""The audit trail page (mounted at /nhat-ky-thay-doi/, names `audit:…`)."""

from django.urls import path

from . import audit_log as views

app_name = "audit"
urlpatterns = [path("", views.entry_list, name="entry_list")]
