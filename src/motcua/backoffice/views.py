from django.shortcuts import render


def home(request):
    """The landing page: the public face for visitors, each role's own work for staff."""
    return render(request, "backoffice/home.html")
