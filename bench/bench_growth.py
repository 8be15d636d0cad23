"""History growth (issue 21): what years of past fairs do to the pages of the current one.

One running fair (1,200 booths, 1,000 businesses with 5 products each, 1,000 applications of
which 900 approved and holding a confirmed booth) is measured alone; then a history is added for
the same organiser: HISTORY_FAIRS past fairs (finished, 1,000 booths each), enough businesses to
make BUSINESSES in all (3 products each), 800 applications per past fair drawn from every
business (the current fair's included) and 1,000 assignments per past fair (800 confirmed, 200
released earlier). At full size that is 100 fairs, 50,000 businesses, 80,200 applications and
99,900 assignments; BENCH_GROWTH_SCALE (default 1.0) scales the history for a quick run; BENCH_GROWTH_KEEP=1 leaves
the data in place to look at query plans.

Six pages of the current fair are requested in process (Django's test client, DEBUG off, an
organiser's admin for the staff pages, an anonymous visitor with a parameter the page cache does
not know for the public ones, so each answer is rendered): the fair page, the directory search
("bánh"), the review list, the staff dashboard, the reports page and the booth map. For each:
growth_<page>_ratio (median time with the history ÷ median time alone, target ≤ 1.5),
growth_<page>_queries_same (the query count with the history equals the count alone, 1 or 0) and
growth_<page>_ms (median with the history). Both states are measured side by side: once the
current fair is built, the database is copied (CREATE DATABASE … TEMPLATE) and the history is
added to the original only; the runner holds a connection to each and, page by page, alternates
the requests between them (ROUNDS timed requests each after a warm-up, the order swapped every
round), so a change of the machine's load hits both states alike. (Measured minutes apart, as
before, the ratios of one run ranged 0.57–1.83 on a busy machine.)

Everything built is deleted at the end and the tables vacuumed, so the modules after this one
find the database as they would without it.
"""

import contextlib
import os
import random
import statistics
import subprocess
import time
from datetime import timedelta
from urllib.parse import quote_plus

from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import fixtures
from bench.run import debug_off, figure
from booths.models import Assignment
from events.models import Category, Event, Province
from tuanhang.kernel.vn import fold
from vendors.models import Application, Product, Vendor

BENCHMARK = "growth"  # its tax-code prefix: fixtures.TAX_PREFIXES
SLUG = "bench-growth"
HISTORY_PREFIX = "bench-growth-past-"
STAFF_USERNAME = "bench-growth-staff"
SCALE = float(os.environ.get("BENCH_GROWTH_SCALE", "0.2"))
CURRENT_BUSINESSES, CURRENT_APPROVED, PRODUCTS_PER = 1000, 900, 5
BUSINESSES = 1000 + round(49_000 * SCALE)
HISTORY_FAIRS = max(1, round(99 * SCALE))
HISTORY_BOOTHS, HISTORY_APPLICATIONS, HISTORY_RELEASED = 1000, 800, 200
HISTORY_PRODUCTS_PER = 3
KEEP = os.environ.get("BENCH_GROWTH_KEEP") == "1"  # leave the data for EXPLAIN (never in `make bench`)
ROUNDS, WARM_UP = 7, 2
WORDS_TEXT = (
    "bánh kẹo mứt gạo nếp chè trà cà phê hạt điều tiêu quế mắm muối tôm cá mực khô sấy dẻo mật ong "
    "sữa lạc vừng đậu nấm hương măng gốm sứ mây tre lụa tơ tằm thổ cẩm nón lá chiếu cói tinh dầu sả bưởi"
)
WORDS = tuple(WORDS_TEXT.split())
PAGES = {
    "fair_page": lambda: reverse("public:fair", args=[SLUG]),
    "directory_search": lambda: reverse("vendors:exhibitors", args=[SLUG]) + "?q=" + quote_plus("bánh"),
    "review_list": lambda: reverse("vendors:review_list", args=[SLUG]),
    "dashboard": lambda: reverse("events:dashboard", args=[SLUG]),
    "reports": lambda: reverse("reports:page", args=[SLUG]),
    "booth_map": lambda: reverse("booths:map_staff", kwargs={"slug": SLUG}),
}
PUBLIC = {"fair_page", "directory_search"}
FIGURES = tuple(
    f"growth_{page}_{what}" for page in PAGES for what in ("ratio", "queries_same", "ms", "one_fair_ms")
) + ("growth_history_size", "growth_build_seconds")


