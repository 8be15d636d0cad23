"""An independent look at a finished plan: which hard rules it breaks (check_plan) and what it
is worth (score_plan). Neither uses the solver's runs or candidates: both work from the booths'
coordinates, so a bug in the model cannot hide from them."""

from .data import Score, Violation
from .layout import TOUCH_M, zone_accepts
from .objective import competitors, same_province

KINDS = (
    "unknown_request",
    "unknown_booth",
    "double_booking",
    "blocked",
    "booth_count",
    "not_adjacent",
    "booth_type",
    "zone_category",
    "pinned_moved",
)


def _touch(a, b) -> bool:
    return a.zone_id == b.zone_id and a.row == b.row and abs(a.x + a.width - b.x) <= TOUCH_M


def _one_adjacent_line(booths) -> bool:
    line = sorted(booths, key=lambda b: b.x)
    return all(_touch(a, b) for a, b in zip(line, line[1:], strict=False))


def check_plan(booths, requests, pinned, assignments) -> list[Violation]:
    """Every hard rule `assignments` ({request id: [booth ids]}) breaks: a booth given twice, an
    unknown or blocked booth, the wrong number of booths, booths not adjacent in one row of one
    zone, the wrong booth type, a zone that does not accept the request's categories, a pinned
    request moved or dropped. Pinned requests left on their booths are not re-judged."""
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
    rid, found = request.id, []
    if len(booth_ids) != request.booths_needed:
        found.append(Violation("booth_count", rid, tuple(booth_ids)))
    blocked = tuple(b.id for b in known if b.blocked)
    if blocked:
        found.append(Violation("blocked", rid, blocked))
    if len(known) > 1 and not _one_adjacent_line(known):
        found.append(Violation("not_adjacent", rid, tuple(booth_ids)))
    wrong_type = tuple(
        b.id for b in known if request.booth_type_id is not None and b.booth_type_id != request.booth_type_id
    )
    if wrong_type:
        found.append(Violation("booth_type", rid, wrong_type))
    wrong_zone = tuple(b.id for b in known if not zone_accepts(b.zone_categories, request.category_ids))
    if wrong_zone:
        found.append(Violation("zone_category", rid, wrong_zone))
    return found


def adjacent_pairs(booths, assignments) -> set[tuple]:
    """Pairs (a, b), a < b, of requests holding adjacent booths."""
    owner = {b: rid for rid, booth_ids in assignments.items() for b in booth_ids}
    rows = {}
    for booth in booths:
        if booth.id in owner:
            rows.setdefault((booth.zone_id, booth.row), []).append(booth)
    pairs = set()
    for line in rows.values():
        line.sort(key=lambda b: b.x)
        for a, b in zip(line, line[1:], strict=False):
            ra, rb = owner[a.id], owner[b.id]
            if ra != rb and _touch(a, b):
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
