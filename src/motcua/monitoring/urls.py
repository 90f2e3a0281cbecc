from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.dossier_list, name="list"),
    path("cua-toi/", views.my_work, name="my_work"),
    path("ho-so/<str:code>/don-doc/", views.urge, name="urge"),
    path("ho-so/<str:code>/lich-su-don-doc/", views.reminder_history, name="history"),
    path("kien-nghi/", views.recommendation_list, name="recommendations"),
    path("thong-bao/", views.notifications, name="notifications"),
]