def run(ctx):
    cleanup()
    try:
        rng = random.Random(20261207)
        current_vendors = build_current(rng)
        fixtures.analyze()
        staff, visitor = _clients()
        with _copy_of_database() as alone_db:
            started = time.perf_counter()
            size = build_history(rng, current_vendors)
            fixtures.analyze()
            build_seconds = time.perf_counter() - started
            with _second_connection(alone_db) as alone_connection:
                measured = measure(staff, visitor, {"alone": alone_connection, "grown": connections["default"]})
        alone, grown = measured["alone"], measured["grown"]
    finally:
        if not KEEP:
            cleanup()
            fixtures.analyze(vacuum=True)
    rows = []
    for page in PAGES:
        one, many = alone[page], grown[page]
        ratio = statistics.median(many["ms"]) / statistics.median(one["ms"])
        print(f"    {page}: {one['queries']} → {many['queries']} queries")
        rows += [
            figure(f"growth_{page}_ratio", round(ratio, 2), "with history ÷ alone", ("<=", 1.5)),
            figure(
                f"growth_{page}_queries_same",
                int(one["queries"] == many["queries"]),
                f"1 if the count is the same ({one['queries']} → {many['queries']})",
                target="1 (same)",
                met=one["queries"] == many["queries"],
            ),
            figure(f"growth_{page}_ms", round(statistics.median(many["ms"]), 1), "ms (with history)"),
            figure(f"growth_{page}_one_fair_ms", round(statistics.median(one["ms"]), 1), "ms (alone)"),
        ]
    rows.append(figure("growth_history_size", size, "fairs / businesses / applications / assignments"))
    rows.append(figure("growth_build_seconds", round(build_seconds, 1), "s (history, bulk_create)"))
    return rows


def _clients():
    from events.models import Organiser

    organiser = Organiser.objects.get(name="Bench organiser")
    staff = Client(SERVER_NAME="127.0.0.1")
    staff.force_login(fixtures.staff(STAFF_USERNAME, organiser))
    return staff, Client(SERVER_NAME="127.0.0.1")


