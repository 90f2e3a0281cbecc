from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("giay-to/<int:pk>/tai-ve/", views.download, name="download"),
    path("ho-so/<str:code>/so-hoa/", views.dossier_documents, name="dossier"),
    path("ho-so/<str:code>/so-hoa/bo-sung/", views.supplement, name="supplement"),
    path("ho-so/<str:code>/so-hoa/bien-nhan-ky-so/", views.signed_receipt, name="signed_receipt"),
    path("cong-dan/kho-du-lieu/", views.my_store, name="my_store"),
    path("kiem-tra-ket-qua/", views.verify, name="verify"),
]
