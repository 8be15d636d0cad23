"""The allocation algorithm on its own (booths.allocation is pure: no database here)."""

import pytest

from booths.allocation import (
    BoothSpec,
    Reason,
    RequestSpec,
    Rules,
    allocate,
    check_plan,
    describe,
    fcfs,
)
from booths.allocation.solver import integer_bound

FAST = {"time_limit": 5, "workers": 1}


def row(zone, label, count, first_id, *, x0=0.0, width=3.0, type_id=1, blocked=(), categories=frozenset()):
    """`count` touching booths in one row, ids first_id…, codes <label><n>."""
    return [
        BoothSpec(
            id=first_id + i,
            code=f"{label}{i + 1}",
            zone_id=zone,
            row=label,
            x=x0 + i * width,
            width=width,
            booth_type_id=type_id,
            blocked=(first_id + i) in blocked,
            zone_categories=frozenset(categories),
        )
        for i in range(count)
    ]


def request(rid, booths=1, **fields):
    fields.setdefault("order", rid)
    return RequestSpec(id=rid, booths_needed=booths, **fields)


def codes(booths, plan, rid):
    by_id = {b.id: b.code for b in booths}
    return [by_id[b] for b in plan.assignments[rid]]


# --- hard rules -------------------------------------------------------------------------------


def test_allocate_two_booth_request_gets_two_adjacent_booths_of_one_row():
    # Row A has room for two booths only with an aisle between them; row B has two touching booths.
    booths = [*row(1, "A", 1, 1), *row(1, "A", 1, 2, x0=9.0), *row(1, "B", 2, 3)]
    plan = allocate(booths, [request(1, booths=2)], **FAST)
    assert codes(booths, plan, 1) == ["B1", "B2"]
    assert plan.hard_violations == 0


def test_allocate_three_booth_request_skips_the_run_broken_by_a_blocked_booth():
    booths = row(1, "A", 6, 1, blocked={3})
    plan = allocate(booths, [request(1, booths=3)], **FAST)
    assert codes(booths, plan, 1) == ["A4", "A5", "A6"]


def test_allocate_keeps_booth_type_zone_categories_and_blocked_booths():
    booths = [
        *row(1, "A", 2, 1, type_id=1, blocked={2}),
        *row(2, "B", 1, 3, type_id=2, categories={5}),
        *row(3, "C", 1, 4, type_id=2, categories={6}),
    ]
    requests = [
        request(1, booth_type_id=2, category_ids=frozenset({6}), zone_ranks=(2, 1)),
        request(2, category_ids=frozenset({5}), zone_ranks=(3, 2)),
    ]
    plan = allocate(booths, requests, **FAST)
    # 1 wants zone 2 but zone 2 takes category 5 only; type 2 leaves zone 3.
    assert codes(booths, plan, 1) == ["C1"]
    # 2 wants zone 3 (taken, and not its category): zone 2 takes it; A2 is blocked.
    assert codes(booths, plan, 2) == ["B1"]
    assert plan.hard_violations == 0


def test_allocate_keeps_pinned_booths_and_gives_them_to_nobody_else():
    booths = row(1, "A", 3, 1)
    requests = [request(1, zone_ranks=(1,)), request(2, booths=2, zone_ranks=(1,))]
    plan = allocate(booths, requests, pinned={1: [2]}, **FAST)
    assert plan.assignments[1] == [2]
    assert 2 not in plan.assignments  # A1 and A3 are not adjacent once A2 is pinned
    assert plan.unplaced[2] == Reason("no_adjacent", {"count": 2})
    assert plan.explanations[1][0].code == "pinned"


