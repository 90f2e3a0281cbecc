from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/thong-bao/<slug:gateway>/", views.gateway_callback, name="callback"),
    path("thanh-toan/ket-qua/<str:reference>/", views.payment_result, name="result"),
    path("bien-lai/<str:code>/", views.verify_receipt, name="verify"),
    path("thu-phi/bien-lai/<int:pk>/in/", views.receipt_print, name="receipt_print"),
]
