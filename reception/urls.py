from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("new/<slug:kind>/", views.submission_new, name="new"),
    path("<int:pk>/", views.submission_detail, name="detail"),
    path("postal-code/", views.postal_code_lookup, name="postal_code"),
]
