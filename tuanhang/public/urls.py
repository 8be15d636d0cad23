from django.urls import path

from tuanhang.public import views as public_views

app_name = "public"

urlpatterns = [
    path("fairs/<slug:slug>/", public_views.fair, name="fair"),
    path(
        "fairs/<slug:slug>/forms/<int:document_type_id>/",
        public_views.document_template,
        name="document_template",
    ),
    path(
        "fairs/<slug:slug>/forms/<int:document_type_id>/blank.pdf",
        public_views.registration_form_blank,
        name="registration_form_blank",
    ),
]
