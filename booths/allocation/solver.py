"""The CP-SAT models, in two stages.

Booths are grouped into *runs* (layout.py): any requests whose booth counts add up to at most a
run's length fit side by side in it, so where exactly inside a run only matters for who stands
next to whom.

Stage 1, zones (ZoneModel): y[r, z] says request r goes to zone z. Each request takes at most one
zone; per zone, integer counts c[u, κ] of requests of each class κ (booth count, booth type) per
run u make the zone's requests pack exactly into its runs. The objective counts each placed
request's value (objective.py) plus neighbour terms that are bounds, not guesses:

* same province: n requests of province p in a zone have at most n − 1 same-province pairs
  among them (plus one for each place where the zone's free booths touch a fixed request of p);
* competitors (zones limited to some categories only): with N requests in a zone, n of them
  sharing a category, R runs and E empty booths, at least 2n − N − R − E pairs of them stand
  side by side whatever the order.

So stage 1's optimum is at least the best real plan's worth: its bound is a true bound.

Stage 2, runs (RunModel), one zone at a time with stage 1's requests: x[r, u] puts each request
in one run of its zone, maximising the same-province pairs (at most n − 1 per province and run)
and keeping competitors apart; order.py then orders each run.
"""

import math
import threading
import time

from ortools.sat.python import cp_model

from ..rules import type_fits
from .objective import competitors, same_province

TICK_SECONDS = 0.25
# CP-SAT reports an integer model's objective and bound as floats, a hair off (8052.999999999999
# for 8053): objectives are rounded, bounds taken down to the integer at or below bound + this.
FLOAT_SLACK = 1e-6


def integer_objective(value) -> int:
    return round(value)


def integer_bound(value) -> int:
    """The best integer objective a maximisation can reach, given CP-SAT's float bound."""
    return math.floor(value + FLOAT_SLACK)


def pair_value(objective, a, b) -> int:
    if a is None or b is None:
        return 0
    return objective.bonus * same_province(a, b) - objective.penalty * competitors(a, b)


class _Watch(cp_model.CpSolverSolutionCallback):
    """Keeps the best objective and bound seen, for the progress callback; with `record` (a
    list) and `variables`, also appends (time.perf_counter(), objective, values) for every
    improving solution, so a caller can tell when each plan was first held."""

    def __init__(self, record=None, variables=()):
        super().__init__()
        self.lock = threading.Lock()
        self.objective = None
        self.bound = None
        self.record, self.variables = record, list(variables)

    def on_solution_callback(self):
        with self.lock:
            self.objective = integer_objective(self.objective_value)
            self.bound = integer_bound(self.best_objective_bound)
        if self.record is not None:
            found = time.perf_counter()
            self.record.append((found, self.objective, [self.value(v) for v in self.variables]))

    def on_bound(self, bound):
        with self.lock:
            self.bound = integer_bound(bound)


