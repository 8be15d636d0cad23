"""The self-selection benchmark's load: one keep-alive client per business (its browser) and the
two scenarios it runs against the choice API, contention and throughput (bench_selection)."""

import http.client
import json
import math
import queue
import random
import sys
import threading
import time


class Client:
    """One business's browser: a keep-alive connection with its session and CSRF cookies."""

    def __init__(self, port, business, path):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            "Cookie": f"sessionid={business['session']}; csrftoken={business['csrf']}",
            "X-CSRFToken": business["csrf"],
            "Accept": "application/json",
        }
        self.path = path

    def request(self, method, body=None):
        """(status, decoded JSON or None, milliseconds). Status 0: the connection failed."""
        headers = dict(self.headers)
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):  # a keep-alive connection the server closed is retried once
            start = time.perf_counter()
            try:
                self.connection.request(method, self.path, body=body, headers=headers)
                response = self.connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                if attempt == 2:
                    return 0, None, (time.perf_counter() - start) * 1000
                continue
            elapsed = (time.perf_counter() - start) * 1000
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
            return response.status, data, elapsed
        raise AssertionError("unreachable")

    def close(self):
        self.connection.close()


def warm_up(server, businesses, path):
    """Every worker thread loads Django and opens its database connection before timing starts."""
    clients = [Client(server.port, b, path) for b in businesses[: server.workers * server.threads * 2]]
    threads = [threading.Thread(target=lambda c=c: [c.request("GET") for _ in range(3)]) for c in clients]
    _start_and_join(threads)
    for c in clients:
        c.close()


def contend(server, world, *, businesses, booths):
    """`businesses` of the world's, one POST each, at the same moment, over `booths` of its booths
    (200 over 50: each booth wanted by 4)."""
    rng = random.Random(20240604)
    chosen = rng.sample(world["booths"], booths)
    contenders = rng.sample(world["businesses"], businesses)
    warm_up(server, contenders, world["path"])
    wanted = [chosen[i % booths] for i in range(businesses)]
    rng.shuffle(wanted)
    clients = [Client(server.port, b, world["path"]) for b in contenders]
    for c in clients:  # open every connection before the start
        c.connection.connect()
    barrier = threading.Barrier(len(clients))
    answers = []
    guard = threading.Lock()

    def attempt(client, booth):
        barrier.wait()
        status, data, ms = client.request("POST", {"booth_ids": [booth]})
        with guard:
            answers.append((status, data))

    threads = [threading.Thread(target=attempt, args=(c, b)) for c, b in zip(clients, wanted, strict=True)]
    _start_and_join(threads)
    for c in clients:
        c.close()
    won = sum(1 for status, data in answers if status == 200 and data and data.get("ok"))
    taken = sum(1 for status, data in answers if status == 409 and data and data.get("code") == "taken")
    errors = sum(1 for status, _ in answers if status == 0 or status >= 500)
    others = len(answers) - won - taken - errors
    if others:
        print(f"    contention: {others} unexpected answers", file=sys.stderr)
    print(f"    contention: {won} won, {taken} taken, {errors} server errors, {others} other", flush=True)
    return {"won": won, "taken": taken, "errors": errors}


def choose_all(server, world, *, clients, max_tries):
    """Every business loads the free booths and chooses one; `clients` at a time, each business
    giving up after `max_tries` lost races."""
    todo = queue.Queue()
    for business in world["businesses"]:
        todo.put(business)
    posts, loads = [], []
    counts = {"confirmed": 0, "retries": 0, "errors": 0, "gave_up": 0, "other": 0}
    guard = threading.Lock()

    def worker(seed):
        rng = random.Random(seed)
        while True:
            try:
                business = todo.get_nowait()
            except queue.Empty:
                break
            # Each business is its own browser: its own connection, kept alive for its requests.
            client = Client(server.port, business, world["path"])
            try:
                outcome = _choose_one(client, rng, max_tries, posts, loads, guard)
            finally:
                client.close()
            with guard:
                counts[outcome["result"]] += 1
                counts["retries"] += outcome["retries"]

    warm_up(server, world["businesses"], world["path"])
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    _start_and_join(threads)
    elapsed = time.perf_counter() - start
    per_minute = counts["confirmed"] / elapsed * 60
    print(
        f"    throughput: {counts['confirmed']} confirmed in {elapsed:.1f} s ({per_minute:.0f}/min), "
        f"{counts['retries']} retries, {counts['errors']} errors, {counts['gave_up']} gave up, "
        f"{counts['other']} other; POST p50 {_percentile(posts, 50):.0f} ms, p95 {_percentile(posts, 95):.0f} ms; "
        f"GET p50 {_percentile(loads, 50):.0f} ms, p95 {_percentile(loads, 95):.0f} ms",
        flush=True,
    )
    return {
        "per_minute": per_minute,
        "p95_ms": _percentile(posts, 95),
        "load_p95_ms": _percentile(loads, 95),
        "retries": counts["retries"],
        "errors": counts["errors"],
    }


def _choose_one(client, rng, max_tries, posts, loads, guard):
    retries = 0
    for _ in range(max_tries):
        status, data, ms = client.request("GET")
        with guard:
            loads.append(ms)
        if status != 200 or not data or not data.get("free"):
            return {"result": "errors" if status == 0 or status >= 500 else "other", "retries": retries}
        booth = rng.choice(data["free"])[0]  # rows of [id, code, zone, row]
        status, data, ms = client.request("POST", {"booth_ids": [booth]})
        with guard:
            posts.append(ms)
        if status == 200 and data and data.get("ok"):
            return {"result": "confirmed", "retries": retries}
        if status == 409:
            retries += 1
            continue
        return {"result": "errors" if status == 0 or status >= 500 else "other", "retries": retries}
    return {"result": "gave_up", "retries": retries}


def _start_and_join(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _percentile(values, p):
    """Nearest-rank percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def post_each(server, world, *, path, body, clients, businesses=None):
    """Every business (of `businesses`, the world's by default) POSTs `body(index, business)` to
    `path` once, from its own connection, `clients` at a time: the write rounds of
    selection_write_ratio (the choice endpoint, and the floor view with the same body).
    {"per_second": answers {"ok": true} per second of the round, "ok", "errors", "other", "p95_ms"}."""
    businesses = businesses if businesses is not None else world["businesses"]
    todo = queue.Queue()
    for item in enumerate(businesses):
        todo.put(item)
    times = []
    counts = {"ok": 0, "errors": 0, "other": 0}
    guard = threading.Lock()

    def worker():
        while True:
            try:
                index, business = todo.get_nowait()
            except queue.Empty:
                break
            client = Client(server.port, business, path)
            try:
                status, data, ms = client.request("POST", body(index, business))
            finally:
                client.close()
            outcome = "ok" if status == 200 and data and data.get("ok") else "other"
            if status == 0 or status >= 500:
                outcome = "errors"
            with guard:
                times.append(ms)
                counts[outcome] += 1

    start = time.perf_counter()
    _start_and_join([threading.Thread(target=worker) for _ in range(clients)])
    elapsed = time.perf_counter() - start
    return {**counts, "per_second": counts["ok"] / elapsed, "p95_ms": _percentile(times, 95)}
