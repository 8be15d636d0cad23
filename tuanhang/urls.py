from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("staff/", include("events.urls")),
    path("", include("vendors.urls")),
    path("", include("booths.urls")),
    path("", RedirectView.as_view(pattern_name="vendors:fair_list", permanent=False), name="home"),
    prefix_default_language=False,
)
