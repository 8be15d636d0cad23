from django.urls import path

from . import subsidy_views, views

app_name = "reports"

urlpatterns = [
    path("staff/fairs/<slug:slug>/reports/", views.report_page, name="page"),
    path("staff/fairs/<slug:slug>/reports/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("applications/<int:pk>/sales/", views.sales_form, name="sales"),
    path("staff/subsidies/", subsidy_views.subsidy_programmes, name="subsidies"),
    path(
        "staff/subsidies/<int:pk>/settlement.<str:fmt>",
        subsidy_views.subsidy_settlement,
        name="subsidy_settlement",
    ),
]
