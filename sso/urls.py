from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("find/", views.find, name="find"),
    path("<slug:code>/login/", views.start, name="start"),
    path("<slug:code>/acs/", views.acs, name="acs"),
    path("<slug:code>/metadata/", views.metadata, name="metadata"),
]
