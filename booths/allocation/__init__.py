"""Automatic booth allocation: a pure function of booths, requests, pinned booths and rules (no ORM,
no Django), returning a plan with its score, the solver's bound, an explanation per request and
the unplaced requests with their reasons.

    plan = allocate(booths, requests, pinned, rules, time_limit=30)
    baseline = fcfs(booths, requests, pinned, rules)
    check_plan(booths, requests, pinned, plan.assignments)  # [] when no hard rule is broken

Hard rules: a booth holds at most one request; a request of k booths gets k adjacent booths in
one row of one zone; its booth type and the zone's categories are respected; blocked booths stay
empty; pinned requests stay where they are. The objective is in objective.py, the model in
solver.py, the order inside a row in order.py.
"""

from .check import KINDS, adjacent_pairs, check_plan, score_plan
from .core import allocate, assess, fcfs
from .data import BoothSpec, Plan, Progress, Reason, RequestSpec, Rules, Score, Violation
from .explain import MESSAGES, describe
from .layout import Layout
from .objective import build_objective

__all__ = [
    "KINDS",
    "MESSAGES",
    "BoothSpec",
    "Layout",
    "Plan",
    "Progress",
    "Reason",
    "RequestSpec",
    "Rules",
    "Score",
    "Violation",
    "adjacent_pairs",
    "allocate",
    "assess",
    "build_objective",
    "check_plan",
    "describe",
    "fcfs",
    "score_plan",
]
