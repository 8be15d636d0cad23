"""Concurrent booth self-selection over HTTP: gunicorn and PostgreSQL on 127.0.0.1.

A fair that lets participants pick their booths (1,200 standard booths in 10 zones, rows of 20)
and 1,200 approved businesses, each with an account logged in through a session made directly in
the database (session cookie + CSRF cookie and header, as the page's script sends them). The
site runs under gunicorn with production-like settings and the benchmarks' URL configuration
(bench/public_urls.py: the project's URLs and the floor view). Clients are stdlib threads in this
process, each business with its own keep-alive connection.

1. Open loop, the opening (bench/selection_open.py), first, on the database as the benchmarks
   before this one left it (no VACUUM, no ANALYZE: as autovacuum happens to have it): 200
   businesses arrive in the first second and 1,000 more over 60 s (Poisson), each loading the
   free booths and taking the first free booth of its own preference order, the next on "taken",
   giving up after 5 "taken". Latency is measured from when a request should have been sent (a
   business's load from its scheduled arrival), so the server falling behind cannot slow the
   arrivals (no coordinated omission). OPEN_RUNS runs (every booth freed between them):
   selection_open_p99_ms (over every request of the opening), selection_open_visit_p99_ms (arrival
   to the last answer), selection_open_errors (5xx and failed connections, all runs),
   selection_open_gave_up (worst run). The control (OPEN_FLOOR_RUNS, 1, after the first
   opening's schedule is drawn and on the same arrivals): each business GETs the bare view and
   POSTs the floor view once; selection_open_floor_p99_ms is the least p99 any choice path could
   have on this machine under that burst.
2. Contention (after a VACUUM ANALYZE, as autovacuum would have left the tables of a running site:
   docs/DECISIONS.md 2026-12-03): 200 businesses choose among the same 50 booths at once (every
   booth wanted by 4), one POST each. Expected: 50 winners (200), 150 "taken" (409), nothing else.
3. Five rounds, every booth freed before each step, of:
   - floor: 1,000 businesses, 32 at a time, each POST once to the floor view (/bench/floor/, only
     in the benchmarks' URLs: it locks the booth's row and inserts one booth-change row in a
     transaction, through the same middleware: the least any choice must pay) with the body of a
     choice of a booth of its own;
   - write: the same POSTs to the choice endpoint (a booth of its own each, so all succeed);
     selection_write_ratio is write ÷ floor answers per second of the same round (target ≥ 0.5);
   - throughput (closed loop): the 1,000 businesses, 32 at a time, each from its own connection
     (its browser), load the free booths (GET, the JSON the page's script reads), pick one at
     random and POST it; a 409 means "load again and pick another". selection_per_minute counts
     confirmed choices over the run's wall time (loads included); selection_p95_ms is the 95th
     percentile of the choice POSTs, selection_load_p95_ms that of the loads.
   Each is published as the median of the rounds with its min and max.

After each scenario and run, from the database: selection_double_bookings (booths with more than
one held/confirmed assignment), selection_overbooked_applications and, after each throughput run,
selection_unplaced (of the run's businesses, those left without a booth although 1,200 booths
wait for 1,000); the worst is published. selection_server_errors counts 5xx answers and failed
connections over contention, write, floor and throughput, selection_retries the 409 answers of
the throughput runs. Data carry their own slug, usernames and tax-code prefix and are deleted
before and after.

gunicorn runs 2 gthread workers (one per core) of 8 threads (bench/server.py); override with
BENCH_SELECTION_WORKERS and BENCH_SELECTION_THREADS, and the open-loop runs with
BENCH_SELECTION_OPEN_RUNS. The clients and scenarios are in bench/selection_load.py and
bench/selection_open.py. What was tried and measured: docs/DECISIONS.md.
"""

import os
import random
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from bench import fixtures
from bench.run import figure, spread, spread_names
from bench.selection_load import choose_all, contend, post_each, warm_up
from bench.selection_open import floor_loop, open_loop, preferences, schedule
from bench.server import Server
from booths.models import Assignment, AssignmentChange
from vendors.models import Application, Vendor, VendorMember

