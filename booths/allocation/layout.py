"""The hall as the solver sees it: rows of touching booths and the runs of free booths in them.

Rows and adjacency are booths.rules': same zone and row label (a blank label: also the same y),
edges within 1 cm along the row. A *run* is a maximal stretch of adjacent booths that are usable
(not blocked, not held by a fixed request) and of one booth type. Since a request's booths are
all of one type (booths.rules), any k booths a request may take lie inside one run, and any set
of requests whose booth counts add up to at most a run's length fits in that run side by side, so
the solver decides *which run* each request goes to and the order inside a run is chosen afterwards.
A row's booths are taken not to overlap along it: a label used for two lines of one zone (two
y's) would make a row that is not one line, and its strips could miss booths that touch.
"""

from dataclasses import dataclass

from ..codes import booth_code_key
from ..rules import one_type, row_key, touching, type_fits, zone_accepts


@dataclass(frozen=True)
class Run:
    index: int
    zone_id: int
    row: str
    booth_ids: tuple
    booth_type_id: int | None
    zone_categories: frozenset
    left: int | None  # the adjacent booth just outside the run on each side, if any
    right: int | None

    @property
    def length(self) -> int:
        return len(self.booth_ids)

    def accepts(self, request) -> bool:
        return (
            request.booths_needed <= self.length
            and type_fits(request.booth_type_id, self.booth_type_id)
            and zone_accepts(self.zone_categories, request.category_ids)
        )


class Layout:
    """Booths grouped into strips: maximal chains of adjacent booths, in zone, row and x order."""

    def __init__(self, booths):
        self.booths = {b.id: b for b in booths}
        self.zone_order = list(dict.fromkeys(b.zone_id for b in booths))
        self.zone_categories = {}
        for booth in booths:
            self.zone_categories.setdefault(booth.zone_id, booth.zone_categories)
        self.left_of, self.right_of = {}, {}
        self.strips = []
        rows = {}
        for booth in booths:
            rows.setdefault(row_key(booth), []).append(booth)
        zone_rank = {zone: i for i, zone in enumerate(self.zone_order)}
        for key in sorted(rows, key=lambda key: (zone_rank[key[0]], booth_code_key(key[1]), key[2] or 0)):
            line = sorted(rows[key], key=lambda b: (b.x, b.id))
            strip = [line[0].id]
            for a, b in zip(line, line[1:], strict=False):
                if touching(a, b):
                    self.right_of[a.id], self.left_of[b.id] = b.id, a.id
                    strip.append(b.id)
                else:
                    self.strips.append(strip)
                    strip = [b.id]
            self.strips.append(strip)
        self.strips_by_zone = {}
        for strip in self.strips:
            self.strips_by_zone.setdefault(self.booths[strip[0]].zone_id, []).append(strip)

    def runs(self, occupied=frozenset()) -> list[Run]:
        """The runs of usable booths when `occupied` booths are taken."""
        runs = []
        for strip in self.strips:
            current = []
            for booth_id in [*strip, None]:
                booth = self.booths.get(booth_id)
                usable = booth is not None and not booth.blocked and booth_id not in occupied
                if current and (not usable or not one_type((self.booths[current[0]], booth))):
                    first = self.booths[current[0]]
                    runs.append(
                        Run(
                            index=len(runs),
                            zone_id=first.zone_id,
                            row=first.row,
                            booth_ids=tuple(current),
                            booth_type_id=first.booth_type_id,
                            zone_categories=frozenset(first.zone_categories),
                            left=self.left_of.get(current[0]),
                            right=self.right_of.get(current[-1]),
                        )
                    )
                    current = []
                if usable:
                    current.append(booth_id)
        return runs

    def first_segment(self, request, zone_id, taken) -> list | None:
        """The first k adjacent usable booths for `request` in a zone (rows in order, left to right)."""
        if not zone_accepts(self.zone_categories.get(zone_id, frozenset()), request.category_ids):
            return None
        k = request.booths_needed
        for strip in self.strips_by_zone.get(zone_id, ()):
            current = []
            for booth_id in strip:
                booth = self.booths[booth_id]
                if booth.blocked or booth_id in taken or not type_fits(request.booth_type_id, booth.booth_type_id):
                    current = []
                    continue
                if current and not one_type((self.booths[current[0]], booth)):
                    current = []
                current.append(booth_id)
                if len(current) == k:
                    return current
        return None

    def segment_from(self, booth_id, count) -> list | None:
        """`count` adjacent booths starting at `booth_id` and going right along its row, if there are."""
        if booth_id not in self.booths:
            return None
        segment = [booth_id]
        while len(segment) < count:
            following = self.right_of.get(segment[-1])
            if following is None:
                return None
            segment.append(following)
        return segment
