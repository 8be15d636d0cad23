from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from events import public_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", public_views.sitemap, name="sitemap"),
    path("robots.txt", public_views.robots_txt, name="robots_txt"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("staff/", include("events.urls")),
    path("", include("events.public_urls")),
    path("", include("events.reminders.urls")),
    path("", include("events.reports.urls")),
    path("", include("vendors.urls")),
    path("", include("booths.urls")),
    path("", public_views.home, name="home"),
    prefix_default_language=False,
)
