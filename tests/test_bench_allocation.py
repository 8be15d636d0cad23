"""The allocation benchmark's figures from a trace (bench/bench_allocation.py): the preference gap
of a plan and the first time a plan within 1 % was held, on made-up traces (no solver runs)."""

from types import SimpleNamespace

from bench.bench_allocation import preference_gap, seconds_to_within
from booths.allocation.core import TracePoint

BOUND = 10_000
PLAN = SimpleNamespace(score=SimpleNamespace(placed=10))


def point(seconds, placed, preference):
    return TracePoint(seconds=seconds, placed=placed, objective=1000 * placed + preference, preference=preference)


def test_preference_gap_is_the_distance_to_the_bound_in_percent_of_it():
    assert preference_gap(10, 9_750, PLAN, BOUND) == 2.5
    assert preference_gap(10, BOUND, PLAN, BOUND) == 0


def test_preference_gap_of_a_plan_placing_fewer_requests_is_100_percent():
    assert preference_gap(9, BOUND, PLAN, BOUND) == 100.0


def test_seconds_to_within_is_the_first_time_a_plan_within_1_percent_was_held():
    trace = [point(7.5, 10, 9_950), point(2.0, 10, 9_500), point(4.25, 10, 9_900), point(9.0, 10, 9_990)]
    assert seconds_to_within(PLAN, trace, BOUND) == 4.25


def test_seconds_to_within_skips_a_plan_placing_fewer_requests_however_good():
    trace = [point(1.0, 9, BOUND), point(3.0, 10, 9_000), point(6.0, 10, 9_905)]
    assert seconds_to_within(PLAN, trace, BOUND) == 6.0


def test_seconds_to_within_counts_a_plan_placing_more_requests():
    assert seconds_to_within(PLAN, [point(2.0, 11, 9_950)], BOUND) == 2.0


def test_seconds_to_within_is_none_when_no_plan_came_within():
    trace = [point(1.0, 9, BOUND), point(5.0, 10, 9_800)]
    assert seconds_to_within(PLAN, trace, BOUND) is None
    assert seconds_to_within(PLAN, trace, BOUND, percent=2) == 5.0