@contextlib.contextmanager
def _copy_of_database():
    """A copy of the benchmark database as it is now (its name), dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_growth_alone"
    server = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    subprocess.run(["dropdb", *server, "--if-exists", name], check=True)
    connection.close()  # a template database must have no other session
    subprocess.run(["createdb", *server, "-T", settings["NAME"], name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], check=True)


@contextlib.contextmanager
def _second_connection(name):
    """A connection of its own to database `name`, with the default connection's settings; the
    default connection is put back afterwards."""
    default = connections["default"]
    backend = type(default)
    other = backend({**default.settings_dict, "NAME": name}, "default")
    try:
        yield other
    finally:
        other.close()
        connections["default"] = default


def measure(staff, visitor, states) -> dict:
    """{state: {page: {"ms": [ROUNDS times], "queries": n}}} for each of `states` ({name: database
    connection}), DEBUG off. A page's requests alternate between the states: the default
    connection is switched before each."""
    results = {state: {} for state in states}
    serial = iter(range(10**9))

    def get(page):
        client = visitor if page in PUBLIC else staff
        path = PAGES[page]()
        if page in PUBLIC:  # a parameter the page cache does not know: the page is rendered
            path += ("&" if "?" in path else "?") + f"growth={next(serial)}"
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    with debug_off():
        for page in PAGES:
            for state, database in states.items():
                connections["default"] = database
                for _ in range(WARM_UP):
                    get(page)
                # Counted by a wrapper rather than the query log, which each request empties
                # (request_started) and which DEBUG off does not keep.
                queries = []

                def count(execute, sql, *args, queries=queries):
                    queries.append(sql)
                    return execute(sql, *args)

                with connection.execute_wrapper(count):
                    get(page)
                results[state][page] = {"ms": [], "queries": len(queries)}
            order = list(states.items())
            for _ in range(ROUNDS):
                for state, database in order:
                    connections["default"] = database
                    start = time.perf_counter()
                    get(page)
                    results[state][page]["ms"].append((time.perf_counter() - start) * 1000)
                order.reverse()
    return results


# --- data ---------------------------------------------------------------------------------------------


def _vendor_fields(rng, provinces):
    kinds = ("Hợp tác xã", "Công ty TNHH", "Hộ kinh doanh", "Công ty Cổ phần")

    def fields(i, n, tax_code):
        name = f"{kinds[n % 4]} Lịch Sử {n:05d}"
        return {
            "name": name,
            "short_name": f"Lịch Sử {n:05d}",
            "kind": Vendor.Kind.DN,
            "province_id": rng.choice(provinces),
            "search_text": fold(f"{name} Lịch Sử {n:05d} {tax_code}"),
        }

    return fields


def _products(vendors, per, rng, category):
    Product.objects.bulk_create(
        (
            Product(
                vendor=vendor,
                name=(name := " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4)))),
                search_text=fold(name),
                category=category,
                ocop_stars=rng.choice((None, None, 3, 4, 5)),
            )
            for vendor in vendors
            for _ in range(per)
        ),
        batch_size=5000,
    )


def build_current(rng) -> list:
    """The running fair, measured alone first. Returns its businesses."""
    organiser = fixtures.organiser()
    hall = fixtures.Hall(10, 120)
    event = fixtures.fair(SLUG, organiser=organiser, phase="running", **hall.size())
    standard = fixtures.standard_booth_type(event)
    booths = hall.booths(event, fixtures.zones(event, 10), standard, blocked_every=25)
    provinces = list(Province.objects.values_list("pk", flat=True))
    category, _ = Category.objects.get_or_create(slug="bench-growth", defaults={"name": "Nhóm hàng bench lịch sử"})
    vendors = fixtures.businesses(BENCHMARK, CURRENT_BUSINESSES, _vendor_fields(rng, provinces))
    _products(vendors, PRODUCTS_PER, rng, category)
    applications = fixtures.applications(
        event, vendors, approved_share=CURRENT_APPROVED / CURRENT_BUSINESSES, booth_type=standard
    )
    fixtures.assignments(
        zip(fixtures.random_free(booths, CURRENT_APPROVED, rng), applications[:CURRENT_APPROVED], strict=True),
        status=Assignment.Status.CONFIRMED,
    )
    return vendors


def build_history(rng, current_vendors) -> str:
    """The past fairs, their businesses, applications and assignments; a line saying how many."""
    organiser = fixtures.organiser()
    provinces = list(Province.objects.values_list("pk", flat=True))
    category = Category.objects.get(slug="bench-growth")
    vendors = fixtures.businesses(BENCHMARK, BUSINESSES - CURRENT_BUSINESSES, _vendor_fields(rng, provinces))
    _products(vendors, HISTORY_PRODUCTS_PER, rng, category)
    everyone = [*current_vendors, *vendors]
    hall = fixtures.Hall(5, HISTORY_BOOTHS // 5)
    now = timezone.now()
    applications_made = assignments_made = 0
    for f in range(HISTORY_FAIRS):
        start = now - timedelta(days=20 * (f + 1))
        event = Event.objects.create(
            name=f"Hội chợ đã qua {f:03d}",
            slug=f"{HISTORY_PREFIX}{f:03d}",
            organiser=organiser,
            venue="Bench hall",
            province_id="31",
            status=Event.Status.FINISHED,
            registration_opens_at=start - timedelta(days=40),
            registration_closes_at=start - timedelta(days=10),
            opens_at=start,
            closes_at=start + timedelta(days=5),
            **hall.size(),
        )
        standard = fixtures.standard_booth_type(event)
        booths = hall.booths(event, fixtures.zones(event, 5), standard)
        applications = fixtures.applications(event, rng.sample(everyone, HISTORY_APPLICATIONS), booth_type=standard)
        fixtures.assignments(zip(booths, applications, strict=False), status=Assignment.Status.CONFIRMED)
        released = Assignment.objects.bulk_create(
            Assignment(
                booth=booth,
                application=application,
                status=Assignment.Status.RELEASED,
                released_at=start - timedelta(days=2),
            )
            for booth, application in zip(booths[HISTORY_APPLICATIONS:], applications[:HISTORY_RELEASED], strict=False)
        )
        applications_made += len(applications)
        assignments_made += HISTORY_APPLICATIONS + len(released)
    fairs = HISTORY_FAIRS + 1
    total_applications = applications_made + CURRENT_BUSINESSES
    total_assignments = assignments_made + CURRENT_APPROVED
    return f"{fairs} / {BUSINESSES} / {total_applications} / {total_assignments}"


def cleanup():
    """Everything this benchmark built, deleted with SQL (Django's cascade collector would load
    100,000 assignments into memory)."""
    events = list(Event.objects.filter(slug__startswith="bench-growth").values_list("pk", flat=True))
    vendors = Vendor.objects.filter(tax_code__startswith=fixtures.TAX_PREFIXES[BENCHMARK])
    with connection.cursor() as cursor:
        if events:
            cursor.execute(
                "DELETE FROM booths_assignment WHERE booth_id IN "
                "(SELECT id FROM booths_booth WHERE event_id = ANY(%s))",
                [events],
            )
            for table in ("vendors_application_categories", "vendors_application_products", "vendors_amountdue"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE application_id IN "  # noqa: S608 (fixed names)
                    "(SELECT id FROM vendors_application WHERE event_id = ANY(%s))",
                    [events],
                )
            cursor.execute("DELETE FROM vendors_application WHERE event_id = ANY(%s)", [events])
            cursor.execute("DELETE FROM booths_booth WHERE event_id = ANY(%s)", [events])
    fixtures.delete_fairs(*Event.objects.filter(pk__in=events).values_list("slug", flat=True))
    Product.objects.filter(vendor__in=vendors)._raw_delete(Product.objects.db)
    Application.objects.filter(vendor__in=vendors).delete()
    vendors.delete()
    Category.objects.filter(slug="bench-growth").delete()
