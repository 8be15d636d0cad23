"""allocate() and fcfs(): booths, requests, pinned booths and rules in, a checked Plan out.

allocate() works in stages (solver.py has the models):
  0. warm start: the linear relaxation of the zone choice, rounded (greedy.lp_guided_greedy);
  1a. CP-SAT: zones for the values alone (placed requests, priority, zone ranks);
  1b. CP-SAT: the same with the neighbour bounds, from 1a's answer; its bound is the plan's bound;
  2. per zone, requests over runs (cluster.py, then CP-SAT), then the order in each run (order.py).
The plan is then scored and checked from scratch (check.py), never trusting the model.
"""

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .check import check_plan, score_plan
from .cluster import cluster_runs
from .data import Plan, Progress, Rules
from .explain import explain_placed, explain_unplaced
from .greedy import fcfs_assignments, lp_guided_greedy
from .layout import Layout
from .objective import build_objective
from .order import order_run
from .solver import RunModel, ZoneModel, integer_bound, run_solver

# Seconds kept back from the time limit for ordering the runs, scoring and checking the plan.
FINISH_SECONDS_MIN = 0.8
FINISH_SECONDS_PER_RUN = 0.005
# Share of the time left given to stage 1a, then share of what is left after it given to stage
# 1b; stage 2 has the rest. Stage 1a is where better plans are found; 1b mostly proves the bound.
VALUES_SHARE = 0.55
ZONES_SHARE = 0.55
# CP-SAT subsolvers for two workers: an LP with all cuts proves the bound, quick restarts improve
# the plan (docs/DECISIONS.md).
VALUES_SUBSOLVERS = ("max_lp", "quick_restart")
ZONES_SUBSOLVERS = ("reduced_costs", "max_lp")


def _prepare(booths, requests, pinned, rules):
    pinned = {rid: list(booth_ids) for rid, booth_ids in (pinned or {}).items()}
    known = {r.id for r in requests}
    missing = sorted(set(pinned) - known)
    if missing:
        raise ValueError(f"pinned requests must be among the requests: {missing}")
    layout = Layout(booths)
    return pinned, layout, build_objective(requests, rules or Rules())


def _plan(layout, requests, pinned, kept, objective, assignments, *, started, status, bound=None) -> Plan:
    booths = list(layout.booths.values())
    score = score_plan(booths, requests, assignments, objective)
    violations = check_plan(booths, requests, pinned, assignments)
    occupied = {b for booth_ids in pinned.values() for b in booth_ids}
    unplaced = [r for r in requests if r.id not in assignments]
    gap = None
    if bound is not None:
        gap = round(100 * abs(bound - score.objective) / max(1, abs(score.objective)), 4)
    return Plan(
        assignments=assignments,
        objective=score.objective,
        bound=bound,
        gap=gap,
        seconds=round(time.perf_counter() - started, 3),
        status=status,
        explanations=explain_placed(layout, requests, assignments, pinned, kept, objective),
        unplaced=explain_unplaced(layout, unplaced, layout.runs(occupied)),
        hard_violations=len(violations),
        violations=violations,
        score=score,
        pinned=frozenset(pinned),
    )


def fcfs(booths, requests, pinned=None, rules=None, *, kept=frozenset()) -> Plan:
    """The first-come first-served baseline (greedy.py), scored and checked like allocate()."""
    started = time.perf_counter()
    pinned, layout, objective = _prepare(booths, requests, pinned, rules)
    assignments = fcfs_assignments(layout, requests, pinned)
    return _plan(layout, requests, pinned, kept, objective, assignments, started=started, status="fcfs")


def assess(booths, requests, pinned=None, rules=None, assignments=None, *, kept=frozenset(), bound=None) -> Plan:
    """A plan made or changed by hand, scored, checked and explained like allocate()'s."""
    started = time.perf_counter()
    pinned, layout, objective = _prepare(booths, requests, pinned, rules)
    assignments = {rid: list(booth_ids) for rid, booth_ids in (assignments or {}).items()}
    return _plan(
        layout, requests, pinned, kept, objective, assignments, started=started, status="adjusted", bound=bound
    )


