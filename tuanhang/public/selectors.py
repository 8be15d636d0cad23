"""Reads of the public site: the fairs on the home page and one fair's page.

Fixed query counts whatever the number of fairs, exhibitors, booths or programme items."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from booths.models import Booth
from booths.selectors.map import PUBLIC_MAP_STATUSES, extent_annotations, plan_extent
from booths.svg import Extent, view_box
from events.generated.header import fairs_for_print
from events.models import BoothType, DocumentType, Event, FairDocumentRule, ProgrammeItem, Zone
from tuanhang.kernel.db import SubqueryCount
from vendors.models import Application
from vendors.services.documents import event_document_list, fair_asks_for

E = Event.Status
# Fairs whose directory, business pages and map anyone may see: announced and not yet over.
DIRECTORY_STATUSES = PUBLIC_MAP_STATUSES


def _registration_open_q(now) -> Q:
    return Q(status=E.REGISTRATION_OPEN, registration_opens_at__lte=now, registration_closes_at__gt=now)


def _with_is_open(queryset, now):
    return queryset.annotate(is_open=ExpressionWrapper(_registration_open_q(now), output_field=BooleanField()))


@dataclass(frozen=True)
class HomeFairs:
    current: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)

    @property
    def all(self) -> list:
        return [*self.current, *self.upcoming]


def home_fairs(*, now=None) -> HomeFairs:
    """Announced fairs not yet over: those open to visitors now and those to come, each soonest
    first, with organiser, province and `is_open` (applications accepted now). One query."""
    now = now or timezone.now()
    events = (
        _with_is_open(Event.objects.filter(status__in=DIRECTORY_STATUSES, closes_at__gt=now), now)
        .select_related("organiser", "province")
        .order_by("opens_at", "pk")
    )
    fairs = HomeFairs()
    for event in events:
        (fairs.current if event.opens_at <= now else fairs.upcoming).append(event)
    return fairs


def next_change(events, *, now=None):
    """The next moment one of these fairs' pages changes by itself (registration opens or
    closes, the fair opens or closes), or None."""
    now = now or timezone.now()
    moments = [
        moment
        for event in events
        for moment in (event.registration_opens_at, event.registration_closes_at, event.opens_at, event.closes_at)
        if moment and moment > now
    ]
    return min(moments, default=None)


def fair_for_page(*, slug, vendor=None, now=None) -> Event:
    """A fair that is not a draft, with organiser, province, `is_open` and, for a business, its
    application (my_application_id, my_application_status, my_application_label); 404
    otherwise. One query: the lists come with fair_page() once the caller noted the fair."""
    now = now or timezone.now()
    queryset = _with_is_open(Event.objects.exclude(status=E.DRAFT).select_related("organiser", "province"), now)
    if vendor is not None:
        mine = Application.objects.filter(event=OuterRef("pk"), vendor=vendor)
        queryset = queryset.annotate(
            my_application_id=mine.values("pk")[:1], my_application_status=mine.values("status")[:1]
        )
    event = queryset.filter(slug=slug).first()
    if event is None:
        raise Http404(_("No fair with this address."))
    status = getattr(event, "my_application_status", None)
    event.my_application_label = Application.Status(status).label if status else ""
    return event


def document_template_or_404(*, slug, document_type_id) -> DocumentType:
    """The document type, with a template, that a public (not draft) fair asks for; 404 otherwise."""
    event = Event.objects.exclude(status=E.DRAFT).filter(slug=slug).first()
    if event is None or not fair_asks_for(event, document_type_id):
        raise Http404(_("No such form."))
    document_type = DocumentType.objects.exclude(template="").filter(pk=document_type_id).first()
    if document_type is None:
        raise Http404(_("No such form."))
    return document_type


def fair_for_registration_form(*, slug) -> Event:
    """A public (not draft) fair with its organiser and provinces, for the registration form; 404 otherwise."""
    event = fairs_for_print().exclude(status=E.DRAFT).filter(slug=slug).first()
    if event is None:
        raise Http404(_("No such form."))
    return event


@dataclass(frozen=True)
class ProgrammeDay:
    day: dt.date
    items: list


@dataclass(frozen=True)
class FairPage:
    event: Event
    programme: list  # of ProgrammeDay
    exhibitor_count: int
    booth_count: int
    plan_extent: Extent | None = None  # the hall and every booth and feature on it (booths.svg.Extent)

    @property
    def documents(self) -> list[tuple]:
        """(document type, conditions in words, one-of group, note) for each document the fair asks for."""
        return event_document_list(self.event)

    @property
    def public_directory(self) -> bool:
        """The directory, the business pages and the map are public."""
        return self.event.status in DIRECTORY_STATUSES

    @property
    def map_size(self) -> tuple[int, int]:
        """Pixel size of the plan's picture (booths:map_svg: the hall and every booth, its legend by
        zone under them): 960 wide, in the picture's proportions."""
        legend_rows = len(self.event.zones.all()) + 2  # the zones, free, blocked
        extent = self.plan_extent or Extent.of(float(self.event.hall_width_m), float(self.event.hall_depth_m))
        _x, _y, width, height = view_box(extent, legend_rows)
        return 960, max(1, round(960 * height / width))


def fair_page(event: Event) -> FairPage:
    """The rest of what a fair's page shows. Seven queries: allowed categories, required
    documents, document rules, zones, booth types, the programme, and both counts in one."""
    prefetch_related_objects(
        [event],
        "categories",
        "required_documents",
        Prefetch("document_rules", queryset=FairDocumentRule.objects.select_related("document_type")),
        Prefetch("zones", queryset=Zone.objects.order_by("position", "code")),
        Prefetch("booth_types", queryset=BoothType.objects.order_by("-is_standard", "name")),
    )
    items = list(ProgrammeItem.objects.filter(event=event).order_by("starts_at", "pk"))
    days = [
        ProgrammeDay(day, list(group)) for day, group in groupby(items, key=lambda i: timezone.localdate(i.starts_at))
    ]
    edges = extent_annotations()
    row = (
        Event.objects.filter(pk=event.pk)
        .annotate(
            exhibitors=SubqueryCount(
                Application.objects.filter(event=OuterRef("pk"), status=Application.Status.APPROVED)
            ),
            booth_count=SubqueryCount(Booth.objects.filter(event=OuterRef("pk"))),
            **edges,
        )
        .values("exhibitors", "booth_count", *edges)
        .get()
    )
    exhibitors, booths = row["exhibitors"], row["booth_count"]
    return FairPage(
        event=event,
        programme=days,
        exhibitor_count=exhibitors,
        booth_count=booths,
        plan_extent=plan_extent(event, row),
    )
