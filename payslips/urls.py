from django.urls import path

from . import views

app_name = "payslips"
urlpatterns = [
    path("", views.payslip_list, name="list"),
]
