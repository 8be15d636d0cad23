"""Concurrent booth self-selection over HTTP: gunicorn and PostgreSQL on 127.0.0.1.

A fair that lets participants pick their booths (1,200 standard booths in 10 zones, rows of 20)
and 1,000 approved businesses, each with an account logged in through a session made directly in
the database (session cookie + CSRF cookie and header, as the page's script sends them). The
site runs under gunicorn with production-like settings (DEBUG off, whitenoise's manifest, no
HTTPS redirect since there is no proxy here). Clients are stdlib threads in this process, each
business with its own keep-alive connection.

1. Contention: 200 businesses choose among the same 50 booths at once (every booth wanted by 4),
   one POST each. Expected: 50 winners (200), 150 "taken" (409), nothing else.
2. Throughput: the 1,000 businesses, 32 at a time, each from its own connection (its browser),
   load the free booths (GET, the JSON the page's script reads), pick one at random and POST
   it; a 409 means "load again and pick another".
   selection_per_minute counts confirmed choices over the whole run's wall time (loads
   included); selection_p95_ms is the 95th percentile of the choice POSTs.

After both: selection_double_bookings (booths with more than one held/confirmed assignment)
and selection_server_errors (5xx answers and failed connections, both scenarios).
Data carry their own slug, usernames and tax-code prefix and are deleted before and after.

gunicorn runs 2 gthread workers (one per core) of 8 threads (to cover the database waits):
on this 2-core machine 3×4, 3×8, 4×8 and 2×16 gave the same throughput within the noise and a
p95 no better. Override with BENCH_SELECTION_WORKERS and BENCH_SELECTION_THREADS.

The 32 clients send their next request as soon as the last one is answered (no think time), so
by Little's law the mean latency is 32 ÷ the request rate: p95 ≤ 500 ms needs well over 100
requests a second (a load and a choice per business) from two cores shared by gunicorn,
PostgreSQL and these clients.
"""

import http.client
import json
import math
import os
import queue
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from bench import fixtures
from bench.run import figure
from booths.models import Assignment, AssignmentChange
from vendors.models import Application, Vendor, VendorMember

BENCHMARK = "selection"  # its tax-code prefix: fixtures.TAX_PREFIXES
SLUG = "bench-selection"
VENDOR_NAME = "Công ty TNHH Bench chọn gian"
USER_PREFIX = "bench-selection-"
SESSION_PREFIX = "benchsel"
ZONES, ROWS, PER_ROW = 10, 6, 20  # 1,200 booths
BUSINESSES = 1000
CONTENTION_BUSINESSES, CONTENTION_BOOTHS = 200, 50
CLIENTS = 32
MAX_TRIES = 10
WORKERS = int(os.environ.get("BENCH_SELECTION_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_SELECTION_THREADS", "8"))


def run(ctx):
    cleanup()
    try:
        world = build()
        with Server(ctx) as server:
            contention = contend(server, world)
            reset()
            throughput = choose_all(server, world)
        double_bookings, overbooked = check_database()
    finally:
        cleanup()
    errors = contention["errors"] + throughput["errors"]
    return [
        figure("selection_double_bookings", double_bookings, "booths", target=("<=", 0)),
        figure("selection_server_errors", errors, "answers", target=("<=", 0)),
        figure("selection_per_minute", round(throughput["per_minute"]), "choices/min", target=(">=", 1800)),
        figure("selection_p95_ms", round(throughput["p95_ms"], 1), "ms", target=("<=", 500)),
        figure(
            "selection_contention_winners",
            contention["won"],
            "businesses",
            target=f"= {CONTENTION_BOOTHS}",
            met=contention["won"] == CONTENTION_BOOTHS,
        ),
        figure(
            "selection_contention_taken",
            contention["taken"],
            "answers",
            target=f"= {CONTENTION_BUSINESSES - CONTENTION_BOOTHS}",
            met=contention["taken"] == CONTENTION_BUSINESSES - CONTENTION_BOOTHS,
        ),
        figure("selection_overbooked_applications", overbooked, "applications", target=("<=", 0)),
        figure("selection_load_p95_ms", round(throughput["load_p95_ms"], 1), "ms"),
        figure("selection_retries", throughput["retries"], "409 answers"),
    ]


# --- data ---------------------------------------------------------------------------------


