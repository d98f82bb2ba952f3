from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("", views.punch, name="punch"),
    path("month/", views.month, name="month"),
    path("month/<int:year>/<int:month>/", views.month, name="month_of"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
]
