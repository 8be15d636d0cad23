from django.urls import path

from tuanhang.public import views as public_views

app_name = "public"

urlpatterns = [
    path("fairs/<slug:slug>/", public_views.fair, name="fair"),
]