BENCHMARK = "selection"  # its tax-code prefix: fixtures.TAX_PREFIXES
SLUG = "bench-selection"
VENDOR_NAME = "Công ty TNHH Bench chọn gian"
USER_PREFIX = "bench-selection-"
SESSION_PREFIX = "benchsel"
SETTINGS = "bench.public_settings"  # the project's URLs and the floor view
FLOOR_PATH = "/bench/floor/"
BARE_PATH = "/bench/bare/"
ZONES, ROWS, PER_ROW = 10, 6, 20  # 1,200 booths
BUSINESSES = 1000  # the closed loop's; the opening has OPEN_BURST + OPEN_ARRIVALS
OPEN_BURST, OPEN_ARRIVALS, OPEN_SECONDS, OPEN_MAX_TAKEN = 200, 1000, 60, 5
OPEN_RUNS = int(os.environ.get("BENCH_SELECTION_OPEN_RUNS", "3"))
OPEN_FLOOR_RUNS = int(os.environ.get("BENCH_SELECTION_OPEN_FLOOR_RUNS", "1"))  # the control's
CONTENTION_BUSINESSES, CONTENTION_BOOTHS = 200, 50
CLIENTS = 32
MAX_TRIES = 10
RUNS = 5
FIGURES = (
    *("selection_double_bookings", "selection_server_errors"),
    *spread_names("selection_per_minute", "selection_p95_ms", "selection_write_ratio"),
    *spread_names("selection_write_per_second", "selection_floor_per_second"),
    *spread_names("selection_open_p99_ms", "selection_open_visit_p99_ms", "selection_open_floor_p99_ms"),
    *("selection_open_errors", "selection_open_gave_up"),
    *("selection_contention_winners", "selection_contention_taken", "selection_overbooked_applications"),
    *spread_names("selection_load_p95_ms"),
    *("selection_retries", "selection_unplaced"),
)
WORKERS = int(os.environ.get("BENCH_SELECTION_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_SELECTION_THREADS", "8"))


def run(ctx):
    cleanup()
    try:
        world = build()
        with Server(ctx, workers=WORKERS, threads=THREADS, settings=SETTINGS) as server:
            openings, checks = opening(server, world)
            reset()
            # As autovacuum would have left the tables of a running site: fresh statistics, no dead
            # rows of the benchmarks before this one (why: docs/DECISIONS.md, 2026-12-03).
            fixtures.analyze(vacuum=True)
            contention = contend(server, world, businesses=CONTENTION_BUSINESSES, booths=CONTENTION_BOOTHS)
            checks.append(check_database())
            rounds = [closed_round(server, world, checks) for _ in range(RUNS)]
    finally:
        cleanup()
    return [*closed_figures(contention, rounds, checks), *open_figures(openings)]


def opening(server, world):
    """The open-loop runs: (their results, the database checks after each)."""
    rng = random.Random(20250701)
    businesses = world["businesses"]
    orders = preferences(rng, world["booths"], len(businesses))
    warm_up(server, businesses, world["path"])
    results, floors, checks = [], [], []
    for run in range(OPEN_RUNS):
        reset()
        arrivals = schedule(rng, burst=OPEN_BURST, arrivals=OPEN_ARRIVALS, seconds=OPEN_SECONDS)
        visitors = rng.sample(businesses, len(businesses))  # who arrives when changes from run to run
        if run < OPEN_FLOOR_RUNS:  # the control, on the same arrivals, between the openings
            floor = floor_loop(
                server, visitors, load_path=BARE_PATH, floor_path=FLOOR_PATH, arrivals=arrivals, orders=orders
            )
            print(
                f"    floor opening (control): {floor['requests']} requests p50 {floor['p50_ms']:.0f} ms "
                f"p99 {floor['p99_ms']:.0f} ms, {floor['errors']} errors",
                flush=True,
            )
            floors.append(floor)
            reset()
        result = open_loop(
            server, visitors, path=world["path"], arrivals=arrivals, orders=orders, max_taken=OPEN_MAX_TAKEN
        )
        print(
            f"    opening: {result['placed']} placed, {result['gave_up']} gave up, {result['no_free']} found none "
            f"free, {result['errors']} errors, {result['other']} other, {result['taken']} taken; "
            f"{result['requests']} requests p50 {result['p50_ms']:.0f} ms p99 {result['p99_ms']:.0f} ms, "
            f"visit p99 {result['visit_p99_ms']:.0f} ms; start late by up to {result['late_ms']:.0f} ms",
            flush=True,
        )
        results.append(result)
        checks.append(check_database())
    return {"app": results, "floor": floors}, checks


def closed_round(server, world, checks):
    """Floor, write and throughput, every booth free before each; appends the database checks."""
    businesses = world["businesses"][:BUSINESSES]
    booths = world["booths"]
    reset()
    floor = post_each(
        server,
        world,
        path=FLOOR_PATH,
        body=lambda i, b: {"booth_ids": [booths[i]], "application": b["application"]},
        clients=CLIENTS,
        businesses=businesses,
    )
    reset()
    write = post_each(
        server,
        world,
        path=world["path"],
        body=lambda i, b: {"booth_ids": [booths[i]]},
        clients=CLIENTS,
        businesses=businesses,
    )
    checks.append(check_database())
    print(
        f"    floor {floor['per_second']:.0f}/s (p95 {floor['p95_ms']:.0f} ms), write {write['per_second']:.0f}/s "
        f"(p95 {write['p95_ms']:.0f} ms): ratio {write['per_second'] / floor['per_second']:.3f}; "
        f"not ok: floor {floor['errors'] + floor['other']}, write {write['errors'] + write['other']}",
        flush=True,
    )
    reset()
    closed = choose_all(server, {**world, "businesses": businesses}, clients=CLIENTS, max_tries=MAX_TRIES)
    checks.append(check_database(unplaced_of=[b["application"] for b in businesses]))
    return {"floor": floor, "write": write, "closed": closed}


