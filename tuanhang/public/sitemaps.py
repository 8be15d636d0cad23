"""sitemap.xml (django.contrib.sitemaps): the public site in both languages, each address with
its alternates. One query per section whatever the number of fairs or exhibitors."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from booths.selectors.map import PUBLIC_MAP_STATUSES
from events.models import Event
from vendors.models import Application


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class HomeSitemap(_Bilingual):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


class FairSitemap(_Bilingual):
    """Each public fair's page and its directory of exhibitors."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        slugs = Event.objects.filter(status__in=PUBLIC_MAP_STATUSES).order_by("opens_at", "pk")
        return [
            (name, slug)
            for slug in slugs.values_list("slug", flat=True)
            for name in ("public:fair", "vendors:exhibitors")
        ]

    def location(self, item):
        name, slug = item
        return reverse(name, kwargs={"slug": slug})


class ExhibitorSitemap(_Bilingual):
    """Each approved participant's page at each public fair (the booth signs' QR codes)."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return list(
            Application.objects.filter(status=Application.Status.APPROVED, event__status__in=PUBLIC_MAP_STATUSES)
            .order_by("event__opens_at", "event_id", "vendor_id")
            .values_list("event__slug", "vendor_id")
        )

    def location(self, item):
        slug, vendor_id = item
        return reverse("vendors:exhibitor", args=[slug, vendor_id])


SITEMAPS = {"home": HomeSitemap, "fairs": FairSitemap, "exhibitors": ExhibitorSitemap}
