from django.urls import path

from . import counter_views, ereceipt_views, views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/thong-bao/<slug:gateway>/", views.gateway_callback, name="callback"),
    path("thanh-toan/", views.pay_dossier, name="pay_dossier"),
    path("thanh-toan/ket-qua/<str:reference>/", views.payment_result, name="result"),
    path("bien-lai/<str:code>/", views.verify_receipt, name="verify"),
    path("thu-phi/bien-lai/<int:pk>/in/", views.receipt_print, name="receipt_print"),
    path("thu-phi/bien-lai/<int:pk>/xml/", ereceipt_views.receipt_xml, name="receipt_xml"),
    path("thu-phi/", counter_views.counter, name="counter"),
    path("thu-phi/ho-so/<str:code>/", counter_views.dossier_fees, name="dossier_fees"),
    path("thu-phi/bien-lai/<int:pk>/", counter_views.receipt_detail, name="receipt"),
    path("thu-phi/bao-cao/", counter_views.report, name="report"),
    path("thu-phi/quyen-bien-lai/", counter_views.books, name="books"),
]
