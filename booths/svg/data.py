"""The plain values a booth map is drawn from: no ORM, so any part (pages, the allocation
preview, prints) can build or change them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class MapZone:
    id: int
    code: str
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class MapCategory:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class MapOccupant:
    """The business holding a booth (through a held or confirmed assignment)."""

    application_id: int
    vendor_id: int
    name: str
    sign_name: str
    province: str = ""
    categories: tuple[MapCategory, ...] = ()
    status: str = "held"
    source: str = ""
    pinned: bool = False
    contact_name: str = ""
    phone: str = ""

    @property
    def category(self) -> MapCategory | None:
        return self.categories[0] if self.categories else None


@dataclass(frozen=True, slots=True)
class MapBooth:
    id: int
    code: str
    zone_id: int
    type_name: str
    x: float
    y: float
    width: float
    depth: float
    row: str = ""
    blocked: bool = False
    blocked_reason: str = ""
    price: int = 0  # the booth type's price in đồng (0: not given)


@dataclass(frozen=True, slots=True)
class MapFeature:
    kind: str
    label: str  # the organiser's label, or the kind's name when they gave none
    x: float
    y: float
    width: float
    depth: float
    named: bool = True  # False when `label` is only the kind's name


@dataclass(frozen=True, slots=True)
class Extent:
    """The part of the plan a picture must show, in metres: the hall and everything drawn on it.
    Booths and features are saved inside the hall (booths.floorplan.hall_fit_error), but a plan
    saved before that check may have some outside: pictures and prints frame this, not the hall
    alone, so no booth is ever cut off."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def depth(self) -> float:
        return self.bottom - self.top

    @classmethod
    def of(cls, hall_width: float, hall_depth: float, rects: Iterable = ()) -> Extent:
        """The hall (0, 0)–(hall_width, hall_depth) grown to hold every rectangle, given as objects
        with x, y, width and depth."""
        left, top, right, bottom = 0.0, 0.0, float(hall_width), float(hall_depth)
        for r in rects:
            x, y = float(r.x), float(r.y)
            left, top = min(left, x), min(top, y)
            right, bottom = max(right, x + float(r.width)), max(bottom, y + float(r.depth))
        return cls(left, top, right, bottom)


@dataclass(frozen=True)
class MapData:
    """Everything a booth map shows, as plain values."""

    name: str
    hall_width: float
    hall_depth: float
    zones: Mapping[int, MapZone]
    booths: list[MapBooth]
    occupants: Mapping[int, MapOccupant] = field(default_factory=dict)  # booth id → occupant
    features: list[MapFeature] = field(default_factory=list)

    def extent(self) -> Extent:
        """The hall and every booth and feature on it (see Extent)."""
        return Extent.of(self.hall_width, self.hall_depth, [*self.booths, *self.features])

    def status_of(self, booth: MapBooth) -> str:
        if booth.blocked:
            return "blocked"
        return "assigned" if booth.id in self.occupants else "free"

    def counts(self) -> dict[str, int]:
        counts = {"total": len(self.booths), "free": 0, "assigned": 0, "blocked": 0}
        for booth in self.booths:
            counts[self.status_of(booth)] += 1
        return counts


@dataclass(frozen=True, slots=True)
class LegendEntry:
    key: str  # "zone-<id>", "category-<id>", "no-category", "free", "blocked", "held", "own"
    label: str
    fill: str  # a colour, or "hatch" for blocked booths
    outline: str = ""
    dashed: bool = False
