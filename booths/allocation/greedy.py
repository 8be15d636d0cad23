"""Greedy plans: first come, first served (the baseline the optimiser is compared with) and the
solver's warm starts."""

from ortools.linear_solver import pywraplp

from ..rules import type_fits


def fcfs_assignments(layout, requests, pinned) -> dict:
    """Requests in registration order; each takes the first free k adjacent booths in its
    best-ranked zone that has room, then in any other zone that accepts it (zones in hall order).
    Returns {request id: [booth ids]} including the pinned requests."""
    assignments = {rid: list(booth_ids) for rid, booth_ids in pinned.items()}
    taken = {b for booth_ids in pinned.values() for b in booth_ids}
    for request in sorted((r for r in requests if r.id not in pinned), key=lambda r: (r.order, r.id)):
        zones = [*dict.fromkeys(request.zone_ranks), *layout.zone_order]
        for zone_id in dict.fromkeys(zones):
            segment = layout.first_segment(request, zone_id, taken)
            if segment:
                assignments[request.id] = segment
                taken.update(segment)
                break
    return assignments


class _Packer:
    """Requests into runs, best fit: the run of the zone that leaves the least room over."""

    def __init__(self, runs):
        self.left = {run.index: run.length for run in runs}
        self.by_zone = {}
        for run in runs:
            self.by_zone.setdefault(run.zone_id, []).append(run)
        self.run_of = {}

    def place(self, request, zones) -> bool:
        size = request.booths_needed
        for zone_id in zones:
            fitting = [u for u in self.by_zone.get(zone_id, ()) if self.left[u.index] >= size and u.accepts(request)]
            if fitting:
                run = min(fitting, key=lambda u: (self.left[u.index], u.index))
                self.left[run.index] -= size
                self.run_of[request.id] = run.index
                return True
        return False


def value_greedy(runs, requests, pinned, objective) -> dict:
    """Requests by value per booth (one-booth requests and high priority first), each into its
    best-ranked zone with room. Returns {request id: run index}."""
    packer = _Packer(runs)
    free = [r for r in requests if r.id not in pinned]

    def per_booth(request):
        ranked = [z for z in request.zone_ranks if z in packer.by_zone]
        return objective.value(request.id, ranked[0] if ranked else None) / max(request.booths_needed, 1)

    for request in sorted(free, key=lambda r: (-per_booth(r), r.order, r.id)):
        packer.place(request, dict.fromkeys([*request.zone_ranks, *packer.by_zone]))
    return packer.run_of


def lp_guided_greedy(runs, requests, pinned, objective) -> dict:
    """The assignment warm start: the linear relaxation of the zone choice (GLOP), rounded.
    Requests it places whole keep its zone, biggest first; then the others, most surely placed
    first, into the zones it gives them most of, their ranked zones, then any.
    Returns {request id: run index}."""
    free = [r for r in requests if r.id not in pinned]
    share = _relaxation(runs, free, objective)
    if share is None:
        return value_greedy(runs, requests, pinned, objective)
    packer = _Packer(runs)

    def preferred(request):
        return [zone for value, zone in sorted(share.get(request.id, []), key=lambda s: -s[0]) if value > 1e-6]

    whole = [r for r in free if any(value > 1 - 1e-6 for value, _ in share.get(r.id, []))]
    for request in sorted(whole, key=lambda r: (-r.booths_needed, r.order, r.id)):
        packer.place(request, preferred(request)[:1])
    rest = [r for r in free if r.id not in packer.run_of]
    sureness = {r.id: max((value for value, _ in share.get(r.id, [])), default=0.0) for r in rest}
    for request in sorted(rest, key=lambda r: (-round(sureness[r.id], 6), r.booths_needed, r.order, r.id)):
        packer.place(request, dict.fromkeys([*preferred(request), *request.zone_ranks, *packer.by_zone]))
    return packer.run_of


def _relaxation(runs, free, objective):
    """{request id: [(share, zone)]} from the LP of solver.ZoneModel without neighbour terms."""
    by_zone = {}
    for run in runs:
        by_zone.setdefault(run.zone_id, []).append(run)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    y, loads, classes = {}, {run.index: [] for run in runs}, {}
    for request in free:
        zones = [z for z, zone_runs in by_zone.items() if any(u.accepts(request) for u in zone_runs)]
        for zone in zones:
            y[request.id, zone] = solver.NumVar(0, 1, "")
            classes.setdefault((zone, request.booths_needed, request.booth_type_id), []).append(y[request.id, zone])
        if zones:
            solver.Add(sum(y[request.id, z] for z in zones) <= 1)
    for (zone, size, type_id), group in classes.items():
        counts = []
        for run in by_zone[zone]:
            if run.length >= size and type_fits(type_id, run.booth_type_id):
                count = solver.NumVar(0, run.length // size, "")
                counts.append(count)
                loads[run.index].append(size * count)
        solver.Add(sum(group) == sum(counts))
    for run in runs:
        if loads[run.index]:
            solver.Add(sum(loads[run.index]) <= run.length)
    solver.Maximize(sum(objective.value(rid, zone) * var for (rid, zone), var in y.items()))
    if solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    share = {}
    for (rid, zone), var in y.items():
        share.setdefault(rid, []).append((var.solution_value(), zone))
    return share
