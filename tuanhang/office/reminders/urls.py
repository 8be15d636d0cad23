from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("staff/fairs/<slug:slug>/reminders/", views.delivery_log, name="log"),
    path("staff/fairs/<slug:slug>/reminders/<int:pk>/resend/", views.delivery_resend, name="resend"),
    path(
        "staff/fairs/<slug:slug>/reminders/resend-unconfirmed/",
        views.deliveries_resend_flagged,
        name="resend_unconfirmed",
    ),
    path("staff/fairs/<slug:slug>/reminders/defaults/", views.rules_create_defaults, name="defaults"),
]
