from django.urls import path

from . import views

app_name = "payslips"
urlpatterns = [
    path("", views.payslip_list, name="list"),
    path("<int:pk>/", views.payslip_detail, name="detail"),
    path("<int:pk>/print/", views.payslip_print, name="print"),
    path("import/", views.payslip_import, name="import"),
    path("import/sample.csv", views.payslip_import_sample, name="import_sample"),
]
