"""The solver, its bound and the checker agree with booths.rules, on many tiny random halls.

Each case is a hall of 2–6 booths in 1–2 rows (one or two zones, labelled or blank rows, one or
two booth types, some blocked, some zones limited to categories) and 1–4 requests of 1–3 booths,
with or without a booth type, built from random.Random(seed), so a failure names its seed. Every
valid plan under booths.rules is enumerated and scored with score_plan; the solver must find a
plan the checker accepts, a bound no lower than the best plan, and say "optimal" only for it.
"""

import itertools
import random

import pytest

from booths.allocation import BoothSpec, RequestSpec, Rules, allocate, build_objective, check_plan, score_plan
from booths.rules import broken_rules

CASES = 400
SOLVE = {"time_limit": 1.5, "workers": 1}
PROVINCES = ("", "HP", "HN")


def make_hall(rng) -> list[BoothSpec]:
    """2–6 booths in 1–2 rows; a row is one zone's, labelled or blank (blank rows at another y)."""
    mixed = rng.random() < 0.6
    rows = rng.choice((1, 2))
    zones = {1: frozenset(), 2: frozenset()}
    for zone in zones:
        if rng.random() < 0.3:
            zones[zone] = frozenset(rng.sample((1, 2), rng.choice((1, 2))))
    blank = rng.random() < 0.3
    total = rng.randint(max(2, rows), 6)
    sizes = [total] if rows == 1 else [rng.randint(1, total - 1)]
    sizes += [total - sum(sizes)] if rows == 2 else []
    booths, x = [], 0.0
    for row, size in enumerate(sizes):
        zone = 1 if row == 0 or rng.random() < 0.6 else 2
        # A label names one line of its zone (Layout's strips assume a row's booths do not overlap
        # along it); another zone may use it again.
        label = "" if blank else "B" if row and zone == 1 else rng.choice(("A", "B")) if row else "A"
        if not blank:
            x = 0.0  # a blank row goes on where the other ends, at another y: one row only by label
        for _ in range(size):
            width = rng.choice((3.0, 3.0, 3.0, 2.0))
            booths.append(
                BoothSpec(
                    id=len(booths) + 1,
                    code=f"{label or '_'}{len(booths) + 1}",
                    zone_id=zone,
                    row=label,
                    x=x,
                    y=5.0 * row,
                    width=width,
                    booth_type_id=rng.choice((1, 2)) if mixed else 1,
                    blocked=rng.random() < 0.15,
                    zone_categories=zones[zone],
                )
            )
            x += width + rng.choice((0.0, 0.0, 0.0, 0.005, 1.0))  # touching, within 1 cm, or a gap
    return booths


def make_requests(rng) -> list[RequestSpec]:
    return [
        RequestSpec(
            id=rid,
            booths_needed=rng.choice((1, 1, 2, 2, 3)),
            booth_type_id=rng.choice((None, None, 1, 2)),
            category_ids=frozenset(rng.sample((1, 2), rng.choice((0, 1, 1, 2)))),
            zone_ranks=tuple(rng.sample((1, 2), rng.choice((0, 1, 2)))),
            province=rng.choice(PROVINCES),
            ocop_stars=rng.randint(0, 5),
            order=rid,
        )
        for rid in range(1, rng.randint(1, 4) + 1)
    ]


def make_rules(rng) -> Rules:
    if rng.random() < 0.25:
        return Rules(weight_same_province=0, weight_competitors_apart=0)
    return Rules(weight_same_province=rng.choice((1, 2, 5)), weight_competitors_apart=rng.choice((0, 3, 6)))


def valid_sets(booths, request) -> list[tuple]:
    """Every set of booths booths.rules lets the request have."""
    k = request.booths_needed
    return [
        tuple(b.id for b in chosen)
        for chosen in itertools.combinations(booths, k)
        if not broken_rules(chosen, needed=k, booth_type_id=request.booth_type_id, category_ids=request.category_ids)
    ]


def exhaustive_optimum(booths, requests, rules) -> tuple[int, dict]:
    """The best objective over every valid plan (each request placed on a valid set, or not)."""
    objective = build_objective(requests, rules)
    options = [[None, *valid_sets(booths, r)] for r in requests]
    best, best_plan = None, {}
    for choice in itertools.product(*options):
        used = [b for chosen in choice if chosen for b in chosen]
        if len(used) != len(set(used)):
            continue
        plan = {r.id: list(chosen) for r, chosen in zip(requests, choice, strict=True) if chosen}
        value = score_plan(booths, requests, plan, objective).objective
        if best is None or value > best:
            best, best_plan = value, plan
    return best, best_plan


def case(seed):
    rng = random.Random(seed)
    return make_hall(rng), make_requests(rng), make_rules(rng)


@pytest.mark.parametrize("seed", range(CASES))
def test_solver_bound_and_checker_agree_with_exhaustive_search(seed):
    booths, requests, rules = case(seed)
    best, best_plan = exhaustive_optimum(booths, requests, rules)
    plan = allocate(booths, requests, rules=rules, seed=0, **SOLVE)
    where = f"seed {seed}: booths {booths}, requests {requests}, best {best} by {best_plan}, plan {plan.assignments}"
    assert check_plan(booths, requests, {}, plan.assignments) == [], where
    assert plan.objective <= best, where
    assert plan.bound is not None and plan.bound >= best, f"bound {plan.bound} below the optimum; {where}"
    if plan.status == "optimal":
        assert plan.objective == best, where


FEATURES = {
    "one booth type": lambda booths, requests: len({b.booth_type_id for b in booths}) == 1,
    "mixed booth types": lambda booths, requests: len({b.booth_type_id for b in booths}) > 1,
    "blocked booths": lambda booths, requests: any(b.blocked for b in booths),
    "two rows": lambda booths, requests: len({(b.zone_id, b.row, b.y) for b in booths}) > 1,
    "blank row labels": lambda booths, requests: any(not b.row for b in booths),
    "zone categories": lambda booths, requests: any(b.zone_categories for b in booths),
    "requests with a type": lambda booths, requests: any(r.booth_type_id for r in requests),
    "untyped requests of 2+ booths": lambda booths, requests: any(
        r.booth_type_id is None and r.booths_needed > 1 for r in requests
    ),
}


def test_cases_cover_every_kind_of_hall_and_request():
    seen = dict.fromkeys(FEATURES, 0)
    for seed in range(CASES):
        booths, requests, _rules = case(seed)
        for name, present in FEATURES.items():
            seen[name] += present(booths, requests)
    assert [name for name, count in seen.items() if count < CASES // 20] == []
