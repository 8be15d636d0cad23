from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from events.models import Event
from events.permissions import staff_required
from tuanhang.office.selectors import dashboard as selectors

FAIRS_PER_PAGE = 20


@staff_required
def staff_home(request):
    """Every fair with its dates, status and counts of applications and booths."""
    page = Paginator(selectors.events_with_counts(), FAIRS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "events": page.object_list,
    }
    return render(request, "events/staff_home.html", context)


@staff_required
def event_dashboard(request, slug):
    """One fair at a glance: applications by status, booths, deadlines, fees, admin shortcuts."""
    try:
        event = selectors.event_for_dashboard(slug)
    except Event.DoesNotExist:
        raise Http404(_("No fair with this address.")) from None
    dashboard = selectors.event_dashboard(event=event)
    context = {
        "event": event,
        "dashboard": dashboard,
        "status_rows": [
            (row, _admin_url("vendors_application_changelist", event__id__exact=event.pk, status__exact=row.status))
            for row in dashboard.applications
        ],
        "admin_links": _admin_links(event),
    }
    return render(request, "events/dashboard.html", context)


def _admin_url(name, *, args=None, **filters):
    """The admin page `name` with list filters in its query string; None when that admin page
    is not registered, so the dashboard never links to a page that does not exist."""
    try:
        url = reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(filters)}" if filters else url


def _admin_links(event):
    links = [
        (_("Edit this fair"), _admin_url("events_event_change", args=[event.pk])),
        (_("Applications"), _admin_url("vendors_application_changelist", event__id__exact=event.pk)),
        (_("Participants"), _admin_url("vendors_vendor_changelist", applications__event__id__exact=event.pk)),
        (_("Zones"), _admin_url("events_zone_changelist", event__id__exact=event.pk)),
        (_("Booths"), _admin_url("booths_booth_changelist", event__id__exact=event.pk)),
        (_("Booth types"), _admin_url("events_boothtype_changelist", event__id__exact=event.pk)),
        (_("Booth assignments"), _admin_url("booths_assignment_changelist", booth__event__id__exact=event.pk)),
    ]
    return [(label, url) for label, url in links if url]
