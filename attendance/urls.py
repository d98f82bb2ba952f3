from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.punch, name="punch"),
    path("requests/", views.requests, name="requests"),
]
