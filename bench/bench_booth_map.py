"""Booth map page with 1,200 booths: the organiser's map page (booths:map_staff) rendered in
process with Django's test client, on the bench PostgreSQL database.

Figures: booth_map_queries (the page's query count with 1,200 booths, met when it equals the
count with 10 booths), booth_map_ms (median time per request over 30 requests after warm-up),
booth_map_cpu_ms (the same requests' CPU time in the Django process) and booth_map_page_kb
(the HTML's size). The requests run with DEBUG off, as production serves the page (no query log,
templates without debug information). The fairs it builds carry their own slugs and tax-code prefix and are
deleted before and after. History of the page's speed: docs/DECISIONS.md.
"""

import random
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import fixtures
from bench.run import debug_off, figure
from booths.models import Assignment
from events.models import Province
from vendors.models import Vendor

BENCHMARK = "booth_map"  # its tax-code prefix: fixtures.TAX_PREFIXES
BIG, SMALL = "bench-booth-map", "bench-booth-map-small"
STAFF_USERNAME = "bench-booth-map-staff"
REQUESTS, WARM_UP = 30, 5
FIGURES = ("booth_map_queries", "booth_map_ms", "booth_map_cpu_ms", "booth_map_page_kb")


def run(ctx):
    cleanup()
    try:
        build(SMALL, zones=1, per_zone=10, assigned=7)
        build(BIG, zones=10, per_zone=120, assigned=900)
        fixtures.analyze()
        user = fixtures.staff(STAFF_USERNAME, fixtures.organiser())
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)

        def get(slug):
            response = client.get(reverse("booths:map_staff", kwargs={"slug": slug}))
            assert response.status_code == 200, response.status_code
            return response

        with debug_off():
            counts = {}
            for slug in (SMALL, BIG):
                get(slug)
                with CaptureQueriesContext(connection) as queries:
                    get(slug)
                counts[slug] = len(queries.captured_queries)
            for _ in range(WARM_UP):
                get(BIG)
            times, cpu = [], []
            for _ in range(REQUESTS):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = get(BIG)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            size_kb = len(response.content) / 1024
    finally:
        cleanup()
    return [
        figure(
            "booth_map_queries",
            counts[BIG],
            "queries",
            target="fixed (same at 10 and 1,200 booths)",
            met=counts[BIG] == counts[SMALL],
        ),
        figure("booth_map_ms", round(statistics.median(times), 1), "ms", target=("<=", 150)),
        # The Django process's own CPU time per request (PostgreSQL's excluded): steadier than the
        # wall time when other work shares the two cores.
        figure("booth_map_cpu_ms", round(statistics.median(cpu), 1), "ms"),
        figure("booth_map_page_kb", round(size_kb), "KiB"),
    ]


def build(slug, *, zones, per_zone, assigned):
    """A fair of zones × per_zone standard booths (rows of 20, two rows back to back between
    aisles), every 25th booth blocked, `assigned` of the others held or confirmed by as many
    businesses with one or two of 20 categories, from 30 provinces."""
    rng = random.Random(slug)
    hall = fixtures.Hall(zones, per_zone)
    event = fixtures.fair(slug, organiser=fixtures.organiser(), phase="closed", **hall.size())
    standard = fixtures.standard_booth_type(event)
    booths = hall.booths(event, fixtures.zones(event, zones, rng=rng), standard, blocked_every=25)
    fixtures.hall_features(event)
    categories = fixtures.categories("bench-map", [f"Bench nhóm hàng {c}" for c in range(20)])
    provinces = list(Province.objects.values_list("pk", flat=True)[:30])
    vendors = fixtures.businesses(
        BENCHMARK,
        assigned,
        lambda i, n, _tax_code: {
            "name": f"Công ty TNHH Bench Số {n}",
            "short_name": f"Bench {n}" if i % 3 else "",
            "kind": Vendor.Kind.DN,
            "province_id": rng.choice(provinces),
            "phone": f"+8491{n:07d}",
            "contact_name": "Nguyễn Thị Lan",
        },
    )
    applications = fixtures.applications(event, vendors, booth_type=standard)
    fixtures.application_categories(applications, lambda _i: rng.sample(categories, rng.choice((1, 2))))
    fixtures.assignments(
        zip(fixtures.random_free(booths, assigned, rng), applications, strict=True),
        status=lambda: rng.choice(Assignment.ACTIVE),
        source=lambda: rng.choice(Assignment.Source.values),
    )
    return event


def cleanup():
    fixtures.delete_fairs(BIG, SMALL)
    fixtures.delete_businesses(BENCHMARK, name__startswith="Công ty TNHH Bench")