def build():
    """The fair, its booths and the businesses with their sessions. Returns what the clients need."""
    hall = fixtures.Hall(ZONES, ROWS * PER_ROW, per_row=PER_ROW, paired_rows=False)
    event = fixtures.fair(
        SLUG, organiser=fixtures.organiser(), phase="selection", name="Bench self-selection", **hall.size()
    )
    standard = fixtures.standard_booth_type(event)
    booths = hall.booths(event, fixtures.zones(event, ZONES), standard)
    unusable = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{USER_PREFIX}{i}", email=f"{USER_PREFIX}{i}@example.vn", password=unusable)
        for i in range(BUSINESSES)
    )
    vendors = fixtures.businesses(
        BENCHMARK,
        BUSINESSES,
        lambda i, _n, _tax_code: {"name": f"{VENDOR_NAME} {i}", "kind": Vendor.Kind.DN, "province_id": "31"},
        valid_tax_codes=True,
    )
    VendorMember.objects.bulk_create(VendorMember(vendor=v, user=u) for v, u in zip(vendors, users, strict=True))
    applications = fixtures.applications(event, vendors, booth_type=standard, booths_requested=1)
    store, expiry = SessionStore(), timezone.now() + timedelta(days=1)
    businesses = []
    sessions = []
    for user, application in zip(users, applications, strict=True):
        key = SESSION_PREFIX + get_random_string(32 - len(SESSION_PREFIX), "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expiry))
        businesses.append({"application": application.pk, "session": key, "csrf": get_random_string(32)})
    Session.objects.bulk_create(sessions)
    # The database as a rush would find it on a running site, where autovacuum has long visited
    # these tables: statistics that know the new rows, and none of the dead rows the benchmarks
    # before this one left behind (after the 10,000 reminders the load of the free booths ran at
    # half speed without this).
    fixtures.analyze(vacuum=True)
    return {"booths": [b.pk for b in booths], "businesses": businesses}


def reset():
    """Between the scenarios: every booth free again."""
    AssignmentChange.objects.filter(event__slug=SLUG).delete()
    Assignment.objects.filter(booth__event__slug=SLUG).delete()


def check_database():
    """(booths with more than one active assignment, applications holding more booths than approved)."""
    active = Assignment.objects.filter(booth__event__slug=SLUG, status__in=Assignment.ACTIVE)
    doubled = active.values("booth").annotate(n=Count("id")).filter(n__gt=1).count()
    overbooked = (
        Application.objects.filter(event__slug=SLUG)
        .annotate(n=Count("assignments", filter=Q(assignments__status__in=Assignment.ACTIVE)))
        .filter(n__gt=F("booths_requested"))
        .count()
    )
    return doubled, overbooked


def cleanup():
    fixtures.delete_fairs(SLUG)
    fixtures.delete_businesses(BENCHMARK, name__startswith=VENDOR_NAME)
    fixtures.delete_accounts(USER_PREFIX, SESSION_PREFIX)


# --- the server ---------------------------------------------------------------------------


class Server:
    """gunicorn (gthread workers by default) with DEBUG off, on a free port of 127.0.0.1; always
    stopped. Other benchmarks choose the worker class, counts and a settings module of their own."""

    def __init__(self, ctx, *, worker_class="gthread", workers=None, threads=None, settings=None):
        self.ctx = ctx
        self.worker_class, self.settings = worker_class, settings
        self.workers = workers or WORKERS
        self.threads = threads or THREADS
        self.port = _free_port()
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-selection-")
        self.log = Path(self.tmp.name) / "gunicorn.log"
        self.process = None

    def __enter__(self):
        from django.conf import settings

        env = {
            **self.ctx.env,
            "DEBUG": "off",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions were signed with it
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "off",
            "SECURE_COOKIES": "off",
            "STATIC_ROOT": str(Path(self.tmp.name) / "static"),
            "LOG_LEVEL": "WARNING",
            **({"DJANGO_SETTINGS_MODULE": self.settings} if self.settings else {}),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=self.ctx.root,
            env=env,
            check=True,
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "tuanhang.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--keep-alive",
            "30",
        ]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            command, cwd=self.ctx.root, env=env, stdout=self._log_file, stderr=self._log_file
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within a minute")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log_file", None):
            self._log_file.close()
            tail = self.log.read_text(errors="replace")
            if "Traceback" in tail:
                print(tail[-4000:], file=sys.stderr)
        self.tmp.cleanup()
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One business's browser: a keep-alive connection with its session and CSRF cookies."""

    def __init__(self, port, business):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            "Cookie": f"sessionid={business['session']}; csrftoken={business['csrf']}",
            "X-CSRFToken": business["csrf"],
            "Accept": "application/json",
        }
        self.path = f"/fairs/{SLUG}/booths/choose/api/"

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


# --- the scenarios ------------------------------------------------------------------------


def warm_up(server, businesses):
    """Every worker thread loads Django and opens its database connection before timing starts."""
    clients = [Client(server.port, b) for b in businesses[: WORKERS * THREADS * 2]]
    threads = [threading.Thread(target=lambda c=c: [c.request("GET") for _ in range(3)]) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in clients:
        c.close()


def contend(server, world):
    """200 businesses, one POST each, at the same moment, over 50 booths (4 per booth)."""
    rng = random.Random(20240604)
    booths = rng.sample(world["booths"], CONTENTION_BOOTHS)
    contenders = rng.sample(world["businesses"], CONTENTION_BUSINESSES)
    warm_up(server, contenders)
    wanted = [booths[i % CONTENTION_BOOTHS] for i in range(CONTENTION_BUSINESSES)]
    rng.shuffle(wanted)
    clients = [Client(server.port, b) for b in contenders]
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
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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


def choose_all(server, world):
    """Every business loads the free booths and chooses one; 32 clients at a time."""
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
            client = Client(server.port, business)
            try:
                outcome = _choose_one(client, rng, posts, loads, guard)
            finally:
                client.close()
            with guard:
                counts[outcome["result"]] += 1
                counts["retries"] += outcome["retries"]

    warm_up(server, world["businesses"])
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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


def _choose_one(client, rng, posts, loads, guard):
    retries = 0
    for _ in range(MAX_TRIES):
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


def _percentile(values, p):
    """Nearest-rank percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
