"""The root URLconf: the wiring on top of the house. It includes each part's pages under the
namespaces their names have always had (a test holds every name to its address):

- "vendors": the businesses' accounts and profiles (vendors/urls.py), their applications and
  dashboard and the exhibitor directory (public site), the review and check-in pages (office);
- "booths": the hall plan, booth map, self-selection and allocation pages (booths/urls.py);
- "events" (the office's dashboard and printing), "reminders", "reports": the staff office;
- "public": the fair page; and the home page, sitemap, robots.txt and favicon.ico of the public site.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path

from tuanhang.kernel.health import healthz
from tuanhang.office.checkin import views as checkin
from tuanhang.office.review import receipts as review_receipts
from tuanhang.office.review import views as review
from tuanhang.public import views as public_views
from tuanhang.public.applying import autosave
from tuanhang.public.applying import receipts as applying_receipts
from tuanhang.public.applying import views as applying
from tuanhang.public.directory import views as directory
from vendors import urls as vendor_urls

VENDOR_PAGES = [
    *vendor_urls.urlpatterns,
    *applying.urlpatterns,
    *autosave.urlpatterns,
    *applying_receipts.urlpatterns,
    *review.urlpatterns,
    *review_receipts.urlpatterns,
    *directory.urlpatterns,
    *checkin.urlpatterns,
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", public_views.sitemap, name="sitemap"),
    path("robots.txt", public_views.robots_txt, name="robots_txt"),
    path("favicon.ico", public_views.favicon, name="favicon"),
    # Answered by tuanhang.kernel.health.HealthCheckMiddleware; named here so that it can be reversed.
    path("healthz", healthz, name="healthz"),
    # Bank-feed webhooks (issue 20): no language prefix, the services post to one fixed address.
    path("", include(("tuanhang.office.statements.hooks", "statements"))),
]


def moved_admin_page(request, model, rest):
    """The admin pages of the models issue 15 moved from booths to events: the same page under the
    model's new app, with the language prefix and the query kept."""
    return HttpResponsePermanentRedirect(
        request.get_full_path().replace(f"/admin/booths/{model}/", f"/admin/events/{model}/", 1)
    )


urlpatterns += i18n_patterns(
    re_path(r"^admin/booths/(?P<model>zone|boothtype)/(?P<rest>.*)$", moved_admin_page),
    path("admin/", admin.site.urls),
    path("staff/", include("tuanhang.office.urls")),
    path("staff/registry/", include("tuanhang.office.registry.views")),
    path("", include("tuanhang.public.urls")),
    path("", include("tuanhang.office.reminders.urls")),
    path("", include("tuanhang.office.reports.urls")),
    path("", include("tuanhang.office.team.urls")),
    path("", include("tuanhang.office.statements.urls")),
    path("", include((VENDOR_PAGES, "vendors"))),
    path("", include("booths.urls")),
    path("", public_views.home, name="home"),
    prefix_default_language=False,
)
