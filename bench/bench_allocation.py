"""Allocation benchmark (issue 4): 1,000 requests onto 1,200 booths in 10 zones, optimised
(CP-SAT, 30 s, 2 workers) against first come, first served, on the same generated instance.

Pure data, no database: the instance is generated with a fixed seed. The requests ask for
1,400 booths in all (70 % one booth, 20 % two, 10 % three) where 1,173 can be used (27 blocked), so
not everyone can be placed and the two plans also differ in how many they place.

How the solver's settings were chosen on this instance: docs/DECISIONS.md (2026-11-27).

Run alone: `.venv/bin/python bench/run.py allocation` (or `python -m bench.bench_allocation`
for the figures without the runner).
"""

import random
import sys
import time

from booths.allocation import BoothSpec, RequestSpec, Rules, allocate, fcfs
from booths.allocation.bound import preference_bound as placed_preference_bound

SEED = 20240604
ZONES = 10
ROWS_PER_ZONE = 6
BOOTHS_PER_ROW = 20
REQUESTS = 1000
CATEGORIES = 20
PROVINCES = 30
HOST_PROVINCE = "31"
STANDARD, LARGE = 1, 2  # booth types: 3 m and 4.5 m wide
WIDTHS = {STANDARD: 3.0, LARGE: 4.5}
TIME_LIMIT = 30
BOUND_SECONDS = 15  # the preference bound's own solve, after the plan (not part of its time)
WORKERS = 2
RUNS = 3  # the solver's two workers race: plans and times differ from run to run; medians published
WITHIN = 1.0  # percent: allocation_seconds_to_1pct is when a plan this close to the bound is first held
FIGURES = (  # what run() publishes: a crash publishes each as not met, with the error (bench/run.py)
    *("allocation_seconds", "allocation_gap_percent", "allocation_hard_violations"),
    *("allocation_preference_gap_percent_min", "allocation_preference_gap_percent_max"),
    *("allocation_seconds_to_1pct", "allocation_seconds_to_1pct_min", "allocation_seconds_to_1pct_max"),
    *("allocation_preference", "allocation_preference_bound", "allocation_bound_seconds"),
    *("allocation_first_choice_share", "fcfs_first_choice_share", "allocation_placed", "fcfs_placed"),
    *("fcfs_hard_violations", "allocation_booths_used", "fcfs_booths_used"),
    *("allocation_same_province_pairs", "fcfs_same_province_pairs"),
    *("allocation_competitor_pairs", "fcfs_competitor_pairs", "allocation_preference_gap_percent"),
)


