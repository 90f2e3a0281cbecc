from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("", views.kiosk, name="kiosk"),
    path("man-hinh/", views.display, name="display"),
    path("so/<uuid:public_id>/", views.follow, name="follow"),
    path("so/<uuid:public_id>/in/", views.ticket, name="ticket"),
    path("so/<uuid:public_id>/pdf/", views.ticket_pdf, name="ticket_pdf"),
    path("quay/", views.counter_pick, name="counter"),
    path("quay/<int:pk>/", views.counter_detail, name="counter_detail"),
    path("quay/<int:pk>/thao-tac/", views.counter_act, name="counter_act"),
    path("thong-ke/", views.stats, name="stats"),
]
