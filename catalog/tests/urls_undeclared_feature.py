"""The project's URLs plus one view without an access declaration (for catalog.E004)."""

from django.http import HttpResponse
from django.urls import path

from netdekomon.urls import urlpatterns as project_urlpatterns


def undeclared(request):
    return HttpResponse("no declaration")


urlpatterns = [*project_urlpatterns, path("undeclared/", undeclared, name="undeclared")]