class _Clock:
    """Time left, and progress reports as a share of the time limit."""

    def __init__(self, started, time_limit, progress):
        self.started, self.time_limit, self.progress = started, time_limit, progress
        self.objective = self.bound = None

    def left(self) -> float:
        return self.time_limit - (time.perf_counter() - self.started)

    def report(self, objective=None, bound=None):
        self.objective = objective if objective is not None else self.objective
        self.bound = bound if bound is not None else self.bound
        if self.progress is not None:
            elapsed = time.perf_counter() - self.started
            percent = min(99, int(100 * elapsed / max(self.time_limit, 0.1)))
            self.progress(Progress(percent=percent, elapsed=elapsed, objective=self.objective, bound=self.bound))

    def done(self, plan):
        if self.progress is not None:
            self.progress(Progress(percent=100, elapsed=plan.seconds, objective=plan.objective, bound=plan.bound))
        return plan


def allocate(
    booths,
    requests,
    pinned=None,
    rules=None,
    time_limit=30,
    workers=2,
    progress=None,
    *,
    kept=frozenset(),
    gap_limit=0.0,
    seed=0,
    trace=None,
) -> Plan:
    """Place `requests` (RequestSpec) on `booths` (BoothSpec) keeping `pinned` ({request id: booth
    ids}, each a request too) where they are, maximising the fair's objective (objective.py)
    within `time_limit` seconds on `workers` CP-SAT workers. `progress(Progress)` is called from
    this thread a few times a second. `kept` names pinned requests that merely keep the booths
    they hold (for the explanations). `gap_limit` (a fraction) stops a stage once proven that close.
    `trace`, a list, receives a TracePoint for every improving solution of stages 1a and 1b, each
    made into a whole plan (stage 2 by exchanges only) and scored, and one for the final plan:
    when a plan of that worth was first held (the time to build it included)."""
    started = time.perf_counter()
    pinned, layout, objective = _prepare(booths, requests, pinned, rules)
    occupied = {b for booth_ids in pinned.values() for b in booth_ids}
    runs = layout.runs(occupied)
    greedy = fcfs_assignments(layout, requests, pinned)
    clock = _Clock(started, time_limit, progress)
    finish = FINISH_SECONDS_MIN + FINISH_SECONDS_PER_RUN * len(runs)
    solve = {"workers": workers, "gap_limit": gap_limit, "seed": seed, "progress": clock.report}

    values = ZoneModel(runs, requests, pinned, layout, objective, neighbours=False)
    constant = values.constant(pinned)
    values.hint(lp_guided_greedy(runs, requests, pinned, objective))
    records = {"values": [], "zones": []} if trace is not None else {}
    solver, status = run_solver(
        values.model,
        time_limit=VALUES_SHARE * (clock.left() - finish),
        offset=constant,
        subsolvers=VALUES_SUBSOLVERS,
        record=records.get("values"),
        variables=values.variables if trace is not None else (),
        **solve,
    )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan = _plan(layout, requests, pinned, kept, objective, greedy, started=started, status="greedy")
        return clock.done(plan)
    # Whatever the plan, its neighbours add at most one bonus per pair of requests side by side.
    bounds = [integer_bound(solver.best_objective_bound) + constant + objective.bonus * max(len(requests) - 1, 0)]
    start = values.solution_runs(solver)
    optimal = status == cp_model.OPTIMAL and not (objective.bonus or objective.penalty)

    zones = None
    if objective.bonus or objective.penalty:
        zones = ZoneModel(runs, requests, pinned, layout, objective)
        zones.hint(start)
        solver, status = run_solver(
            zones.model,
            time_limit=ZONES_SHARE * (clock.left() - finish),
            offset=constant,
            subsolvers=ZONES_SUBSOLVERS,
            record=records.get("zones"),
            variables=zones.variables if trace is not None else (),
            **solve,
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bounds.append(integer_bound(solver.best_objective_bound) + constant)
            start = zones.solution_runs(solver)

    by_run = _runs_per_zone(layout, runs, requests, pinned, objective, start, clock, finish, workers, seed)
    assignments = {rid: list(booth_ids) for rid, booth_ids in pinned.items()}
    assignments.update(_ordered(runs, by_run, values, objective))
    bound = min(bounds)
    plan = _plan(layout, requests, pinned, kept, objective, assignments, started=started, status="", bound=bound)
    plan.status = "optimal" if optimal or plan.objective >= bound else "feasible"
    fallback = score_plan(list(layout.booths.values()), requests, greedy, objective)
    if fallback.objective > plan.objective:  # never worse than first come, first served
        plan = _plan(layout, requests, pinned, kept, objective, greedy, started=started, status="greedy", bound=bound)
    if trace is not None:
        models = {"values": values, "zones": zones}
        trace.extend(_traced(layout, runs, requests, pinned, objective, records, models, started))
        trace.append(TracePoint(plan.seconds, plan.score.placed, plan.objective, plan.score.preference))
    return clock.done(plan)


@dataclass(frozen=True)
class TracePoint:
    """A whole plan the solver held `seconds` after allocate() started, and its worth."""

    seconds: float
    placed: int
    objective: int
    preference: int


def _traced(layout, runs, requests, pinned, objective, records, models, started) -> list:
    """Each recorded solution of stage 1 made into a plan and scored (score_plan, never the model's
    own figure); its time is when the solver found it plus the time taken here to build it."""
    points = []
    booths = list(layout.booths.values())
    for stage, recorded in records.items():
        model = models[stage]
        for found, _objective, values in recorded:
            building = time.perf_counter()
            start = model.solution_runs(values=values)
            by_run = _clustered(runs, requests, objective, start)
            assignments = {rid: list(booth_ids) for rid, booth_ids in pinned.items()}
            assignments.update(_ordered(runs, by_run, model, objective))
            score = score_plan(booths, requests, assignments, objective)
            seconds = found - started + (time.perf_counter() - building)
            points.append(TracePoint(round(seconds, 3), score.placed, score.objective, score.preference))
    return points


def _clustered(runs, requests, objective, start) -> dict:
    """Stage 2 without CP-SAT: stage 1's packing improved by exchanges, as {run index: requests}."""
    by_request = {r.id: r for r in requests}
    run_zone = {run.index: run.zone_id for run in runs}
    by_zone = {}
    for request_id, run_index in start.items():
        by_zone.setdefault(run_zone[run_index], []).append(by_request[request_id])
    by_run = {}
    for zone, placed in by_zone.items():
        zone_runs = [u for u in runs if u.zone_id == zone]
        clustered = cluster_runs(zone_runs, placed, start) if objective.bonus else start
        for request in placed:
            by_run.setdefault(clustered[request.id], []).append(request)
    return by_run


def _runs_per_zone(layout, runs, requests, pinned, objective, start, clock, finish, workers, seed) -> dict:
    """Stage 2: for each zone, its requests spread over its runs: stage 1's packing, improved
    by exchanges (cluster.py) and then by CP-SAT (solver.RunModel) in the time left."""
    by_request = {r.id: r for r in requests}
    run_zone = {run.index: run.zone_id for run in runs}
    by_zone = {}
    for request_id, run_index in start.items():
        by_zone.setdefault(run_zone[run_index], []).append(by_request[request_id])
    by_run = {}
    for position, (zone, placed) in enumerate(by_zone.items()):
        zone_runs = [u for u in runs if u.zone_id == zone]
        clustered = cluster_runs(zone_runs, placed, start) if objective.bonus else start
        answer = None
        share = (clock.left() - finish) / (len(by_zone) - position)
        if (objective.bonus or objective.penalty) and share > 0.05:
            model = RunModel(zone_runs, requests, pinned, layout, objective, placed)
            model.hint(clustered)
            solver, status = run_solver(model.model, time_limit=share, workers=workers, seed=seed)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                answer = model.read(solver)
            clock.report()
        if answer is None:
            answer = {}
            for request in placed:
                answer.setdefault(clustered[request.id], []).append(request)
        by_run.update(answer)
    return by_run


def _ordered(runs, by_run, model, objective) -> dict:
    """Booths for each request: every run's requests in their best order (order.py)."""
    assignments = {}
    for run in runs:
        members = by_run.get(run.index)
        if not members:
            continue
        left = model.by_request.get(model.fixed_owner.get(run.left))
        right = model.by_request.get(model.fixed_owner.get(run.right))
        for booth_id, holder in zip(run.booth_ids, order_run(run, members, left, right, objective), strict=True):
            if holder is not None:
                assignments.setdefault(holder.id, []).append(booth_id)
    return assignments
