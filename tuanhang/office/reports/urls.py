from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("staff/fairs/<slug:slug>/reports/", views.report_page, name="page"),
    path("staff/fairs/<slug:slug>/reports/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("applications/<int:pk>/sales/", views.sales_form, name="sales"),
]
