"""The self-selection benchmark's open loop: businesses arrive when a schedule says, not when the
server has answered the one before (bench_selection).

An opening: `burst` businesses in the first second and `arrivals` more over `seconds` seconds, a
Poisson process (given how many arrive, a Poisson process's arrival times are that many uniform
draws over the period, sorted). Each business has its own preference order over the fair's booths
(popular booths more likely near the top). On arrival it loads the free booths (GET, as the page's
script does), POSTs the first free booth of its preferences and, on "taken" (409), the next one
that was free in what it loaded; after `max_taken` "taken" answers it gives up.

Latency is measured from when each request should have been sent: a business's load from its
scheduled arrival, so a server (or a client thread) that falls behind the schedule shows as
latency instead of slowing the arrivals down (no coordinated omission); each choice POST from the
answer before it, since a business sends it at once.

The floor opening (`floor_loop`) is the control: the same arrivals against the two cheapest
requests the server can answer through the same middleware, a GET of the bare view for the load
and one POST of the floor view (lock one booth row, insert one row) for the choice. Its p99 is
what any choice path would reach on this machine at best; the opening's p99 is read against it.
"""

import threading
import time

from bench.selection_load import Client, _percentile


def schedule(rng, *, burst, arrivals, seconds) -> list[float]:
    """Arrival times in seconds from the opening, sorted."""
    times = [rng.uniform(0, 1) for _ in range(burst)] + [rng.uniform(0, seconds) for _ in range(arrivals)]
    return sorted(times)


def preferences(rng, booth_ids, businesses) -> list[list[int]]:
    """For each business, every booth in its order of preference. Booths get a popularity rank at
    random; a business draws its order without replacement with weights 1 / (1 + rank / 50)
    (Efraimidis–Spirakis keys), so the same few dozen booths head most lists."""
    ranked = list(booth_ids)
    rng.shuffle(ranked)
    exponents = [1 + rank / 50 for rank in range(len(ranked))]  # 1 / weight
    orders = []
    for _ in range(businesses):
        keyed = sorted(zip((rng.random() ** e for e in exponents), ranked, strict=True), reverse=True)
        orders.append([booth for _key, booth in keyed])
    return orders


def open_loop(server, businesses, *, path, arrivals, orders, max_taken):
    """Run the opening: businesses[i] arrives at arrivals[i] (seconds) with preferences orders[i].
    Returns {"p99_ms": over every request, "visit_p99_ms": arrival to the last answer, "placed",
    "gave_up", "no_free", "errors", "other", "taken", "requests", "late_ms": the worst delay of a
    business's start behind its schedule}."""
    latencies, visits = [], []
    counts = {"placed": 0, "gave_up": 0, "no_free": 0, "errors": 0, "other": 0, "taken": 0, "late_ms": 0.0}
    guard = threading.Lock()

    def visit(business, due, order):
        late = (time.perf_counter() - due) * 1000
        client = Client(server.port, business, path)
        times, outcome, taken = [], "other", 0
        try:
            status, data, _ms = client.request("GET")
            times.append((time.perf_counter() - due) * 1000)  # from the scheduled arrival
            if status == 200 and data and "free" in data:
                free = {row[0] for row in data["free"]}
                candidates = [booth for booth in order if booth in free]
                outcome = "no_free" if not candidates else "gave_up"
                for booth in candidates:
                    status, data, ms = client.request("POST", {"booth_ids": [booth]})
                    times.append(ms)  # sent as soon as the answer before it came
                    if status == 409:
                        taken += 1
                        if taken < max_taken:
                            continue
                        outcome = "gave_up"
                    elif status == 200 and data and data.get("ok"):
                        outcome = "placed"
                    else:
                        outcome = "errors" if status == 0 or status >= 500 else "other"
                    break
            elif status == 0 or status >= 500:
                outcome = "errors"
        finally:
            client.close()
        with guard:
            latencies.extend(times)
            visits.append((time.perf_counter() - due) * 1000)
            counts[outcome] += 1
            counts["taken"] += taken
            counts["late_ms"] = max(counts["late_ms"], late)

    _arrive(visit, businesses, arrivals, orders)
    return {
        **counts,
        "p99_ms": _percentile(latencies, 99),
        "p50_ms": _percentile(latencies, 50),
        "visit_p99_ms": _percentile(visits, 99),
        "requests": len(latencies),
    }


def floor_loop(server, businesses, *, load_path, floor_path, arrivals, orders):
    """The control opening: businesses[i] arrives at arrivals[i], GETs `load_path` (the bare view)
    and POSTs `floor_path` (the floor view) with its first preference. Returns {"p99_ms", "p50_ms",
    "errors", "requests"} timed as in open_loop."""
    latencies, counts = [], {"errors": 0}
    guard = threading.Lock()

    def visit(business, due, order):
        client = Client(server.port, business, load_path)
        times, failed = [], False
        try:
            status, _data, _ms = client.request("GET")
            times.append((time.perf_counter() - due) * 1000)
            failed = status != 200
            if not failed:
                client.path = floor_path
                status, _data, ms = client.request(
                    "POST", {"booth_ids": [order[0]], "application": business["application"]}
                )
                times.append(ms)
                failed = status != 200
        finally:
            client.close()
        with guard:
            latencies.extend(times)
            counts["errors"] += failed

    _arrive(visit, businesses, arrivals, orders)
    return {
        **counts,
        "p99_ms": _percentile(latencies, 99),
        "p50_ms": _percentile(latencies, 50),
        "requests": len(latencies),
    }


def _arrive(visit, businesses, arrivals, orders):
    """Start visit(business, due, order) in a thread of its own at each arrival; wait for all."""
    threads = []
    start = time.perf_counter() + 0.5  # every thread is started by this one, after the opening is set
    for business, offset, order in zip(businesses, arrivals, orders, strict=True):
        due = start + offset
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        thread = threading.Thread(target=visit, args=(business, due, order))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