def run_solver(
    model,
    *,
    time_limit,
    workers,
    gap_limit=0.0,
    seed=0,
    progress=None,
    offset=0,
    subsolvers=(),
    record=None,
    variables=(),
):
    """Solve in a worker thread while this thread reports progress every TICK_SECONDS.
    `progress(elapsed, objective, bound)` gets the values plus `offset` (the fixed part);
    `record`/`variables`: see _Watch."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.05)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.relative_gap_limit = gap_limit
    solver.parameters.random_seed = seed
    solver.parameters.subsolvers.extend(subsolvers)
    watch = _Watch(record, variables)
    solver.best_bound_callback = watch.on_bound
    result = {}
    thread = threading.Thread(target=lambda: result.update(status=solver.solve(model, watch)), daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(TICK_SECONDS)
        if progress is not None and thread.is_alive():
            with watch.lock:
                objective, bound = watch.objective, watch.bound
            progress(
                None if objective is None else objective + offset,
                None if bound is None else bound + offset,
            )
    status = result.get("status", cp_model.UNKNOWN)
    return solver, status


class _Base:
    def __init__(self, layout, requests, fixed, objective):
        self.layout, self.objective = layout, objective
        self.by_request = {r.id: r for r in requests}
        self.fixed_owner = {b: rid for rid, booth_ids in fixed.items() for b in booth_ids}
        self.model = cp_model.CpModel()
        # Auxiliary variables with how to work out their value from a plan (for complete hints):
        # (variable, key of the placement variables' group, function of the chosen request ids).
        self.aux = []

    def hint_aux(self, chosen_in):
        """Hint the auxiliary variables from `chosen_in(key)`: the set of request ids the plan puts
        in the zone or run named by key."""
        for var, key, value in self.aux:
            self.model.add_hint(var, value(chosen_in(key)))

    def fixed_neighbour_provinces(self, run) -> list:
        """Provinces of the fixed requests touching the run's two ends."""
        provinces = []
        for booth_id in (run.left, run.right):
            holder = self.by_request.get(self.fixed_owner.get(booth_id))
            if holder is not None and holder.province:
                provinces.append(holder.province)
        return provinces

    def province_pairs(self, key, requests, variables, contacts, most, longest=None):
        """An upper bound on same-province pairs among `requests` (each present when its variable
        is 1), `contacts` being the provinces of fixed neighbours they may touch. n requests of a
        province standing in b separate blocks make n − b pairs; with `longest`, the most booths
        one line of adjacent usable booths holds, b ≥ their booths ÷ longest."""
        m, by_province, pairs = self.model, {}, []
        sizes = {r.id: r.booths_needed for r in requests}
        reach = longest or 10**9
        for request in requests:
            if request.province:
                by_province.setdefault(request.province, []).append(request.id)
        for province, ids in by_province.items():
            extra = contacts.count(province)
            if len(ids) + extra < 2:
                continue
            group = sum(variables[rid] for rid in ids)
            top = min(len(ids) - 1 + extra, most)
            present = m.new_bool_var("")
            count = m.new_int_var(0, top, "")
            m.add(present <= group)
            members = frozenset(ids)
            blocks = present
            if sum(sizes[rid] for rid in ids) > reach:
                blocks = m.new_int_var(0, len(ids), "")
                m.add(blocks >= present)
                m.add(reach * blocks >= sum(sizes[rid] * variables[rid] for rid in ids))
                self.aux.append((blocks, key, lambda chosen, members=members: _blocks(chosen & members, sizes, reach)))
            m.add(count <= group - blocks + extra)
            m.add(count <= (len(ids) + extra) * present)
            pairs.append(count)
            self.aux.append((present, key, lambda chosen, members=members: int(bool(chosen & members))))
            self.aux.append(
                (
                    count,
                    key,
                    lambda chosen, members=members, extra=extra, top=top: (
                        min(len(chosen & members) - _blocks(chosen & members, sizes, reach) + extra, top)
                        if chosen & members
                        else 0
                    ),
                )
            )
        return pairs

    def forced_competitors(self, key, requests, variables, length, lines):
        """A lower bound on competitor pairs among `requests` placed on `length` booths in `lines`
        separate lines: n of N sharing a category, with E empty booths, give at least
        2n − N − lines − E pairs."""
        m, by_category = self.model, {}
        for request in requests:
            for category in request.category_ids:
                by_category.setdefault(category, []).append(request.id)
        crowded = [frozenset(ids) for ids in by_category.values() if len(ids) >= 2]
        if not crowded:
            return []
        sizes = {r.id: r.booths_needed for r in requests}
        forced = m.new_int_var(0, length, "")
        total = sum(variables.values())
        empty = length - sum(sizes[rid] * variables[rid] for rid in sizes)
        for ids in crowded:
            m.add(forced >= 2 * sum(variables[rid] for rid in ids) - total - lines - empty)

        def value(chosen):
            chosen = chosen & set(sizes)
            empty_now = length - sum(sizes[rid] for rid in chosen)
            worst = max(2 * len(chosen & ids) - len(chosen) - lines - empty_now for ids in crowded)
            return min(max(0, worst), length)

        self.aux.append((forced, key, value))
        return [-self.objective.penalty * forced]