def test_allocate_gives_a_request_without_a_type_booths_of_one_type_only():
    # A1 (type 1) and A2 (type 2) touch, but a request's booths are all of one type (booths.rules).
    booths = [*row(1, "A", 1, 1, type_id=1), *row(1, "A", 1, 2, x0=3.0, type_id=2), *row(1, "B", 2, 3, type_id=2)]
    plan = allocate(booths, [request(1, booths=2)], **FAST)
    assert codes(booths, plan, 1) == ["B1", "B2"]
    plan = allocate(booths[:2], [request(1, booths=2)], **FAST)
    assert plan.assignments == {}
    assert plan.unplaced == {1: Reason("no_adjacent", {"count": 2})}
    assert (plan.status, plan.bound) == ("optimal", 0)


def test_allocate_blank_row_labels_are_one_row_only_at_the_same_y():
    booths = [
        BoothSpec(id=1, code="P1", zone_id=1, row="", x=0.0, y=0.0),
        BoothSpec(id=2, code="P2", zone_id=1, row="", x=3.0, y=4.0),  # touches P1 along x, one line down
        BoothSpec(id=3, code="P3", zone_id=1, row="", x=6.0, y=4.0),
    ]
    plan = allocate(booths, [request(1, booths=2)], **FAST)
    assert codes(booths, plan, 1) == ["P2", "P3"]
    assert [v.kind for v in check_plan(booths, [request(1, booths=2)], {}, {1: [1, 2]})] == ["not_adjacent"]


def test_integer_bound_takes_cp_sat_float_bound_down_to_the_integer():
    assert integer_bound(8052.999999999999) == 8053
    assert integer_bound(8053.0) == 8053
    assert integer_bound(8052.5) == 8052
    assert integer_bound(-0.0000000001) == 0


def test_allocate_refuses_pinned_request_missing_from_requests():
    with pytest.raises(ValueError, match="pinned requests must be among the requests"):
        allocate(row(1, "A", 2, 1), [request(1)], pinned={9: [1]}, **FAST)


# --- preferences ------------------------------------------------------------------------------


def test_allocate_gives_the_wanted_zone_to_the_higher_priority_request():
    booths = [*row(1, "A", 1, 1), *row(2, "B", 1, 2)]
    requests = [
        request(1, zone_ranks=(1, 2), order=1),
        request(2, zone_ranks=(1, 2), order=2, ocop_stars=5),
    ]
    plan = allocate(booths, requests, **FAST)
    assert codes(booths, plan, 2) == ["A1"]
    assert codes(booths, plan, 1) == ["B1"]
    assert [r.code for r in plan.explanations[1]] == ["zone_choice", "better_full", "booth"]
    assert plan.explanations[1][0].params == {"zone": 2, "rank": 2}
    assert plan.explanations[2][0] == Reason("zone_choice", {"zone": 1, "rank": 1})


def test_allocate_puts_businesses_of_one_province_side_by_side():
    booths = row(1, "A", 4, 1)
    requests = [
        request(1, province="31"),
        request(2, province="01"),
        request(3, province="31"),
        request(4, province="01"),
    ]
    plan = allocate(booths, requests, rules=Rules(weight_competitors_apart=0), **FAST)
    assert plan.score.same_province_pairs == 2
    neighbours = {r.code for r in plan.explanations[1]}
    assert "same_province" in neighbours
    assert plan.gap == 0


def test_allocate_keeps_competitors_apart():
    booths = row(1, "A", 3, 1)
    requests = [
        request(1, category_ids=frozenset({1})),
        request(2, category_ids=frozenset({1})),
        request(3, category_ids=frozenset({2})),
    ]
    plan = allocate(booths, requests, **FAST)
    assert plan.assignments[3] == [2]  # the one that competes with nobody stands in the middle
    assert plan.score.competitor_pairs == 0


def test_allocate_places_more_requests_than_first_come_first_served_when_booths_are_short():
    booths = row(1, "A", 3, 1)
    requests = [request(1, booths=3, order=1), request(2, order=2), request(3, order=3), request(4, order=4)]
    baseline = fcfs(booths, requests)
    plan = allocate(booths, requests, **FAST)
    assert baseline.assignments == {1: [1, 2, 3]}
    assert sorted(plan.assignments) == [2, 3, 4]
    assert plan.unplaced[1] == Reason("full")
    assert plan.status == "optimal"
    assert plan.bound == plan.objective


