"""bench/selection_open.py, the self-selection benchmark's open loop, with a fake server (no HTTP):
the schedule's shape, the preference orders, and what each business does with "taken"."""

import random

from bench import selection_open


def test_schedule_puts_the_burst_in_the_first_second_and_the_rest_over_the_period():
    times = selection_open.schedule(random.Random(1), burst=200, arrivals=1000, seconds=60)
    assert len(times) == 1200
    assert times == sorted(times)
    assert sum(1 for t in times if t < 1) >= 200
    assert times[0] >= 0 and times[-1] <= 60
    assert sum(1 for t in times if 30 <= t < 60) > 400  # spread over the minute, not bunched


def test_preferences_are_each_a_whole_order_of_the_booths_and_differ_between_businesses():
    booths = list(range(100, 400))
    orders = selection_open.preferences(random.Random(2), booths, 50)
    assert all(sorted(order) == booths for order in orders)
    assert len({tuple(order[:5]) for order in orders}) == 50


class FakeServer:
    port = 0


def fake_client(taken, free, log):
    class Client:
        def __init__(self, port, business, path):
            self.business = business

        def request(self, method, body=None):
            if method == "GET":
                return 200, {"free": [[pk, f"A{pk}", 1, "A"] for pk in free]}, 1.0
            booth = body["booth_ids"][0]
            log.append((self.business["name"], booth))
            if booth in taken:
                return 409, {"ok": False, "code": "taken"}, 1.0
            taken.add(booth)
            return 200, {"ok": True}, 1.0

        def close(self):
            pass

    return Client


def _run(monkeypatch, orders, *, taken, free, max_taken=5):
    log = []
    monkeypatch.setattr(selection_open, "Client", fake_client(set(taken), free, log))
    businesses = [{"name": f"b{i}"} for i in range(len(orders))]
    result = selection_open.open_loop(
        FakeServer(), businesses, path="/x/", arrivals=[0.0] * len(orders), orders=orders, max_taken=max_taken
    )
    return result, log


def test_open_loop_business_takes_its_first_free_preference_and_the_next_on_taken(monkeypatch):
    # Booth 1 is not free in what it loaded (skipped), 2 answers "taken", 3 is its booth.
    result, log = _run(monkeypatch, [[1, 2, 3, 4]], taken={2}, free=[2, 3, 4])
    assert log == [("b0", 2), ("b0", 3)]
    assert (result["placed"], result["gave_up"], result["taken"], result["requests"]) == (1, 0, 1, 3)


def test_open_loop_business_gives_up_after_five_taken(monkeypatch):
    result, log = _run(monkeypatch, [list(range(1, 10))], taken=set(range(1, 9)), free=list(range(1, 10)))
    assert [booth for _, booth in log] == [1, 2, 3, 4, 5]
    assert (result["placed"], result["gave_up"], result["taken"], result["errors"]) == (0, 1, 5, 0)


def test_open_loop_counts_a_business_that_finds_nothing_free(monkeypatch):
    result, log = _run(monkeypatch, [[1, 2]], taken=set(), free=[])
    assert log == []
    assert (result["placed"], result["no_free"]) == (0, 1)


def test_floor_opening_loads_the_bare_view_then_posts_the_floor_once_with_the_first_preference(monkeypatch):
    calls = []

    class Client:
        def __init__(self, port, business, path):
            self.business, self.path = business, path

        def request(self, method, body=None):
            calls.append((self.business["name"], method, self.path, body))
            return (200, None, 1.0) if method == "GET" else (200, {"ok": True}, 1.0)

        def close(self):
            pass

    monkeypatch.setattr(selection_open, "Client", Client)
    businesses = [{"name": "b0", "application": 7}, {"name": "b1", "application": 8}]
    result = selection_open.floor_loop(
        FakeServer(), businesses, load_path="/bare/", floor_path="/floor/", arrivals=[0.0, 0.0], orders=[[3, 1], [5]]
    )

    assert sorted(calls, key=lambda c: (c[0], c[1])) == [
        ("b0", "GET", "/bare/", None),
        ("b0", "POST", "/floor/", {"booth_ids": [3], "application": 7}),
        ("b1", "GET", "/bare/", None),
        ("b1", "POST", "/floor/", {"booth_ids": [5], "application": 8}),
    ]
    assert (result["requests"], result["errors"]) == (4, 0)