def _booth_type(row, col, rows, per_row):
    """Mixed booth types: in every zone the last row is large booths and the row before it
    changes type halfway along (two runs of different types touching)."""
    if row == rows or (row == rows - 1 and col >= per_row // 2):
        return LARGE
    return STANDARD


def make_instance(seed=SEED, requests=REQUESTS, zones=ZONES, rows=ROWS_PER_ZONE, per_row=BOOTHS_PER_ROW):
    """(booths, requests): zones of `rows` rows of `per_row` adjacent 3 m booths, about 2 % of
    them blocked (pillars, a service point); three zones take only some categories; requests
    with 1–3 booths (70/20/10 %), 1–2 categories, 3 ranked zones that accept them (some zones
    far more popular than others), 30 provinces (the host one the largest), some OCOP."""
    rng = random.Random(seed)
    categories = list(range(1, CATEGORIES + 1))
    restricted = {1: frozenset(range(1, 5)), 2: frozenset(range(5, 9)), 3: frozenset({9, 10, 11, 12, 13})}
    booths, next_id = [], 1
    for zone in range(1, zones + 1):
        zone_categories = restricted.get(zone, frozenset())
        for row in range(1, rows + 1):
            x = 0.0
            for col in range(per_row):
                type_id = _booth_type(row, col, rows, per_row)
                width = WIDTHS[type_id]
                booths.append(
                    BoothSpec(
                        id=next_id,
                        code=f"{chr(64 + zone)}{row}{col + 1:02d}",
                        zone_id=zone,
                        row=f"{chr(64 + zone)}{row}",
                        x=x,
                        width=width,
                        booth_type_id=type_id,
                        blocked=rng.random() < 0.02,
                        zone_categories=zone_categories,
                    )
                )
                x += width
                next_id += 1
    popularity = [1.0 / (z**0.7) for z in range(1, zones + 1)]
    provinces = [f"{p:02d}" for p in range(1, PROVINCES + 1)]
    provinces[0] = HOST_PROVINCE
    province_weights = [6.0] + [1.0 / (p**0.5) for p in range(1, PROVINCES)]
    registration = list(range(requests))
    rng.shuffle(registration)
    specs = []
    for i in range(requests):
        size = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        cats = frozenset(rng.sample(categories, rng.choices([1, 2], weights=[75, 25])[0]))
        accepting = [z for z in range(1, zones + 1) if not restricted.get(z) or restricted[z] & cats]
        ranks = []
        while len(ranks) < min(3, len(accepting)):
            zone = rng.choices(accepting, weights=[popularity[z - 1] for z in accepting])[0]
            if zone not in ranks:
                ranks.append(zone)
        province = rng.choices(provinces, weights=province_weights)[0]
        specs.append(
            RequestSpec(
                id=i + 1,
                booths_needed=size,
                booth_type_id=rng.choices([STANDARD, LARGE, None], weights=[35, 15, 50])[0],
                category_ids=cats,
                zone_ranks=tuple(ranks),
                province=province,
                ocop_stars=rng.choices([0, 3, 4, 5], weights=[80, 10, 7, 3])[0],
                host_province=province == HOST_PROVINCE,
                order=registration[i],
            )
        )
    return booths, specs


def measure(time_limit=TIME_LIMIT, workers=WORKERS, seed=SEED, bound_seconds=BOUND_SECONDS):
    """One allocation of the instance with its trace, the baseline, and the preference bound for
    plans placing as many as the allocation's (solved after it, in `bound_seconds`)."""
    booths, requests = make_instance(seed)
    trace = []
    started = time.perf_counter()
    plan = allocate(booths, requests, {}, Rules(), time_limit=time_limit, workers=workers, trace=trace)
    seconds = time.perf_counter() - started
    baseline = fcfs(booths, requests, {}, Rules())
    started = time.perf_counter()
    bound = preference_bound(plan, booths, requests, bound_seconds)
    return booths, requests, plan, baseline, seconds, trace, bound, time.perf_counter() - started


def preference_bound(plan, booths=None, requests=None, seconds=BOUND_SECONDS):
    """The most the preferences (the objective without the fixed weight per placed request) can be
    worth in any plan placing at least as many requests as `plan`: the lower of two sound bounds,
    the bound on the whole objective less that weight for `plan`'s placements, and (given the
    instance) the preference model's own (booths.allocation.bound; README, "Allocation figures")."""
    bounds = [plan.bound - (plan.objective - plan.score.preference)]
    if booths is not None:
        direct = placed_preference_bound(
            booths, requests, {}, Rules(), placed=plan.score.placed, assignments=plan.assignments, time_limit=seconds
        )
        bounds += [direct] if direct is not None else []
    return min(bounds)


def preference_gap(placed, preference, plan, bound) -> float:
    """How far a plan (the final one or a trace point: its placements and preferences) is from the
    preference `bound` for plans placing as many as `plan`, in percent of that bound; one placing
    fewer requests than `plan` counts as 100."""
    if placed < plan.score.placed:
        return 100.0
    return 100 * (bound - preference) / max(1, bound)


def seconds_to_within(plan, trace, bound, percent=WITHIN):
    """When a plan within `percent` of the preference bound was first held (None: never)."""
    held = sorted(trace, key=lambda p: p.seconds)
    return next((p.seconds for p in held if preference_gap(p.placed, p.preference, plan, bound) <= percent), None)


def _share(count, of):
    return round(100 * count / of, 1) if of else 0.0


def run(ctx=None):
    from bench.run import figure, spread

    results = [measure() for _ in range(RUNS)]
    gaps = [
        100.0 if r[2].bound is None else preference_gap(r[2].score.placed, r[2].score.preference, r[2], r[6])
        for r in results
    ]
    reached = [seconds_to_within(r[2], r[5], r[6]) for r in results]
    # The run of median preference gap stands for the others in the plan's own figures.
    median = sorted(zip(gaps, range(RUNS), results, strict=True))[RUNS // 2][2]
    booths, requests, plan, baseline, seconds, _trace, bound, bound_seconds = median
    never = TIME_LIMIT * 10  # a run that never held a plan within 1 %: counted as far beyond the target
    rows = [
        *spread("allocation_preference_gap_percent", gaps, "%", ("<=", 1), digits=2),
        *spread("allocation_seconds_to_1pct", [never if s is None else s for s in reached], "s", ("<=", 10)),
        figure("allocation_preference", plan.score.preference, "points"),
        figure("allocation_preference_bound", bound, "points"),
        figure("allocation_bound_seconds", round(bound_seconds, 1), "s"),
        # allocate()'s own time: without turning the trace into plans, which only the bench asks for
        figure("allocation_seconds", round(plan.seconds, 2), "s", ("<=", 30)),
        figure("allocation_gap_percent", plan.gap if plan.gap is not None else 100.0, "%", ("<=", 2)),
        figure("allocation_hard_violations", plan.hard_violations, "violations", ("<=", 0)),
        figure("allocation_first_choice_share", _share(plan.score.first_choice, plan.score.placed), "% of placed"),
        figure("fcfs_first_choice_share", _share(baseline.score.first_choice, baseline.score.placed), "% of placed"),
        figure("allocation_placed", plan.score.placed, f"of {len(requests)} requests"),
        figure("fcfs_placed", baseline.score.placed, f"of {len(requests)} requests"),
        figure("fcfs_hard_violations", baseline.hard_violations, "violations", ("<=", 0)),
        figure("allocation_booths_used", plan.score.booths_used, f"of {sum(not b.blocked for b in booths)} usable"),
        figure("fcfs_booths_used", baseline.score.booths_used, f"of {sum(not b.blocked for b in booths)} usable"),
        figure("allocation_same_province_pairs", plan.score.same_province_pairs, "pairs"),
        figure("fcfs_same_province_pairs", baseline.score.same_province_pairs, "pairs"),
        figure("allocation_competitor_pairs", plan.score.competitor_pairs, "pairs"),
        figure("fcfs_competitor_pairs", baseline.score.competitor_pairs, "pairs"),
    ]
    return rows


if __name__ == "__main__":
    _booths, _requests, _plan, _baseline, _seconds, _trace, _bound, _bound_seconds = measure(
        *(float(a) for a in sys.argv[1:2])
    )
    print(
        f"{_seconds:.1f} s, status {_plan.status}, objective {_plan.objective}, bound {_plan.bound}, gap {_plan.gap} %"
    )
    print(f"optimised: {_plan.score}")
    print(f"fcfs:      {_baseline.score}")
    print(f"violations: {_plan.violations[:5]}")
    _reached = seconds_to_within(_plan, _trace, _bound)
    _gap = preference_gap(_plan.score.placed, _plan.score.preference, _plan, _bound)
    print(f"preference {_plan.score.preference}, bound {_bound} ({_bound_seconds:.1f} s)")
    print(f"preference gap {_gap:.2f} %, within {WITHIN} % at {_reached} s")
