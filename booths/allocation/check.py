"""An independent look at a finished plan: which hard rules it breaks (check_plan) and what it
is worth (score_plan). Neither uses the solver's runs or candidates: both work from the booths'
coordinates, so a bug in the model cannot hide from them. Which booths a request may have is
booths.rules', shared with self-selection."""

from ..rules import broken_rules, row_key, touching
from .data import Score, Violation
from .objective import competitors, same_province

KINDS = (
    "unknown_request",
    "unknown_booth",
    "double_booking",
    "blocked",
    "booth_count",
    "booth_type",
    "zone_category",
    "not_adjacent",
    "mixed_types",
    "pinned_moved",
)
# The rules about the booths together name all the request's booths, as it gave them.
_WHOLE_REQUEST = frozenset({"booth_count", "not_adjacent", "mixed_types"})


def check_plan(booths, requests, pinned, assignments) -> list[Violation]:
    """Every hard rule `assignments` ({request id: [booth ids]}) breaks: a booth given twice, an
    unknown or blocked booth, the wrong number of booths, the wrong booth type, a zone that does
    not accept the request's categories, booths not adjacent in one row of one zone, booths of
    more than one type (booths.rules), a pinned request moved or dropped. Pinned requests left on
    their booths are not re-judged."""
    by_id = {b.id: b for b in booths}
    by_request = {r.id: r for r in requests}
    owner = {}
    found = []
    for request_id, booth_ids in assignments.items():
        booth_ids = list(booth_ids)
        request = by_request.get(request_id)
        if request is None:
            found.append(Violation("unknown_request", request_id, tuple(booth_ids)))
            continue
        for booth_id in booth_ids:
            if booth_id not in by_id:
                found.append(Violation("unknown_booth", request_id, (booth_id,)))
            elif booth_id in owner:
                found.append(Violation("double_booking", request_id, (booth_id,)))
            owner.setdefault(booth_id, request_id)
        if request_id in pinned:
            if sorted(booth_ids) != sorted(pinned[request_id]):
                found.append(Violation("pinned_moved", request_id, tuple(booth_ids)))
            continue
        found.extend(_rule_violations(request, booth_ids, by_id))
    for request_id, booth_ids in pinned.items():
        if request_id not in assignments:
            found.append(Violation("pinned_moved", request_id, tuple(booth_ids)))
    return found


def _rule_violations(request, booth_ids, by_id) -> list[Violation]:
    known = [by_id[b] for b in booth_ids if b in by_id]
    broken = broken_rules(
        known,
        needed=request.booths_needed,
        chosen=len(booth_ids),
        booth_type_id=request.booth_type_id,
        category_ids=request.category_ids,
    )
    return [
        Violation(
            rule.code,
            request.id,
            tuple(booth_ids) if rule.code in _WHOLE_REQUEST else tuple(b.id for b in rule.booths),
        )
        for rule in broken
    ]


def adjacent_pairs(booths, assignments) -> set[tuple]:
    """Pairs (a, b), a < b, of requests holding adjacent booths."""
    owner = {b: rid for rid, booth_ids in assignments.items() for b in booth_ids}
    rows = {}
    for booth in booths:
        if booth.id in owner:
            rows.setdefault(row_key(booth), []).append(booth)
    pairs = set()
    for line in rows.values():
        line.sort(key=lambda b: b.x)
        for a, b in zip(line, line[1:], strict=False):
            ra, rb = owner[a.id], owner[b.id]
            if ra != rb and touching(a, b):
                pairs.add((min(ra, rb), max(ra, rb)))
    return pairs


def score_plan(booths, requests, assignments, objective) -> Score:
    """The plan's worth under `objective` (see objective.py), counted from scratch."""
    by_id = {b.id: b for b in booths}
    by_request = {r.id: r for r in requests}
    total = zone_points = first_choice = booths_used = placed = 0
    for request_id, booth_ids in assignments.items():
        if request_id not in by_request or not booth_ids or booth_ids[0] not in by_id:
            continue
        zone_id = by_id[booth_ids[0]].zone_id
        placed += 1
        booths_used += len(booth_ids)
        total += objective.value(request_id, zone_id)
        zone_points += objective.zone_points(request_id, zone_id)
        first_choice += objective.zone_rank(request_id, zone_id) == 1
    same = rivals = 0
    for a, b in adjacent_pairs(booths, assignments):
        if a in by_request and b in by_request:
            same += same_province(by_request[a], by_request[b])
            rivals += competitors(by_request[a], by_request[b])
    total += objective.bonus * same - objective.penalty * rivals
    return Score(
        objective=total,
        placed=placed,
        booths_used=booths_used,
        first_choice=first_choice,
        zone_points=zone_points,
        same_province_pairs=same,
        competitor_pairs=rivals,
        preference=total - objective.place * placed,
    )
