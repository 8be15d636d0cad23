"""Reads of the booth map: everything one fair's map shows, in a fixed number of queries.

booth_map_data() returns plain values (booths.svg.MapData) that the SVG builder, the pages,
the booth-choice and allocation parts and the printed plan share. It runs six queries whatever
the number of booths: zones, booths with their type, active assignments with the business,
the categories the applications show, the businesses' own categories, hall features.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import F, FloatField, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.models import Event, Zone
from events.templatetags.vn import vnd
from tuanhang.kernel.vn import format_phone
from vendors.models import Application, Vendor

from ..codes import booth_code_key
from ..models import Assignment, Booth, HallFeature
from ..svg import (
    COLOUR_MODES,
    COLOUR_ZONE,
    HIGHLIGHT,
    BoothNamer,
    Extent,
    LegendEntry,
    MapBooth,
    MapCategory,
    MapData,
    MapFeature,
    MapOccupant,
    MapZone,
    booth_map_svg,
    legend_entries,
)

E = Event.Status
# Formatting a phone goes through phonenumbers' parser: memoised, as the organiser's map formats hundreds per view.
display_phone = lru_cache(maxsize=16_384)(format_phone)
# django.utils.html.json_script's escapes: nothing in the JSON can close its <script> element.
JSON_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))
# Fairs whose map anyone may see: announced and not yet over.
PUBLIC_MAP_STATUSES = (E.PUBLISHED, E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED, E.RUNNING)


def event_for_map(*, slug, public=False) -> Event:
    """The fair with this slug (only a publicly visible one when `public`), or 404. One query."""
    events = Event.objects.select_related("organiser", "province")
    if public:
        events = events.filter(status__in=PUBLIC_MAP_STATUSES)
    event = events.filter(slug=slug).first()
    if event is None:
        raise Http404(_("No fair with this address."))
    return event


def vendor_application_ids(*, vendor, event) -> list[int]:
    """The business's applications to the fair (usually one). One query."""
    return list(Application.objects.filter(vendor=vendor, event=event).values_list("pk", flat=True))


def booth_map_data(*, event: Event) -> MapData:
    """The fair's hall, zones, booths, occupants and hall features. Six queries."""
    zones = {
        z["id"]: MapZone(**z)
        for z in Zone.objects.filter(event=event).order_by("position", "code").values("id", "code", "name", "colour")
    }
    return MapData(
        name=event.name,
        hall_width=float(event.hall_width_m),
        hall_depth=float(event.hall_depth_m),
        zones=zones,
        booths=_booths(event),
        occupants=_occupants(event),
        features=_features(event),
    )


EDGES = ("left", "top", "right", "bottom")


def extent_annotations() -> dict:
    """Annotations for an Event queryset: the outer edges of its booths and of its hall features
    ("booth_left", "feature_bottom"…, None when it has none), for a page that sizes a picture of
    the plan (booths.svg.view_box) without loading every booth. Give the row to plan_extent()."""
    found = {}
    for name, model in (("booth", Booth), ("feature", HallFeature)):
        rows = model.objects.filter(event=OuterRef("pk")).order_by().values("event")
        for edge, aggregate in zip(
            EDGES, (Min("x"), Min("y"), Max(F("x") + F("width")), Max(F("y") + F("depth"))), strict=True
        ):
            found[f"{name}_{edge}"] = Subquery(rows.annotate(edge=aggregate).values("edge")[:1])
    return found


def plan_extent(event: Event, row: dict) -> Extent:
    """The hall grown to hold the booths and features whose edges extent_annotations() read."""
    boxes = []
    for name in ("booth", "feature"):
        left, top, right, bottom = (row.get(f"{name}_{edge}") for edge in EDGES)
        if left is not None:
            boxes.append(MapFeature(name, "", float(left), float(top), float(right - left), float(bottom - top)))
    return Extent.of(float(event.hall_width_m), float(event.hall_depth_m), boxes)


def _booths(event) -> list[MapBooth]:
    # Sizes come back as floats straight from the database: no Decimal per value.
    metres = [Cast(name, FloatField()) for name in ("x", "y", "width", "depth")]
    rows = (
        Booth.objects.filter(event=event)
        .order_by("code")
        .values_list(
            "id",
            "code",
            "zone_id",
            "booth_type__name",
            *metres,
            "row",
            "blocked",
            "blocked_reason",
            "booth_type__price",
        )
    )
    return [MapBooth(*row) for row in rows]


def _active(event):
    return Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).order_by()


