"""Why each request got its booths, or none. Reasons carry ids; `describe` turns one into text
with the caller's translation function and labels (zone names, booth codes, business names)."""

from ..rules import type_fits, zone_accepts
from .check import adjacent_pairs
from .data import Reason, gettext_noop
from .objective import competitors, same_province

MESSAGES = {
    "pinned": gettext_noop("Kept on its booths: pinned by staff."),
    "kept": gettext_noop("Kept on the booths it already holds."),
    "zone_choice": gettext_noop("Zone %(zone)s, its choice no. %(rank)s."),
    "zone_unranked": gettext_noop("Zone %(zone)s, which it did not ask for."),
    "zone_no_choice": gettext_noop("Zone %(zone)s (it named no preferred zone)."),
    "better_full": gettext_noop("Its choice no. %(rank)s, zone %(zone)s, had no room left for it."),
    "better_room": gettext_noop(
        "Its choice no. %(rank)s, zone %(zone)s, still has room, but this place scores higher."
    ),
    "booth": gettext_noop("Booth %(booths)s in row %(row)s."),
    "booths": gettext_noop("Booths %(booths)s in row %(row)s."),
    "same_province": gettext_noop("Next to %(neighbour)s from the same province."),
    "competitor": gettext_noop("Next to %(neighbour)s, which shows the same product category."),
    "no_zone": gettext_noop("No zone accepts its product categories."),
    "no_booth_type": gettext_noop("No zone that accepts its categories has booths of its booth type."),
    "no_adjacent": gettext_noop("No row of a zone that accepts it has %(count)s adjacent usable booths of its type."),
    "full": gettext_noop("No room left: the booths that fit it went to other requests."),
}


def describe(reason, translate=str, zone=str, booths=None, request=str) -> str:
    """One reason as text. `translate` is gettext (or str); `zone`, `booths` and `request` turn ids
    into labels."""
    params = dict(reason.params)
    if "zone" in params:
        params["zone"] = zone(params["zone"])
    if "booths" in params:
        params["booths"] = booths(params["booths"]) if booths else ", ".join(map(str, params["booths"]))
    if "neighbour" in params:
        params["neighbour"] = request(params["neighbour"])
    return translate(MESSAGES[reason.code]) % params


def explain_placed(layout, requests, assignments, pinned, kept, objective) -> dict:
    """{request id: [Reason…]} for every placed request."""
    by_request = {r.id: r for r in requests}
    neighbours = {}
    for a, b in adjacent_pairs(layout.booths.values(), assignments):
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    taken = {b for booth_ids in assignments.values() for b in booth_ids}
    explanations = {}
    for request_id, booth_ids in assignments.items():
        request = by_request[request_id]
        first = layout.booths[booth_ids[0]]
        reasons = []
        if request_id in pinned:
            reasons.append(Reason("kept" if request_id in kept else "pinned"))
        else:
            reasons.extend(_zone_reasons(layout, request, first.zone_id, taken, objective))
        code = "booth" if len(booth_ids) == 1 else "booths"
        reasons.append(Reason(code, {"booths": list(booth_ids), "row": first.row}))
        for other in sorted(neighbours.get(request_id, ())):
            if same_province(request, by_request[other]):
                reasons.append(Reason("same_province", {"neighbour": other}))
            if competitors(request, by_request[other]):
                reasons.append(Reason("competitor", {"neighbour": other}))
        explanations[request_id] = reasons
    return explanations


def _zone_reasons(layout, request, zone_id, taken, objective) -> list[Reason]:
    rank = objective.zone_rank(request.id, zone_id)
    if rank is not None:
        reasons = [Reason("zone_choice", {"zone": zone_id, "rank": rank})]
    elif request.zone_ranks:
        reasons = [Reason("zone_unranked", {"zone": zone_id})]
    else:
        return [Reason("zone_no_choice", {"zone": zone_id})]
    for better_rank, better_zone in enumerate(dict.fromkeys(request.zone_ranks), start=1):
        if rank is not None and better_rank >= rank:
            break
        room = layout.first_segment(request, better_zone, taken) is not None
        code = "better_room" if room else "better_full"
        reasons.append(Reason(code, {"zone": better_zone, "rank": better_rank}))
    return reasons


def explain_unplaced(layout, requests, runs) -> dict:
    """{request id: Reason} for requests without booths: no zone, no type, no row long enough, or full.
    `runs` are the runs free before anything was placed."""
    usable = [b for b in layout.booths.values() if not b.blocked]
    reasons = {}
    for request in requests:
        accepting = [b for b in usable if zone_accepts(b.zone_categories, request.category_ids)]
        if not accepting:
            reasons[request.id] = Reason("no_zone")
        elif not any(type_fits(request.booth_type_id, b.booth_type_id) for b in accepting):
            reasons[request.id] = Reason("no_booth_type")
        elif not any(run.accepts(request) for run in runs):
            reasons[request.id] = Reason("no_adjacent", {"count": request.booths_needed})
        else:
            reasons[request.id] = Reason("full")
    return reasons
