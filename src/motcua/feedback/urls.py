from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("danh-gia/kiosk/", views.kiosk, name="kiosk"),
    path("danh-gia/lien-ket/<str:token>/", views.evaluate_link, name="evaluate_link"),
    path("danh-gia/thong-ke/", views.evaluation_report, name="report"),
    path("kien-nghi/", views.recommendation_public_list, name="recommendations_public"),
    path("kien-nghi/gui/", views.recommendation_send, name="recommendation_send"),
    path("kien-nghi/xu-ly/", views.recommendation_inbox, name="recommendation_inbox"),
    path("kien-nghi/xu-ly/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("kien-nghi/xu-ly/<int:pk>/giao/", views.recommendation_assign, name="recommendation_assign"),
    path("kien-nghi/xu-ly/<int:pk>/tra-loi/", views.recommendation_answer, name="recommendation_answer"),
]
