from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from events.models import Organiser
from events.permissions import staff_required
from events.policy import can_anywhere, capabilities_at, fair_or_404, organiser_ids_for, sees_several_organisers
from tuanhang.office.reminders.unconfirmed import unconfirmed_grace
from tuanhang.office.selectors import dashboard as selectors

FAIRS_PER_PAGE = 20


@staff_required
def staff_home(request):
    """The fairs the user may see, with their dates, status and counts (applications, businesses,
    provinces, OCOP products, booths); each row names its organiser when the user sees the fairs
    of more than one."""
    user = request.user
    page = Paginator(selectors.events_with_counts(user), FAIRS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "events": selectors.with_ocop_counts(page.object_list),
        "member": can_anywhere(user),
        "several_organisers": sees_several_organisers(user),
        "may_add_fair": can_anywhere(user, "fair.manage"),
        **_organiser_links(user),
    }
    return render(request, "events/staff_home.html", context)


def _organiser_links(user) -> dict:
    """The teams the user manages and the organisers whose bank statements it reconciles (issue 20),
    read in one query; a superuser reaches them from the organisers' admin."""
    if user.is_superuser:
        return {"managed_teams": [], "reconciled": []}
    teams, payments = organiser_ids_for(user, "team.manage"), organiser_ids_for(user, "payment.record")
    organisers = list(Organiser.objects.filter(pk__in=teams | payments).order_by("name")) if teams | payments else []
    return {
        "managed_teams": [o for o in organisers if o.pk in teams],
        "reconciled": [o for o in organisers if o.pk in payments],
    }


@staff_required
def event_dashboard(request, slug):
    """One fair at a glance: applications by status, booths, deadlines, fees, and the links and
    admin shortcuts the user's role may follow (404 for a fair it may not see)."""
    event = fair_or_404(request.user, slug, "fair.view", queryset=selectors.dashboard_fairs())
    caps = capabilities_at(request.user, event)
    dashboard = selectors.event_dashboard(event=event)
    reads_applications = "application.view" in caps
    context = {
        "event": event,
        "dashboard": dashboard,
        "caps": caps,
        "status_rows": [
            (
                row,
                _admin_url("vendors_application_changelist", event__id__exact=event.pk, status__exact=row.status)
                if reads_applications
                else None,
            )
            for row in dashboard.applications
        ],
        "admin_links": _admin_links(event, caps),
        "grace_minutes": int(unconfirmed_grace().total_seconds() // 60),
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


def _admin_links(event, caps):
    """The admin shortcuts for this fair that the role may use: the fair and its hall need
    fair.manage, the applications and participants application.view."""
    links = [
        ("fair.manage", _("Edit this fair"), _admin_url("events_event_change", args=[event.pk])),
        (
            "application.view",
            _("Applications"),
            _admin_url("vendors_application_changelist", event__id__exact=event.pk),
        ),
        (
            "application.view",
            _("Participants"),
            _admin_url("vendors_vendor_changelist", applications__event__id__exact=event.pk),
        ),
        ("fair.manage", _("Zones"), _admin_url("events_zone_changelist", event__id__exact=event.pk)),
        ("fair.manage", _("Booths"), _admin_url("booths_booth_changelist", event__id__exact=event.pk)),
        ("fair.manage", _("Booth types"), _admin_url("events_boothtype_changelist", event__id__exact=event.pk)),
        (
            "fair.manage",
            _("Booth assignments"),
            _admin_url("booths_assignment_changelist", booth__event__id__exact=event.pk),
        ),
    ]
    return [(label, url) for capability, label, url in links if url and capability in caps]
