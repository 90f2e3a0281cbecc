from django.urls import path

from . import batch_print, views

app_name = "dossiers"
urlpatterns = [
    path("ho-so/", views.inbox, name="inbox"),
    path("ho-so/tiep-nhan/", views.intake, name="intake"),
    path("ho-so/huong-dan/<int:pk>/in/", views.guidance_print, name="guidance_print"),
    path("ho-so/chuyen-nhieu/", views.batch_advance, name="batch_advance"),
    path("ho-so/in-hang-loat/", batch_print.batch_print, name="batch_print"),
    path("ho-so/<str:code>/", views.detail, name="detail"),
    path("ho-so/<str:code>/thao-tac/", views.act, name="act"),
    path("ho-so/<str:code>/in/<str:form>/", views.print_form, name="print"),
]