def _occupants(event) -> dict[int, MapOccupant]:
    """Booth id → the business holding it. Three queries: assignments, application categories,
    vendor categories. The map colours by the first category the application shows at this
    fair, else the first of the business's profile (in the categories' own order)."""
    rows = _active(event).values_list(
        "booth_id",
        "application_id",
        "status",
        "source",
        "pinned",
        "application__vendor_id",
        "application__vendor__name",
        "application__vendor__short_name",
        "application__vendor__province__name",
        "application__vendor__contact_name",
        "application__vendor__phone",
    )
    by_application = _categories(
        Application.categories.through, "application_id", Q(application_id__in=_active(event).values("application_id"))
    )
    by_vendor = _categories(
        Vendor.categories.through, "vendor_id", Q(vendor_id__in=_active(event).values("application__vendor_id"))
    )
    occupants = {}
    for booth_id, app_id, status, source, pinned, vendor_id, name, short, province, contact, phone in rows:
        occupants[booth_id] = MapOccupant(
            application_id=app_id,
            vendor_id=vendor_id,
            name=name,
            sign_name=short or name,
            province=province or "",
            categories=by_application.get(app_id) or by_vendor.get(vendor_id) or (),
            status=status,
            source=source,
            pinned=pinned,
            contact_name=contact,
            phone=phone,
        )
    return occupants


def _categories(through, owner, condition) -> dict[int, tuple[MapCategory, ...]]:
    found = defaultdict(list)
    rows = (
        through.objects.filter(condition)
        .order_by("category__position", "category__name", "category_id")
        .values_list(owner, "category_id", "category__name")
    )
    for owner_id, category_id, name in rows:
        found[owner_id].append(MapCategory(category_id, name))
    return {key: tuple(value) for key, value in found.items()}


def _features(event) -> list[MapFeature]:
    kinds = dict(HallFeature.Kind.choices)
    rows = (
        HallFeature.objects.filter(event=event).order_by("id").values_list("kind", "label", "x", "y", "width", "depth")
    )
    return [
        MapFeature(kind, label or str(kinds.get(kind, kind)), float(x), float(y), float(w), float(d), bool(label))
        for kind, label, x, y, w, d in rows
    ]


# --- what the details panel shows ----------------------------------------------------------

STAFF, VENDOR, PUBLIC = "staff", "vendor", "public"


PUBLIC_FIELDS = ("zone", "type", "size", "price", "row", "status", "business", "sign")
STAFF_FIELDS = (*PUBLIC_FIELDS, "province", "category", "contact", "phone", "source")


def _field_labels() -> dict:
    return {
        "zone": _("Zone"),
        "type": _("Booth type"),
        "size": _("Size"),
        "price": _("Price"),
        "row": _("Row"),
        "status": _("Status"),
        "business": _("Participant"),
        "sign": _("Name on the sign"),
        "province": _("Province / city"),
        "category": _("Product category"),
        "contact": _("Contact person"),
        "phone": _("Phone"),
        "source": _("Assigned by"),
    }


def booth_details(data: MapData, *, audience: str, own_application_ids=()) -> dict:
    """The data of the details panel, embedded as JSON. Staff see contacts, held or confirmed and
    how the booth was assigned; everybody else sees names only (and a business its own booths'
    status). Compact for 1,200 booths: {"fields": [[key, label], …], "booths": {id: [code,
    value of each field…]}, "own": [ids]}, trailing empty values left out."""
    keys = STAFF_FIELDS if audience == STAFF else PUBLIC_FIELDS
    labels = _field_labels()
    words = {
        "free": _("Free"),
        "taken": _("Taken"),
        "blocked": _("Blocked"),
        "pinned": _("pinned"),
        **{value: str(label) for value, label in Assignment.Status.choices},
        **{f"source-{value}": str(label) for value, label in Assignment.Source.choices},
    }
    zones = {z.id: f"{z.code} – {z.name}" for z in data.zones.values()}
    own = set(own_application_ids)
    booths, own_booths = {}, []
    for booth in data.booths:
        detail = _detail(data, booth, zones=zones, words=words, staff=audience == STAFF, own=own)
        if detail.pop("own", False):
            own_booths.append(booth.id)
        values = [detail.get(key, "") for key in keys]
        while values and not values[-1]:
            values.pop()
        booths[str(booth.id)] = [booth.code, *values]
    return {"fields": [[key, labels[key]] for key in keys], "booths": booths, "own": own_booths}


def _detail(data: MapData, booth, *, zones, words, staff, own) -> dict:
    detail = {
        "zone": zones.get(booth.zone_id, ""),
        "type": booth.type_name,
        "size": f"{_m(booth.width)} × {_m(booth.depth)} m",
        "price": vnd(booth.price) if booth.price else "",
        "row": booth.row,
    }
    occupant = data.occupants.get(booth.id)
    if booth.blocked:
        reason = booth.blocked_reason
        detail["status"] = _("Blocked: %(reason)s") % {"reason": reason} if reason else words["blocked"]
        return detail
    if occupant is None:
        detail["status"] = words["free"]
        return detail
    mine = occupant.application_id in own
    detail.update(business=occupant.name, own=mine)
    if occupant.sign_name != occupant.name:
        detail["sign"] = occupant.sign_name
    detail["status"] = words[occupant.status] if staff or mine else words["taken"]
    if staff:
        source = words.get(f"source-{occupant.source}", occupant.source)
        detail.update(
            province=occupant.province,
            category=", ".join(c.name for c in occupant.categories),
            contact=occupant.contact_name,
            phone=display_phone(occupant.phone),
            source=f"{source} · {words['pinned']}" if occupant.pinned else source,
        )
    return detail


