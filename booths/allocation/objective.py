"""The fair's objective, in integers (CP-SAT needs them), shared by the solver and the scorer.

A placed request is worth

    PLACE + SCALE × priority + zone points × (SCALE + priority)

where priority = w_ocop × OCOP stars (0–5) + w_host × 5 (host-province business)
               + w_order × 0…5 (5 for the earliest registration, 0 for the last),
and zone points = w_zone × (R + 1 − rank) for the zone of rank `rank` among R ranked
choices (0 for a zone it did not ask for). So priority weighs both on being placed at all and
on getting a preferred zone. Each pair of adjacent requests then adds w_province × SCALE when
they come from the same province and takes w_competitors × SCALE when they share a category.

PLACE is PLACE_FACTOR times the most any one request can gain from preferences (its zone, its
priority and two same-province neighbours), so placing
one more request beats any single request's zone or priority: placed requests first, then
preferences.
"""

from dataclasses import dataclass

SCALE = 10
PLACE_FACTOR = 4
PRIORITY_STEPS = 5


@dataclass(frozen=True)
class Objective:
    rules: object
    priority: dict  # request id → priority points
    ranks: dict  # request id → {zone id: rank}
    max_rank: int
    place: int

    def zone_rank(self, request_id, zone_id):
        return self.ranks.get(request_id, {}).get(zone_id)

    def zone_points(self, request_id, zone_id) -> int:
        rank = self.zone_rank(request_id, zone_id)
        if rank is None:
            return 0
        return self.rules.weight_zone_preference * (self.max_rank + 1 - rank)

    def value(self, request_id, zone_id) -> int:
        priority = self.priority[request_id]
        return self.place + SCALE * priority + self.zone_points(request_id, zone_id) * (SCALE + priority)

    @property
    def bonus(self) -> int:
        return self.rules.weight_same_province * SCALE

    @property
    def penalty(self) -> int:
        return self.rules.weight_competitors_apart * SCALE

    def pair(self, a, b) -> int:
        """What two adjacent requests add to the objective."""
        return self.bonus * same_province(a, b) - self.penalty * competitors(a, b)


def same_province(a, b) -> bool:
    return bool(a.province) and a.province == b.province


def competitors(a, b) -> bool:
    return bool(set(a.category_ids) & set(b.category_ids))


def build_objective(requests, rules) -> Objective:
    ordered = sorted(requests, key=lambda r: (r.order, r.id))
    last = max(len(ordered) - 1, 1)
    priority = {}
    for position, request in enumerate(ordered):
        order_points = round(PRIORITY_STEPS * (last - position) / last) if len(ordered) > 1 else PRIORITY_STEPS
        priority[request.id] = (
            rules.weight_ocop * min(max(request.ocop_stars or 0, 0), 5)
            + rules.weight_host_province * PRIORITY_STEPS * bool(request.host_province)
            + rules.weight_registration_order * order_points
        )
    ranks = {r.id: {zone: i + 1 for i, zone in enumerate(dict.fromkeys(r.zone_ranks))} for r in requests}
    max_rank = max((len(zones) for zones in ranks.values()), default=0)
    best = max(
        (SCALE * priority[r.id] + rules.weight_zone_preference * max_rank * (SCALE + priority[r.id]) for r in requests),
        default=0,
    )
    best += 2 * rules.weight_same_province * SCALE  # and the two neighbours it could bring
    return Objective(rules=rules, priority=priority, ranks=ranks, max_rank=max_rank, place=PLACE_FACTOR * best + 1)
