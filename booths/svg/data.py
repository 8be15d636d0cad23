"""The plain values a booth map is drawn from: no ORM, so any part (pages, the allocation
preview, prints) can build or change them."""

from __future__ import annotations

from collections.abc import Mapping
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


@dataclass(frozen=True, slots=True)
class MapFeature:
    kind: str
    label: str  # the organiser's label, or the kind's name when they gave none
    x: float
    y: float
    width: float
    depth: float
    named: bool = True  # False when `label` is only the kind's name


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
