from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/thong-bao/<slug:gateway>/", views.gateway_callback, name="callback"),
    path("thanh-toan/ket-qua/<str:reference>/", views.payment_result, name="result"),
]