class ZoneModel(_Base):
    """Stage 1: which zone each request goes to (see the module docstring)."""

    def __init__(self, runs, requests, fixed, layout, objective, neighbours=True, count=False, *, at_least=None):
        super().__init__(layout, requests, fixed, objective)
        self.runs, self.neighbours, self.count = runs, neighbours and not count, count
        # With `at_least`, only plans placing that many free requests count, and the objective
        # leaves out the fixed weight per placed request: the preferences alone (bound.py).
        self.at_least = at_least
        self.free = [r for r in requests if r.id not in fixed]
        self.zones = list(dict.fromkeys(u.zone_id for u in runs))
        self.runs_in = {z: [u for u in runs if u.zone_id == z] for z in self.zones}
        self.run_by_index = {u.index: u for u in runs}
        self.y, self.c, self.zones_of = {}, {}, {}
        self.lines_in = {z: _lines(self.runs_in[z]) for z in self.zones}
        self.used = {}  # line (tuple of run indexes) → 1 when any request stands in it
        self._build()

    def line_used(self, line):
        """A variable that is 1 when a request stands in the line (a list of runs)."""
        m = self.model
        used = m.new_bool_var("")
        self.used[tuple(u.index for u in line)] = used
        indexes = {u.index: u for u in line}
        for (run_index, size, _type_id), count in self.c.items():
            if run_index in indexes:
                m.add(count <= (indexes[run_index].length // size) * used)
        return used

    def _build(self):
        m, objective = self.model, self.objective
        members = {z: [] for z in self.zones}
        for request in self.free:
            zones = [z for z in self.zones if any(u.accepts(request) for u in self.runs_in[z])]
            self.zones_of[request.id] = zones
            for zone in zones:
                self.y[request.id, zone] = m.new_bool_var("")
                members[zone].append(request)
            if zones:
                m.add_at_most_one(self.y[request.id, z] for z in zones)
        terms = []
        load = {u.index: [] for u in self.runs}
        for zone in self.zones:
            inside = members[zone]
            ys = {r.id: self.y[r.id, zone] for r in inside}
            classes = {}
            for request in inside:
                classes.setdefault((request.booths_needed, request.booth_type_id), []).append(ys[request.id])
            for (size, type_id), group in classes.items():
                probe = _ClassProbe(size, type_id)
                fitting = [u for u in self.runs_in[zone] if u.length >= size and probe.type_fits(u)]
                counts = []
                for run in fitting:
                    count = m.new_int_var(0, run.length // size, "")
                    self.c[run.index, size, type_id] = count
                    counts.append(count)
                    load[run.index].append(size * count)
                m.add(sum(group) == sum(counts))
            weight = 0 if self.at_least is None else objective.place
            terms.extend((1 if self.count else objective.value(r.id, zone) - weight) * ys[r.id] for r in inside)
            if not (inside and self.neighbours):
                continue
            length = sum(u.length for u in self.runs_in[zone])
            if objective.bonus:
                contacts = [p for u in self.runs_in[zone] for p in self.fixed_neighbour_provinces(u)]
                lines = self.lines_in[zone]
                longest = max(sum(u.length for u in line) for line in lines)
                pairs = self.province_pairs(zone, inside, ys, contacts, length, longest)
                # Each line of adjacent usable booths holding requests has one fewer pair than
                # requests (plus its contacts with fixed neighbours), whatever the provinces.
                used = [self.line_used(line) for line in lines]
                m.add(sum(pairs) <= sum(ys.values()) - sum(used) + len(contacts))
                terms.extend(objective.bonus * p for p in pairs)
            if objective.penalty and self.runs_in[zone][0].zone_categories:
                terms.extend(self.forced_competitors(zone, inside, ys, length, len(self.runs_in[zone])))
        for run in self.runs:
            if load[run.index]:
                m.add(sum(load[run.index]) <= run.length)
        if self.at_least is not None:
            m.add(sum(self.y.values()) >= self.at_least)
        m.maximize(sum(terms))

    def hint(self, run_of_request):
        """Start from a plan given as {request id: run index}."""
        run_of = {u.index: u for u in self.runs}
        zone_of, used = {}, {}
        for request_id, run_index in run_of_request.items():
            run, request = run_of[run_index], self.by_request[request_id]
            zone_of[request_id] = run.zone_id
            key = (run.index, request.booths_needed, request.booth_type_id)
            used[key] = used.get(key, 0) + 1
        for (request_id, zone), var in self.y.items():
            self.model.add_hint(var, zone_of.get(request_id) == zone)
        for key, var in self.c.items():
            self.model.add_hint(var, used.get(key, 0))
        taken = {run_index for run_index, _size, _type_id in used}
        for line, var in self.used.items():
            self.model.add_hint(var, any(index in taken for index in line))
        in_zone = {}
        for request_id, zone in zone_of.items():
            in_zone.setdefault(zone, set()).add(request_id)
        self.hint_aux(lambda zone: in_zone.get(zone, set()))

    def constant(self, fixed) -> int:
        """What the fixed requests are worth: their places and the pairs among themselves."""
        total, seen = 0, set()
        for request_id, booth_ids in fixed.items():
            if booth_ids:
                total += self.objective.value(request_id, self.layout.booths[booth_ids[0]].zone_id)
        for booth_id, holder in self.fixed_owner.items():
            other = self.fixed_owner.get(self.layout.right_of.get(booth_id))
            if other is None or other == holder or (holder, other) in seen:
                continue
            seen.update({(holder, other), (other, holder)})
            total += pair_value(self.objective, self.by_request.get(holder), self.by_request.get(other))
        return total

    @property
    def variables(self) -> list:
        """The placement and count variables, in the order solution_runs(values=…) reads them."""
        return [*self.y.values(), *self.c.values()]

    def solution_runs(self, solver=None, values=None) -> dict:
        """The solution as {request id: run index}: each zone's requests dealt over its runs
        following the counts per run and class (a packing that fits by construction). From the
        solver, or from `values` recorded for `variables`."""
        if values is not None:
            recorded = dict(zip(map(id, self.variables), values, strict=True))

            def value(var):
                return recorded[id(var)]

        else:
            value = solver.value
        waiting = {}
        for (request_id, zone), var in self.y.items():
            if value(var):
                request = self.by_request[request_id]
                waiting.setdefault((zone, request.booths_needed, request.booth_type_id), []).append(request)
        for group in waiting.values():
            group.sort(key=lambda r: (r.order, r.id))
        run_of = {}
        for (run_index, size, type_id), var in sorted(
            self.c.items(), key=lambda item: (item[0][0], item[0][1], str(item[0][2]))
        ):
            group = waiting.get((self.run_by_index[run_index].zone_id, size, type_id), [])
            for _ in range(value(var)):
                run_of[group.pop(0).id] = run_index
        return run_of


def _blocks(chosen, sizes, reach) -> int:
    """The fewest blocks `chosen` requests can stand in, lines holding at most `reach` booths."""
    return max(1, -(-sum(sizes[rid] for rid in chosen) // reach)) if chosen else 0


def _lines(runs) -> list:
    """The zone's runs grouped into lines of adjacent usable booths: a run whose right neighbour
    is the first booth of the next run (a change of booth type along a row) continues its line."""
    first = {u.booth_ids[0]: u for u in runs}
    following = {u.index: first.get(u.right) for u in runs}
    continued = {v.index for v in following.values() if v is not None}
    lines = []
    for run in runs:
        if run.index in continued:
            continue
        line = [run]
        while following[line[-1].index] is not None:
            line.append(following[line[-1].index])
        lines.append(line)
    return lines


class _ClassProbe:
    """A stand-in request of one class, to ask a run whether the class fits its booth type."""

    def __init__(self, size, type_id):
        self.booths_needed, self.booth_type_id = size, type_id

    def type_fits(self, run) -> bool:
        return type_fits(self.booth_type_id, run.booth_type_id)


class RunModel(_Base):
    """Stage 2 for one zone: which run each of the zone's requests goes to."""

    def __init__(self, runs, requests, fixed, layout, objective, placed):
        super().__init__(layout, requests, fixed, objective)
        self.runs = runs
        self.placed = placed
        self.x = {}
        self._build()

    def _build(self):
        m, objective = self.model, self.objective
        members = {u.index: [] for u in self.runs}
        for request in self.placed:
            fits = [u for u in self.runs if u.accepts(request)]
            for run in fits:
                self.x[request.id, run.index] = m.new_bool_var("")
                members[run.index].append(request)
            m.add_exactly_one(self.x[request.id, u.index] for u in fits)
        terms = []
        for run in self.runs:
            inside = members[run.index]
            if not inside:
                continue
            xs = {r.id: self.x[r.id, run.index] for r in inside}
            m.add(sum(r.booths_needed * xs[r.id] for r in inside) <= run.length)
            if objective.bonus:
                pairs = self.province_pairs(run.index, inside, xs, self.fixed_neighbour_provinces(run), run.length)
                terms.extend(objective.bonus * p for p in pairs)
            if objective.penalty:
                terms.extend(self.forced_competitors(run.index, inside, xs, run.length, 1))
        m.maximize(sum(terms))

    def hint(self, run_of_request):
        for (request_id, run_index), var in self.x.items():
            self.model.add_hint(var, run_of_request.get(request_id) == run_index)
        in_run = {}
        for request_id, run_index in run_of_request.items():
            in_run.setdefault(run_index, set()).add(request_id)
        self.hint_aux(lambda run_index: in_run.get(run_index, set()))

    def read(self, solver) -> dict:
        by_run = {}
        for (request_id, run_index), var in self.x.items():
            if solver.boolean_value(var):
                by_run.setdefault(run_index, []).append(self.by_request[request_id])
        return by_run
