"""Booth map page with 1,200 booths: the organiser's map page (booths:map_staff) rendered in
process with Django's test client, on the bench PostgreSQL database.

Figures: booth_map_queries (the page's query count with 1,200 booths, met when it equals the
count with 10 booths), booth_map_ms (median time per request over 30 requests after warm-up),
booth_map_cpu_ms (the same requests' CPU time in the Django process) and booth_map_page_kb
(the HTML's size). The fairs it builds carry their own slugs and tax-code
prefix and are deleted before and after.
"""

import random
import statistics
import time
from datetime import timedelta

from bench.run import figure

BIG, SMALL = "bench-booth-map", "bench-booth-map-small"
TAX_PREFIX = "97"  # tax codes of the businesses this benchmark creates: 97xxxxxxxx
STAFF_USERNAME = "bench-booth-map-staff"
REQUESTS, WARM_UP = 30, 5


def run(ctx):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    cleanup()
    try:
        build(SMALL, zones=1, per_zone=10, assigned=7)
        build(BIG, zones=10, per_zone=120, assigned=900)
        with connection.cursor() as cursor:
            # Fresh statistics, as autovacuum would have them on a live database after bulk inserts.
            cursor.execute("ANALYZE")
        user, _ = get_user_model().objects.get_or_create(username=STAFF_USERNAME, defaults={"is_staff": True})
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)

        def get(slug):
            response = client.get(reverse("booths:map_staff", kwargs={"slug": slug}))
            assert response.status_code == 200, response.status_code
            return response

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
    from django.utils import timezone

    from booths.models import Assignment, Booth, HallFeature
    from events.models import BoothType, Category, Event, Organiser, Province, Zone
    from vendors.models import Application, Vendor

    rng = random.Random(slug)
    now = timezone.now()
    organiser, _ = Organiser.objects.get_or_create(name="Bench organiser")
    zone_cols, zone_rows = (2, (zones + 1) // 2) if zones > 1 else (1, 1)
    rows = -(-per_zone // 20)
    zone_w, zone_d = 60, 3 * rows + 3 * ((rows + 1) // 2)
    event = Event.objects.create(
        name=f"Bench {slug}",
        slug=slug,
        organiser=organiser,
        venue="Bench hall",
        province_id="31",
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=1),
        opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=10),
        status=Event.Status.REGISTRATION_CLOSED,
        hall_width_m=zone_cols * (zone_w + 4) + 4,
        hall_depth_m=zone_rows * (zone_d + 4) + 4,
    )
    standard = BoothType.objects.create(event=event, code="std", name="Gian tiêu chuẩn", is_standard=True)
    zone_objs = Zone.objects.bulk_create(
        Zone(event=event, code=chr(65 + z), name=f"Khu {chr(65 + z)}", colour=f"#{rng.randrange(0x1000000):06x}")
        for z in range(zones)
    )
    booths = []
    for z, zone in enumerate(zone_objs):
        left, top = 4 + (z % zone_cols) * (zone_w + 4), 4 + (z // zone_cols) * (zone_d + 4)
        for i in range(per_zone):
            row, col = divmod(i, 20)
            y = top + 3 * row + 3 * (row // 2)  # an aisle after every pair of rows
            booths.append(
                Booth(
                    event=event,
                    zone=zone,
                    booth_type=standard,
                    code=f"{zone.code}{i + 1:03d}",
                    x=left + 3 * col,
                    y=y,
                    row=f"{zone.code}{row + 1}",
                    blocked=len(booths) % 25 == 24,
                )
            )
    booths = Booth.objects.bulk_create(booths)
    HallFeature.objects.bulk_create(
        [
            HallFeature(event=event, kind="entrance", label="Cổng chính", x=4, y=0, width=8, depth=1),
            HallFeature(event=event, kind="stage", label="Sân khấu", x=20, y=0.5, width=12, depth=3),
        ]
    )
    categories = [
        Category.objects.get_or_create(slug=f"bench-map-{c}", defaults={"name": f"Bench nhóm hàng {c}"})[0]
        for c in range(20)
    ]
    provinces = list(Province.objects.values_list("pk", flat=True)[:30])
    start = Vendor.objects.filter(tax_code__startswith=TAX_PREFIX).count()
    vendors = Vendor.objects.bulk_create(
        Vendor(
            name=f"Công ty TNHH Bench Số {start + i}",
            short_name=f"Bench {start + i}" if i % 3 else "",
            kind=Vendor.Kind.DN,
            tax_code=f"{TAX_PREFIX}{start + i:08d}",
            province_id=rng.choice(provinces),
            phone=f"+8491{start + i:07d}",
            contact_name="Nguyễn Thị Lan",
        )
        for i in range(assigned)
    )
    applications = Application.objects.bulk_create(
        Application(vendor=v, event=event, status=Application.Status.APPROVED, booth_type=standard) for v in vendors
    )
    Application.categories.through.objects.bulk_create(
        Application.categories.through(application=a, category=c)
        for a in applications
        for c in rng.sample(categories, rng.choice((1, 2)))
    )
    free = [b for b in booths if not b.blocked]
    Assignment.objects.bulk_create(
        Assignment(
            booth=booth,
            application=application,
            status=rng.choice(Assignment.ACTIVE),
            source=rng.choice(Assignment.Source.values),
        )
        for booth, application in zip(rng.sample(free, assigned), applications, strict=True)
    )
    return event


def cleanup():
    from booths.models import Assignment, Booth, HallFeature
    from events.models import BoothType, Event, Zone
    from vendors.models import Application, Vendor

    events = Event.objects.filter(slug__in=[BIG, SMALL])
    Assignment.objects.filter(booth__event__in=events).delete()
    Application.objects.filter(event__in=events).delete()
    Booth.objects.filter(event__in=events).delete()
    for model in (Zone, BoothType, HallFeature):
        model.objects.filter(event__in=events).delete()
    events.delete()
    Vendor.objects.filter(tax_code__startswith=TAX_PREFIX, name__startswith="Công ty TNHH Bench").delete()
