"""A bound on the preferences alone, for plans placing at least a given number of requests.

allocate()'s bound is on the whole objective (a fixed weight per placed request, then the
preferences). Taking that weight off for a plan's placements leaves a sound preference bound, but
a loose one: the model's relaxation may place a fraction of a request more than any plan can, and
each such fraction brings a share of the large fixed weight into the bound. Here the same zone
model (solver.ZoneModel) is asked directly: the most the preferences can be worth over plans
placing at least `placed` requests (the fixed weight left out of the objective, the number placed
a constraint). Every such plan is a solution of that model with the same neighbour upper bounds,
so CP-SAT's bound on it is a bound on their preferences.
"""

from ortools.sat.python import cp_model

from .core import _prepare
from .solver import ZoneModel, integer_bound, run_solver

SUBSOLVERS = ("max_lp", "core", "reduced_costs")


def preference_bound(
    booths, requests, pinned=None, rules=None, *, placed, assignments=None, time_limit=10, workers=2, seed=0
):
    """The most the preferences (objective less the fixed weight per placed request) of any plan
    placing at least `placed` requests, pinned ones included, can be worth. None when CP-SAT
    found no solution in `time_limit` seconds, or proved that no plan places that many.
    `assignments`, a plan placing that many, is given as a start (CP-SAT then holds a solution
    and reports its bound)."""
    pinned, layout, objective = _prepare(booths, requests, pinned, rules)
    occupied = {b for booth_ids in pinned.values() for b in booth_ids}
    fixed = sum(1 for booth_ids in pinned.values() if booth_ids)
    model = ZoneModel(layout.runs(occupied), requests, pinned, layout, objective, at_least=max(0, placed - fixed))
    constant = model.constant(pinned) - objective.place * fixed
    if assignments:  # a plan placing that many, as a start: CP-SAT then reports its bound
        run_of_booth = {b: u.index for u in model.runs for b in u.booth_ids}
        model.hint({rid: run_of_booth[ids[0]] for rid, ids in assignments.items() if rid not in pinned and ids})
    solver, status = run_solver(
        model.model, time_limit=time_limit, workers=workers, seed=seed, subsolvers=SUBSOLVERS[:workers]
    )
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID, cp_model.UNKNOWN):
        return None
    return integer_bound(solver.best_objective_bound) + constant