def test_allocate_reports_progress_up_to_100():
    seen = []
    allocate(row(1, "A", 2, 1), [request(1)], progress=seen.append, **FAST)
    assert seen[-1].percent == 100
    assert seen[-1].objective is not None


def test_allocate_bound_is_never_below_the_plan():
    booths = [*row(1, "A", 6, 1, blocked={4}), *row(2, "B", 5, 7, categories={1}), *row(2, "C", 4, 12)]
    requests = [
        request(i, booths=1 + i % 3, province=str(i % 3), category_ids=frozenset({i % 4}), zone_ranks=(1 + i % 2,))
        for i in range(1, 11)
    ]
    plan = allocate(booths, requests, **FAST)
    assert plan.hard_violations == 0
    assert plan.bound >= plan.objective
    assert check_plan(booths, requests, {}, plan.assignments) == []


# --- why not placed ---------------------------------------------------------------------------


def test_unplaced_requests_get_the_reason():
    booths = [*row(1, "A", 2, 1, categories={1}), *row(2, "B", 1, 3, type_id=2, categories={9})]
    requests = [
        request(1, category_ids=frozenset({9}), booth_type_id=1),  # only zone 2 takes category 9: type 2 there
        request(2, category_ids=frozenset({1}), booths=3),  # zone 1 has only two booths in a row
        request(3, category_ids=frozenset({9}), booth_type_id=2),
        request(4, category_ids=frozenset({9}), booth_type_id=2),  # same booth as 3, registered later
    ]
    booths.append(BoothSpec(id=9, code="Z1", zone_id=3, row="Z", x=0, blocked=True, zone_categories=frozenset({7})))
    requests.append(request(5, category_ids=frozenset({8})))
    plan = allocate(booths, requests, **FAST)
    assert plan.unplaced == {
        1: Reason("no_booth_type"),
        2: Reason("no_adjacent", {"count": 3}),
        4: Reason("full"),
        5: Reason("no_zone"),
    }
    assert plan.assignments == {3: [3]}


def test_describe_turns_a_reason_into_text_with_labels():
    text = describe(
        Reason("zone_choice", {"zone": 2, "rank": 1}),
        zone=lambda zone_id: {2: "B – Khu OCOP"}[zone_id],
    )
    assert text == "Zone B – Khu OCOP, its choice no. 1."
    assert describe(Reason("booths", {"booths": [4, 5], "row": "A"}), booths=lambda ids: "A04–A05") == (
        "Booths A04–A05 in row A."
    )


# --- the checker ------------------------------------------------------------------------------


@pytest.fixture
def hall():
    booths = [
        *row(1, "A", 3, 1, blocked={3}),
        *row(2, "B", 2, 4, type_id=2, categories={1}),
        *row(1, "C", 2, 6),
    ]
    requests = [
        request(1),
        request(2, booths=2),
        request(3, booth_type_id=1, category_ids=frozenset({1})),
        request(4, category_ids=frozenset({2})),
        request(5),
    ]
    return booths, requests


@pytest.mark.parametrize(
    ("assignments", "pinned", "expected"),
    [
        ({1: [1]}, {}, []),
        ({1: [1], 5: [1]}, {}, [("double_booking", 5, (1,))]),
        ({1: [99]}, {}, [("unknown_booth", 1, (99,))]),
        ({1: [3]}, {}, [("blocked", 1, (3,))]),
        ({2: [1]}, {}, [("booth_count", 2, (1,))]),
        ({2: [1, 6]}, {}, [("not_adjacent", 2, (1, 6))]),
        ({2: [2, 3]}, {}, [("blocked", 2, (3,))]),
        ({3: [4]}, {}, [("booth_type", 3, (4,))]),
        ({4: [5]}, {}, [("zone_category", 4, (5,))]),
        ({1: [2]}, {1: [1]}, [("pinned_moved", 1, (2,))]),
        ({}, {1: [1]}, [("pinned_moved", 1, (1,))]),
        ({8: [1]}, {}, [("unknown_request", 8, (1,))]),
    ],
)
def test_check_plan_finds_each_broken_rule(hall, assignments, pinned, expected):
    booths, requests = hall
    found = check_plan(booths, requests, pinned, assignments)
    assert [(v.kind, v.request_id, v.booth_ids) for v in found] == expected


