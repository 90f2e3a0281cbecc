from django.urls import path

from . import views

app_name = "citizens"

urlpatterns = [
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("dich-vu-cong-truc-tuyen/", views.online_catalog, name="online_catalog"),
    path("dich-vu-cong-truc-tuyen/<str:code>/nop/", views.start, name="start"),
    path("cong-dan/dang-ky/", views.register, name="register"),
    path("cong-dan/dang-nhap/", views.CitizenLoginView.as_view(), name="login"),
    path("cong-dan/dang-nhap/ngoai/<slug:name>/", views.external_login, name="external_login"),
    path("cong-dan/dang-nhap/ngoai/<slug:name>/ve/", views.external_callback, name="external_callback"),
    path("cong-dan/dang-nhap/dong-y/", views.external_consent, name="external_consent"),
    path("cong-dan/", views.home, name="home"),
    path("cong-dan/du-lieu-ca-nhan/", views.my_data, name="my_data"),
    path("cong-dan/du-lieu-ca-nhan/tai-ve/", views.my_data_download, name="my_data_download"),
    path("cong-dan/du-lieu-ca-nhan/xoa-tai-khoan/", views.close_account, name="close_account"),
    path("cong-dan/thong-tin-ca-nhan/", views.profile, name="profile"),
    path("cong-dan/ho-so/<int:pk>/nhap/", views.draft, name="draft"),
    path("cong-dan/ho-so/<int:pk>/da-nop/", views.submitted, name="submitted"),
    path("cong-dan/ho-so/<int:pk>/", views.dossier, name="dossier"),
    path("cong-dan/ho-so-cua-toi/<str:code>/", views.own_dossier, name="own_dossier"),
    path("cong-dan/ho-so-cua-toi/<str:code>/giay-tiep-nhan/", views.own_receipt, name="own_receipt"),
    path("cong-dan/ho-so/<int:pk>/bo-sung/", views.supplement, name="supplement"),
    path("cong-dan/ho-so/<int:pk>/tep/<int:file_pk>/", views.own_file, name="own_file"),
    path("cong-dan/ho-so/<int:pk>/ket-qua/", views.result, name="result"),
    path("cong-dan/ho-so/<int:pk>/giay-tiep-nhan/", views.receipt, name="receipt"),
    path("cong-dan/ho-so/<int:pk>/danh-gia/", views.evaluate, name="evaluate"),
    path("mot-cua/truc-tuyen/", views.reception_inbox, name="reception_inbox"),
    path("mot-cua/truc-tuyen/<int:pk>/", views.reception_detail, name="reception_detail"),
    path("mot-cua/truc-tuyen/<int:pk>/tep/<int:file_pk>/", views.staff_file, name="staff_file"),
    path("mot-cua/truc-tuyen/<int:pk>/<slug:action>/", views.reception_action, name="reception_action"),
    path("mot-cua/tai-khoan-cong-dan/", views.walk_in_account, name="walk_in"),
    path("mot-cua/tai-khoan-cong-dan/thong-ke/", views.registration_report, name="registration_report"),
]
