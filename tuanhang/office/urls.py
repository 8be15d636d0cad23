from django.urls import path

from tuanhang.office.views import dashboard as views
from tuanhang.office.views import printing as generated_views

app_name = "events"

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("fairs/<slug:slug>/", views.event_dashboard, name="dashboard"),
    *generated_views.urlpatterns,  # printing and exports (issue 5)
]
