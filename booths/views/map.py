"""The booth map: the organiser's (every detail), a business's (its own booths highlighted) and
the public one for announced fairs (names only), plus the plan as a stand-alone SVG file.

Each page runs a fixed number of queries whatever the number of booths (see selectors.map)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Event
from events.permissions import staff_required
from events.policy import fair_or_404
from tuanhang.kernel import page_cache
from tuanhang.kernel.page_cache import public_page
from vendors.permissions import vendor_required

from ..selectors import map as selectors
from ..svg import COLOUR_ZONE, booth_map_svg, legend_entries


def _colour(request) -> str:
    return request.GET.get("colour", COLOUR_ZONE)


@staff_required
def map_staff(request, slug):
    """The organiser's map: who holds each booth, contact, held or confirmed, how it was assigned.
    For staff who may see the fair (fair.view); another organiser's fair answers 404."""
    event = fair_or_404(request.user, slug, "fair.view", queryset=Event.objects.select_related("organiser", "province"))
    booth_map = selectors.booth_map_for_page(
        event=event, audience=selectors.STAFF, colour=_colour(request), focus_codes=_focus(request)
    )
    context = {"event": event, "map": booth_map, "public_map": event.status in selectors.PUBLIC_MAP_STATUSES}
    return render(request, "booths/map/staff.html", context)


@vendor_required
def map_vendor(request, slug):
    """A business's view of the map of a fair it applied to: its own booths highlighted, others by name."""
    event = selectors.event_for_map(slug=slug)
    applications = selectors.vendor_application_ids(vendor=request.vendor, event=event)
    if not applications:
        raise Http404(_("Your business has not applied to this fair."))
    booth_map = selectors.booth_map_for_page(
        event=event,
        audience=selectors.VENDOR,
        colour=_colour(request),
        own_application_ids=applications,
        focus_codes=_focus(request),
    )
    return render(request, "booths/map/vendor.html", {"event": event, "map": booth_map})


def _focus(request) -> list[str]:
    """Booth codes looked for: ?booth=A01 (several: ?booth=A01&booth=A02 or ?booth=A01,A02)."""
    codes = [code.strip() for value in request.GET.getlist("booth") for code in value.split(",")]
    return [code for code in codes if code][:20]


@public_page(params=("colour", "booth"))
def map_public(request, slug):
    """The public map of an announced fair: booths and the names of the businesses, nothing else.
    ?booth=CODE outlines the booths looked for and shows them when the page opens (a business's
    public page links here)."""
    event = selectors.event_for_map(slug=slug, public=True)
    page_cache.fair_version(request, event.pk)
    booth_map = selectors.booth_map_for_page(
        event=event, audience=selectors.PUBLIC, colour=_colour(request), focus_codes=_focus(request)
    )
    return render(request, "booths/map/public.html", {"event": event, "map": booth_map, "public_page": True})


@public_page(params=("colour",))
def map_svg(request, slug):
    """The public map as an SVG file with its legend, for download or embedding elsewhere."""
    event = selectors.event_for_map(slug=slug, public=True)
    page_cache.fair_version(request, event.pk)
    data = selectors.booth_map_data(event=event)
    colour = _colour(request)
    svg = booth_map_svg(data, colour=colour, legend=legend_entries(data, colour))
    response = HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n{svg}', content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{slugify(event.slug)}-booth-map.svg"'
    # Nothing in the file runs or loads anything; say so to browsers opening it directly.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


urlpatterns = [
    path("staff/fairs/<slug:slug>/map/", map_staff, name="map_staff"),
    path("fairs/<slug:slug>/map/", map_public, name="map_public"),
    path("fairs/<slug:slug>/map.svg", map_svg, name="map_svg"),
    path("fairs/<slug:slug>/map/mine/", map_vendor, name="map_vendor"),
]