def closed_figures(contention, rounds, checks):
    closed = [r["closed"] for r in rounds]
    writes = [r["write"] for r in rounds]
    errors = contention["errors"] + sum(c["errors"] for r in rounds for c in r.values())
    ratios = [r["write"]["per_second"] / r["floor"]["per_second"] for r in rounds]
    unplaced = max(c["unplaced"] for c in checks if c["unplaced"] is not None)
    return [
        figure("selection_double_bookings", max(c["doubled"] for c in checks), "booths", target=("<=", 0)),
        figure("selection_server_errors", errors, "answers", target=("<=", 0)),
        *spread("selection_per_minute", [r["per_minute"] for r in closed], "choices/min", (">=", 3000), digits=0),
        *spread("selection_p95_ms", [r["p95_ms"] for r in closed], "ms", ("<=", 500)),
        *spread("selection_write_ratio", ratios, "choices ÷ floor answers per second (fraction)", (">=", 0.5), 3),
        *spread("selection_write_per_second", [w["per_second"] for w in writes], "choices/s", digits=0),
        *spread("selection_floor_per_second", [r["floor"]["per_second"] for r in rounds], "answers/s", digits=0),
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
        figure("selection_overbooked_applications", max(c["overbooked"] for c in checks), "applications", ("<=", 0)),
        *spread("selection_load_p95_ms", [r["load_p95_ms"] for r in closed], "ms"),
        figure("selection_retries", sum(r["retries"] for r in closed), f"409 answers over {RUNS} runs"),
        figure("selection_unplaced", unplaced, f"businesses without a booth (worst of {RUNS} runs)", ("<=", 0)),
    ]


def open_figures(results):
    openings, floors = results["app"], results["floor"]
    runs = f"{len(openings)} openings"
    return [
        *spread("selection_open_p99_ms", [o["p99_ms"] for o in openings], "ms", ("<=", 300)),
        *spread(
            "selection_open_floor_p99_ms",
            [f["p99_ms"] for f in floors],
            f"ms (control: the same arrivals, bare view + floor view; {len(floors)} opening(s))",
        ),
        *spread("selection_open_visit_p99_ms", [o["visit_p99_ms"] for o in openings], "ms"),
        figure(
            "selection_open_errors",
            sum(o["errors"] + o["other"] for o in openings) + sum(f["errors"] for f in floors),
            f"answers over {runs} and the control",
            ("<=", 0),
        ),
        figure("selection_open_gave_up", max(o["gave_up"] for o in openings), f"businesses (worst of {runs})"),
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
        for i in range(OPEN_BURST + OPEN_ARRIVALS)
    )
    vendors = fixtures.businesses(
        BENCHMARK,
        OPEN_BURST + OPEN_ARRIVALS,
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
    return {"booths": [b.pk for b in booths], "businesses": businesses, "path": f"/fairs/{SLUG}/booths/choose/api/"}


def reset():
    """Between the scenarios: every booth free again."""
    AssignmentChange.objects.filter(event__slug=SLUG).delete()
    Assignment.objects.filter(booth__event__slug=SLUG).delete()


def check_database(unplaced_of=None):
    """{"doubled": booths with more than one active assignment, "overbooked": applications holding
    more booths than approved, "unplaced": of the applications `unplaced_of` (ids), those holding
    none (None when not asked)}."""
    active = Assignment.objects.filter(booth__event__slug=SLUG, status__in=Assignment.ACTIVE)
    doubled = active.values("booth").annotate(n=Count("id")).filter(n__gt=1).count()
    holding = Application.objects.filter(event__slug=SLUG).annotate(
        n=Count("assignments", filter=Q(assignments__status__in=Assignment.ACTIVE))
    )
    return {
        "doubled": doubled,
        "overbooked": holding.filter(n__gt=F("booths_requested")).count(),
        "unplaced": None if unplaced_of is None else holding.filter(n=0, pk__in=unplaced_of).count(),
    }


def cleanup():
    fixtures.delete_fairs(SLUG)
    fixtures.delete_businesses(BENCHMARK, name__startswith=VENDOR_NAME)
    fixtures.delete_accounts(USER_PREFIX, SESSION_PREFIX)