def _m(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# --- one map on one page -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoothListItem:
    id: int
    code: str
    name: str  # the accessible name, as the map's option says it
    status: str  # "free", "assigned" or "blocked"


@dataclass(frozen=True, slots=True)
class BoothListZone:
    code: str
    name: str
    booths: list


def booth_list(data: MapData) -> list[BoothListZone]:
    """The map's booths by zone (zone order, then booth code), named as the map names them: the
    list view that says everything the map shows, for whoever cannot or would rather not use it."""
    namer = BoothNamer(data)
    by_zone = defaultdict(list)
    for booth in data.booths:
        by_zone[booth.zone_id].append(BoothListItem(booth.id, booth.code, namer(booth), data.status_of(booth)))
    zones = []
    for zone in data.zones.values():
        if by_zone.get(zone.id):
            items = sorted(by_zone[zone.id], key=lambda item: booth_code_key(item.code))
            zones.append(BoothListZone(zone.code, zone.name, items))
    return zones


@dataclass(frozen=True)
class BoothMapPage:
    """What templates/booths/includes/map.html shows."""

    svg: str
    legend: list
    details: dict
    colour: str
    counts: dict
    own_codes: list = field(default_factory=list)
    colour_switch: bool = True
    focus_ids: list = field(default_factory=list)  # booths looked for (?booth=): outlined, shown on load
    zones: list = field(default_factory=list)  # BoothListZone: the list view beside the map

    @property
    def names(self) -> dict[int, str]:
        """Booth id → its accessible name (the same words as on the map)."""
        return {item.id: item.name for zone in self.zones for item in zone.booths}

    @property
    def details_script(self) -> str:
        """The details as <script id="booth-data" type="application/json">: Django's json_script
        with Vietnamese letters kept as they are and its escapes done with str.replace (sizes and
        timings: docs/DECISIONS.md). Nothing inside can close the element."""
        text = json.dumps(self.details, ensure_ascii=False, separators=(",", ":"))
        for char, escaped in JSON_SCRIPT_ESCAPES:
            text = text.replace(char, escaped)
        return format_html('<script id="booth-data" type="application/json">{}</script>', mark_safe(text))  # noqa: S308


def booth_map_for_page(
    *,
    event: Event,
    audience: str,
    colour: str = COLOUR_ZONE,
    own_application_ids=(),
    booth_classes=None,
    data: MapData | None = None,
    focus_codes=(),
    pickable=None,
) -> BoothMapPage:
    """The fair's map for a page: the SVG, its legend, the details panel's data and counts.
    `audience`: STAFF, VENDOR or PUBLIC (what the details panel shows); `own_application_ids`:
    the viewing business's applications, whose booths are highlighted; `booth_classes`: extra
    CSS classes by booth id (pick mode, plan changes); `data`: a MapData already fetched or
    changed (an allocation plan's occupants), else fetched here in six queries; `focus_codes`:
    codes of booths someone looks for (a business's page links to its booths), outlined and
    shown by the page's script when it loads; `pickable` (booth choice): the ids of the booths the
    business may choose, every other booth but its own is drawn faded."""
    colour = colour if colour in COLOUR_MODES else COLOUR_ZONE
    data = data if data is not None else booth_map_data(event=event)
    mine = set(own_application_ids)
    own = {booth_id for booth_id, o in data.occupants.items() if o.application_id in mine}
    wanted = {code.casefold() for code in focus_codes}
    focus = [b.id for b in data.booths if b.code.casefold() in wanted]
    classes = dict(booth_classes or {})
    for booth_id in focus:
        classes[booth_id] = f"{classes[booth_id]} booth-focus" if booth_id in classes else "booth-focus"
    svg = booth_map_svg(
        data,
        colour=colour,
        highlight=own | set(focus),
        mark_held=audience == STAFF,
        booth_classes=classes,
        title=_("Booth map of %(fair)s") % {"fair": event.name},
        interactive=True,
        faded=() if pickable is None else {b.id for b in data.booths if b.id not in pickable},
    )
    legend = legend_entries(data, colour, own=bool(own), held=audience == STAFF)
    if focus:
        legend.append(LegendEntry("focus", _("The booth you are looking for"), "#ffffff", outline=HIGHLIGHT))
    return BoothMapPage(
        svg=svg,
        legend=legend,
        details=booth_details(data, audience=audience, own_application_ids=mine),
        colour=colour,
        counts=data.counts(),
        own_codes=sorted(b.code for b in data.booths if b.id in own),
        focus_ids=focus,
        zones=booth_list(data),
    )
