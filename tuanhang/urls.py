from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path

from tuanhang.public import views as public_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", public_views.sitemap, name="sitemap"),
    path("robots.txt", public_views.robots_txt, name="robots_txt"),
]


# Admin pages of the models issue 15 moved from booths to events: old bookmarks and links still work.
def moved_admin_page(request, model, rest):
    """The same admin page under the model's new app, with the language prefix and the query kept."""
    return HttpResponsePermanentRedirect(
        request.get_full_path().replace(f"/admin/booths/{model}/", f"/admin/events/{model}/", 1)
    )


MOVED_ADMIN_PAGES = [re_path(r"^admin/booths/(?P<model>zone|boothtype)/(?P<rest>.*)$", moved_admin_page)]

urlpatterns += i18n_patterns(
    *MOVED_ADMIN_PAGES,
    path("admin/", admin.site.urls),
    path("staff/", include("tuanhang.office.urls")),
    path("", include("tuanhang.public.urls")),
    path("", include("tuanhang.office.reminders.urls")),
    path("", include("tuanhang.office.reports.urls")),
    path("", include("vendors.urls")),
    path("", include("booths.urls")),
    path("", public_views.home, name="home"),
    prefix_default_language=False,
)
