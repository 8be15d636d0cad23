from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("fairs/<slug:slug>/", public_views.fair, name="fair"),
]
