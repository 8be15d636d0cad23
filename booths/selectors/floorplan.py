"""Reads of the floor-plan page: a fair's zones and booth types with their counts, and the booths
and hall features to draw. A fixed number of queries whatever the number of booths."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef

from events.models import BoothType, Event, Zone
from tuanhang.kernel.db import SubqueryCount

from ..floorplan import Rect, outside_hall
from ..models import Assignment, Booth, HallFeature
from ..svg import Extent
from ..svg.style import ink_on, over, readable

PLAN_HALL = "#f8f9fa"  # the hall under the preview's booths
PLAN_BLOCKED = "#adb5bd"


@dataclass(frozen=True)
class PlanBooth:
    """What the plan preview draws of a booth."""

    code: str
    x: Decimal
    y: Decimal
    width: Decimal
    depth: Decimal
    row: str
    zone_code: str
    colour: str
    type_name: str
    blocked: bool
    blocked_reason: str
    held: bool

    @property
    def fill(self) -> str:
        """Free booths pale in their zone's colour, held ones nearly solid, blocked ones grey, as drawn
        over the hall; a middle tone lightened until the code reads on it (booths.svg.style.readable)."""
        if self.blocked:
            return over(PLAN_BLOCKED, PLAN_HALL, 0.9)
        return readable(over(self.colour, PLAN_HALL, 0.9 if self.held else 0.35))

    @property
    def ink(self) -> str:
        """The code's colour: dark or white, whichever contrasts more with the fill."""
        return ink_on(self.fill)

    @property
    def centre_x(self) -> Decimal:
        return self.x + self.width / 2

    @property
    def centre_y(self) -> Decimal:
        return self.y + self.depth / 2


@dataclass(frozen=True)
class Floorplan:
    event: Event
    zones: list
    booth_types: list
    booths: list
    features: list

    @property
    def extent(self) -> Extent:
        """What the preview frames: the hall and every booth and feature, even one outside it."""
        return Extent.of(float(self.event.hall_width_m), float(self.event.hall_depth_m), [*self.booths, *self.features])

    @property
    def view_box(self) -> str:
        """The preview's viewBox: the extent with half a metre around it."""
        e = self.extent
        return " ".join(f"{v:g}" for v in (e.left - 0.5, e.top - 0.5, e.width + 1, e.depth + 1))

    @property
    def outside(self) -> list[str]:
        """Codes of the booths and names of the features that lie outside the hall (saved before the
        hall-fit check, booths.floorplan.hall_fit_error): the page warns about them."""
        hall = (self.event.hall_width_m, self.event.hall_depth_m)
        found = [b.code for b in self.booths if any(outside_hall(Rect(b.code, b.x, b.y, b.width, b.depth), *hall))]
        found += [str(f) for f in self.features if any(outside_hall(Rect(f.pk, f.x, f.y, f.width, f.depth), *hall))]
        return found

    @property
    def total(self) -> int:
        return len(self.booths)

    @property
    def blocked(self) -> int:
        return sum(1 for b in self.booths if b.blocked)

    @property
    def held(self) -> int:
        return sum(1 for b in self.booths if b.held)

    @property
    def free(self) -> int:
        return sum(1 for b in self.booths if not b.held and not b.blocked)


def floorplan_overview(*, event: Event) -> Floorplan:
    """Zones (booths, blocked, held), booth types (booths), every booth to draw, hall features: 4 queries."""
    booths = Booth.objects.filter(zone=OuterRef("pk"))
    active = Assignment.objects.filter(booth=OuterRef("pk"), status__in=Assignment.ACTIVE)
    zones = list(
        Zone.objects.filter(event=event)
        .annotate(
            booth_count=SubqueryCount(booths),
            blocked_count=SubqueryCount(booths.filter(blocked=True)),
            held_count=SubqueryCount(booths.filter(Exists(active))),
        )
        .order_by("position", "code")
    )
    booth_types = list(
        BoothType.objects.filter(event=event)
        .annotate(booth_count=SubqueryCount(Booth.objects.filter(booth_type=OuterRef("pk"))))
        .order_by("-is_standard", "name")
    )
    rows = (
        Booth.objects.filter(event=event)
        .annotate(held=Exists(active))
        .order_by("zone__position", "zone__code", "code")
        .values_list(
            "code",
            "x",
            "y",
            "width",
            "depth",
            "row",
            "zone__code",
            "zone__colour",
            "booth_type__name",
            "blocked",
            "blocked_reason",
            "held",
        )
    )
    plan_booths = [PlanBooth(*row) for row in rows]
    features = list(HallFeature.objects.filter(event=event).order_by("kind", "pk"))
    return Floorplan(event=event, zones=zones, booth_types=booth_types, booths=plan_booths, features=features)


def booths_by_codes(*, event: Event, codes) -> tuple[list, list]:
    """The fair's booths with these codes (case does not matter), in the order given, and the codes
    that match no booth. One query."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    variants = {c.upper() for c in wanted} | set(wanted)
    found = {b.code.casefold(): b for b in Booth.objects.filter(event=event, code__in=variants)} if wanted else {}
    booths, unknown = [], []
    for code in wanted:
        booth = found.get(code.casefold())
        if booth is None:
            unknown.append(code)
        elif booth not in booths:
            booths.append(booth)
    return booths, unknown


def held_booth_counts(application_ids) -> dict[int, int]:
    """{application id: booths it holds or has confirmed} for these applications (one query).
    Answers vendors.hooks.booths_held (booths.apps connects it)."""
    rows = (
        Assignment.objects.filter(application_id__in=list(application_ids), status__in=Assignment.ACTIVE)
        .values("application_id")
        .annotate(count=Count("pk"))
        .values_list("application_id", "count")
    )
    return dict(rows)


def outside_resized_hall(event: Event, hall_width, hall_depth) -> list[str]:
    """Codes of the fair's booths and names of its hall features that would lie outside a hall of
    this size (booths.floorplan.outside_hall, the one rule): a hall is never made smaller than its
    plan. Two queries."""
    booths = Booth.objects.filter(event=event).order_by("code").values_list("code", "x", "y", "width", "depth")
    found = [code for code, *box in booths if any(outside_hall(Rect(code, *box), hall_width, hall_depth))]
    for feature in HallFeature.objects.filter(event=event).order_by("pk"):
        rect = Rect(feature.pk, feature.x, feature.y, feature.width, feature.depth)
        if any(outside_hall(rect, hall_width, hall_depth)):
            found.append(str(feature))
    return found


def held_booth_types(application_ids) -> dict[int, dict[int, int]]:
    """{application id: {booth type id: booths of that type it holds or has confirmed}} (one query).
    Answers vendors.hooks.booth_types_held (booths.apps connects it)."""
    rows = (
        Assignment.objects.filter(application_id__in=list(application_ids), status__in=Assignment.ACTIVE)
        .values("application_id", "booth__booth_type_id")
        .annotate(count=Count("pk"))
        .values_list("application_id", "booth__booth_type_id", "count")
    )
    held: dict[int, dict[int, int]] = {}
    for application_id, type_id, count in rows:
        held.setdefault(application_id, {})[type_id] = count
    return held
