"""Concurrent booth self-selection over HTTP: gunicorn and PostgreSQL on 127.0.0.1.

A fair that lets participants pick their booths (1,200 standard booths in 10 zones, rows of 20)
and 1,000 approved businesses, each with an account logged in through a session made directly in
the database (session cookie + CSRF cookie and header, as the page's script sends them). The
site runs under gunicorn with production-like settings. Clients are stdlib threads in this
process, each business with its own keep-alive connection.

1. Contention: 200 businesses choose among the same 50 booths at once (every booth wanted by 4),
   one POST each. Expected: 50 winners (200), 150 "taken" (409), nothing else.
2. Throughput, five runs (every booth freed between them): the 1,000 businesses, 32 at a time,
   each from its own connection (its browser), load the free booths (GET, the JSON the page's
   script reads), pick one at random and POST it; a 409 means "load again and pick another".
   selection_per_minute counts confirmed choices over the run's wall time (loads included);
   selection_p95_ms is the 95th percentile of the choice POSTs, selection_load_p95_ms that of the
   loads; each is published as the median of the five runs with its min and max.

After each scenario and run, from the database: selection_double_bookings (booths with more than
one held/confirmed assignment), selection_overbooked_applications and, after each throughput run,
selection_unplaced (businesses left without a booth although 1,200 booths wait for 1,000); the
worst of the runs is published. selection_server_errors counts 5xx answers and failed
connections over everything, selection_retries the 409 answers of the five runs.
Data carry their own slug, usernames and tax-code prefix and are deleted before and after.

gunicorn runs 2 gthread workers (one per core) of 8 threads (bench/server.py); override with
BENCH_SELECTION_WORKERS and BENCH_SELECTION_THREADS. The clients and scenarios are in
bench/selection_load.py. What was tried and measured: docs/DECISIONS.md.
"""

import os
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
from bench.selection_load import choose_all, contend
from bench.server import Server
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
RUNS = 5
FIGURES = (
    *("selection_double_bookings", "selection_server_errors"),
    *spread_names("selection_per_minute", "selection_p95_ms"),
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
        with Server(ctx, workers=WORKERS, threads=THREADS) as server:
            contention = contend(server, world, businesses=CONTENTION_BUSINESSES, booths=CONTENTION_BOOTHS)
            checks = [check_database()]
            runs = []
            for _ in range(RUNS):
                reset()
                runs.append(choose_all(server, world, clients=CLIENTS, max_tries=MAX_TRIES))
                checks.append(check_database())
    finally:
        cleanup()
    errors = contention["errors"] + sum(r["errors"] for r in runs)
    unplaced = max(c["unplaced"] for c in checks[1:])
    return [
        figure("selection_double_bookings", max(c["doubled"] for c in checks), "booths", target=("<=", 0)),
        figure("selection_server_errors", errors, "answers", target=("<=", 0)),
        *spread("selection_per_minute", [r["per_minute"] for r in runs], "choices/min", (">=", 1800), digits=0),
        *spread("selection_p95_ms", [r["p95_ms"] for r in runs], "ms", ("<=", 500)),
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
        *spread("selection_load_p95_ms", [r["load_p95_ms"] for r in runs], "ms"),
        figure("selection_retries", sum(r["retries"] for r in runs), f"409 answers over {RUNS} runs"),
        figure("selection_unplaced", unplaced, f"businesses without a booth (worst of {RUNS} runs)", ("<=", 0)),
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
    # As autovacuum would have left the tables of a running site: fresh statistics, no dead rows
    # of the benchmarks before this one (why: docs/DECISIONS.md, 2026-12-03).
    fixtures.analyze(vacuum=True)
    return {"booths": [b.pk for b in booths], "businesses": businesses, "path": f"/fairs/{SLUG}/booths/choose/api/"}


def reset():
    """Between the scenarios: every booth free again."""
    AssignmentChange.objects.filter(event__slug=SLUG).delete()
    Assignment.objects.filter(booth__event__slug=SLUG).delete()


def check_database():
    """{"doubled": booths with more than one active assignment, "overbooked": applications holding
    more booths than approved, "unplaced": applications holding none}."""
    active = Assignment.objects.filter(booth__event__slug=SLUG, status__in=Assignment.ACTIVE)
    doubled = active.values("booth").annotate(n=Count("id")).filter(n__gt=1).count()
    holding = Application.objects.filter(event__slug=SLUG).annotate(
        n=Count("assignments", filter=Q(assignments__status__in=Assignment.ACTIVE))
    )
    return {
        "doubled": doubled,
        "overbooked": holding.filter(n__gt=F("booths_requested")).count(),
        "unplaced": holding.filter(n=0).count(),
    }


def cleanup():
    fixtures.delete_fairs(SLUG)
    fixtures.delete_businesses(BENCHMARK, name__startswith=VENDOR_NAME)
    fixtures.delete_accounts(USER_PREFIX, SESSION_PREFIX)