def test_check_plan_refuses_two_booth_types_for_a_request_that_names_none():
    booths = [*row(1, "A", 1, 1, type_id=1), *row(1, "A", 1, 2, x0=3.0, type_id=2)]
    found = check_plan(booths, [request(1, booths=2)], {}, {1: [2, 1]})
    assert [(v.kind, v.request_id, v.booth_ids) for v in found] == [("mixed_types", 1, (2, 1))]
    typed = check_plan(booths, [request(1, booths=2, booth_type_id=1)], {}, {1: [1, 2]})
    assert [(v.kind, v.request_id, v.booth_ids) for v in typed] == [("booth_type", 1, (2,))]


def test_check_plan_accepts_adjacent_booths_given_in_any_order(hall):
    booths, requests = hall
    assert check_plan(booths, requests, {}, {2: [7, 6]}) == []


# --- first come, first served ----------------------------------------------------------------


def test_fcfs_serves_in_registration_order_each_its_best_zone_with_room():
    booths = [*row(1, "A", 2, 1), *row(2, "B", 3, 3)]
    requests = [
        request(1, booths=2, zone_ranks=(1,), order=3),
        request(2, zone_ranks=(1, 2), order=1),
        request(3, zone_ranks=(1,), order=2),
        request(4, booths=2, zone_ranks=(2,), order=4),
    ]
    plan = fcfs(booths, requests)
    # 2 and 3 (earliest) take zone 1; 1 finds zone 1 full and takes the first two free in zone 2;
    # 4 then finds only one booth left in zone 2.
    assert plan.assignments == {2: [1], 3: [2], 1: [3, 4]}
    assert plan.unplaced == {4: Reason("full")}
    assert plan.status == "fcfs"
    assert (plan.bound, plan.gap) == (None, None)
    assert plan.score.first_choice == 2
    assert plan.hard_violations == 0


# --- the trace of improving plans ---------------------------------------------------------------


def traced_instance():
    booths = [*row(1, "A", 6, 1, blocked={4}), *row(2, "B", 5, 7, categories={1}), *row(2, "C", 4, 12)]
    requests = [
        request(i, booths=1 + i % 3, province=str(i % 3), category_ids=frozenset({i % 4}), zone_ranks=(1 + i % 2,))
        for i in range(1, 11)
    ]
    return booths, requests


def test_allocate_trace_ends_with_the_plan_it_returns():
    booths, requests = traced_instance()
    trace = []
    plan = allocate(booths, requests, trace=trace, **FAST)
    last = trace[-1]
    assert (last.seconds, last.placed, last.objective, last.preference) == (
        plan.seconds,
        plan.score.placed,
        plan.objective,
        plan.score.preference,
    )


def test_allocate_trace_holds_whole_plans_scored_from_scratch():
    booths, requests = traced_instance()
    trace = []
    plan = allocate(booths, requests, trace=trace, **FAST)
    stage_points = trace[:-1]
    assert stage_points, "every improving stage-1 solution is recorded"
    weight = plan.objective - plan.score.preference
    per_placed = weight // plan.score.placed
    for point in stage_points:
        assert 0 < point.seconds <= plan.seconds
        assert point.placed <= len(requests)
        # scored by score_plan: the fixed weight per placed request plus the preferences
        assert point.objective == per_placed * point.placed + point.preference
        assert point.objective <= plan.bound
