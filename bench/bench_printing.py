"""Prints of a large fair: the booth map with 1,000 booths (A3, 900 of them with a business, index
included), the participant list of 1,000 businesses (A4 landscape, by name) and 500 booth signs
(A4), each built the way the worker builds it (collect the data through the selectors, render)
on the bench PostgreSQL database.

Every document is built in a fresh Python process (Django set up, nothing else warmed), three
times in a row; the figure is the median of the three (collect + render, the first build's font
loading included in its own time). Peak memory is that process's own peak resident set
(getrusage RUSAGE_SELF, read when it ends), so Django, the data and the renderer are all in it.

Figures: pdf_booth_map_seconds (target ≤ 2 s), pdf_participants_seconds (≤ 3 s),
pdf_booth_signs_seconds (≤ 10 s), pdf_peak_mb (the largest of the three peaks, ≤ 500 MB) and
each document's own peak. The fairs carry their own slugs and tax-code prefix and are deleted
before and after.
"""

import json
import random
import subprocess
import sys
from datetime import timedelta

from bench.run import figure

MAP, SIGNS = "bench-printing", "bench-printing-signs"
TAX_PREFIX = "96"  # tax codes of the businesses this benchmark creates: 96xxxxxxxx
RUNS = 3
DOCUMENTS = (
    # (figure stem, fair, document, options, target seconds)
    ("booth_map", MAP, "booth_map", {"paper": "A3", "colour": "zone"}, 2),
    ("participants", MAP, "participants", {"order": "name"}, 3),
    ("booth_signs", SIGNS, "booth_signs", {"layout": "a4"}, 10),
)

CHILD = r"""
import json, resource, statistics, sys, time
import django
django.setup()
from pypdf import PdfReader
import io
from events.generated import get_builder
from events.generated.header import fair_for_print
slug, kind, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
builder = get_builder(kind)
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    event = fair_for_print(slug=slug)
    cleaned = builder.clean(options, event=event)
    content = builder.render(event, builder.collect(event, cleaned), cleaned, lambda done, total: None)
    times.append(time.perf_counter() - start)
pages = len(PdfReader(io.BytesIO(content)).pages)
print(json.dumps({"times": times, "pages": pages, "bytes": len(content),
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
WORDS = (
    "Ánh Dương", "Anh Đào", "Ảnh Việt", "Đông Hải", "Dương Kinh", "Ưu Việt", "Uyên Phương", "Zê Ta",
    "Hương Trà", "Thủy Nguyên", "Cát Hải", "Bạch Đằng", "Tân Cương", "Bát Tràng", "Kinh Bắc", "Ông Cả",
)  # fmt: skip
KINDS = (("Công ty TNHH", "DN"), ("Công ty Cổ phần", "DN"), ("Hợp tác xã", "HTX"), ("Hộ kinh doanh", "HKD"))
GOODS = ("Nước mắm", "Chè", "Bánh đa", "Gốm", "Mật ong", "Cà phê", "Gạo", "Nem chua", "Mắm tôm", "Rượu")


def run(ctx):
    cleanup()
    try:
        build(MAP, zones=10, per_zone=100, participants=1000, assigned=900)
        build(SIGNS, zones=5, per_zone=100, participants=500, assigned=500)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        results = {stem: measure(ctx, slug, kind, options) for stem, slug, kind, options, _target in DOCUMENTS}
    finally:
        cleanup()
    rows = []
    for stem, _slug, _kind, _options, target in DOCUMENTS:
        result = results[stem]
        rows.append(figure(f"pdf_{stem}_seconds", round(sorted(result["times"])[1], 2), "s", target=("<=", target)))
    peaks = {stem: round(results[stem]["peak_kb"] / 1024) for stem, *_ in DOCUMENTS}
    rows.append(figure("pdf_peak_mb", max(peaks.values()), "MB", target=("<=", 500)))
    for stem, *_ in DOCUMENTS:
        rows.append(figure(f"pdf_{stem}_peak_mb", peaks[stem], "MB"))
    for stem, *_ in DOCUMENTS:
        rows.append(figure(f"pdf_{stem}_pages", results[stem]["pages"], "pages"))
    return rows


def measure(ctx, slug, kind, options) -> dict:
    command = [sys.executable, "-c", CHILD, slug, kind, json.dumps(options), str(RUNS)]
    done = subprocess.run(command, cwd=ctx.root, env=ctx.env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(slug, *, zones, per_zone, participants, assigned):
    """A fair of zones × per_zone standard booths (rows of 20 back to back between aisles, every
    25th blocked), `participants` approved businesses with Vietnamese names from 30 provinces,
    one or two categories and products (some OCOP), the first `assigned` of them in a booth."""
    from django.utils import timezone

    from booths.models import Assignment, Booth, HallFeature
    from events.models import BoothType, Category, Event, Organiser, Province, Zone
    from vendors.models import Application, Product, Vendor

    rng = random.Random(slug)
    now = timezone.now()
    organiser, _ = Organiser.objects.get_or_create(
        name="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng", defaults={"province_id": "31"}
    )
    zone_cols, zone_rows = 2, (zones + 1) // 2
    rows = -(-per_zone // 20)
    zone_w, zone_d = 60, 3 * rows + 3 * ((rows + 1) // 2)
    event = Event.objects.create(
        name="Tuần hàng Việt Nam tại Khu công nghiệp VSIP Thủy Nguyên (bench)",
        slug=slug,
        organiser=organiser,
        venue="KCN VSIP Thủy Nguyên",
        province_id="31",
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=1),
        opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=10),
        setup_at=now + timedelta(days=4),
        status=Event.Status.REGISTRATION_CLOSED,
        booth_fee=5_000_000,
        subsidy_percent=50,
        hall_width_m=zone_cols * (zone_w + 4) + 4,
        hall_depth_m=zone_rows * (zone_d + 4) + 4,
    )
    standard = BoothType.objects.create(event=event, code="std", name="Gian tiêu chuẩn", is_standard=True)
    zone_names = ("Khu OCOP", "Khu nông sản", "Khu thực phẩm chế biến", "Khu hàng tiêu dùng", "Khu làng nghề")
    zone_objs = Zone.objects.bulk_create(
        Zone(
            event=event,
            code=chr(65 + z),
            name=zone_names[z % len(zone_names)],
            colour=f"#{rng.randrange(0x1000000):06x}",
        )
        for z in range(zones)
    )
    booths = []
    for z, zone in enumerate(zone_objs):
        left, top = 4 + (z % zone_cols) * (zone_w + 4), 4 + (z // zone_cols) * (zone_d + 4)
        for i in range(per_zone):
            row, col = divmod(i, 20)
            booths.append(
                Booth(
                    event=event,
                    zone=zone,
                    booth_type=standard,
                    code=f"{zone.code}{i + 1:03d}",
                    x=left + 3 * col,
                    y=top + 3 * row + 3 * (row // 2),
                    row=f"{zone.code}{row + 1}",
                    blocked=assigned < len(zone_objs) * per_zone and len(booths) % 25 == 24,
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
        Category.objects.get_or_create(slug=f"bench-printing-{c}", defaults={"name": f"Nhóm hàng {GOODS[c % 10]} {c}"})[
            0
        ]
        for c in range(12)
    ]
    provinces = list(Province.objects.values_list("pk", flat=True)[:30])
    start = Vendor.objects.filter(tax_code__startswith=TAX_PREFIX).count()
    vendors = []
    for i in range(participants):
        prefix, kind = rng.choice(KINDS)
        place = rng.choice(WORDS)
        vendors.append(
            Vendor(
                name=f"{prefix} {rng.choice(GOODS)} {place} {start + i}",
                short_name=f"{place} {start + i}" if i % 3 else "",
                kind=kind,
                tax_code=f"{TAX_PREFIX}{start + i:08d}",
                province_id=rng.choice(provinces),
                phone=f"+8491{start + i:07d}",
                contact_name=f"{rng.choice(FAMILY)} Thị Lan",
                address="Số 1, đường Lạch Tray",
            )
        )
    vendors = Vendor.objects.bulk_create(vendors)
    products = Product.objects.bulk_create(
        Product(
            vendor=v,
            name=f"{rng.choice(GOODS)} {rng.choice(WORDS)}",
            category=rng.choice(categories),
            ocop_stars=rng.choice((None, None, 3, 4, 5)),
        )
        for v in vendors
    )
    applications = Application.objects.bulk_create(
        Application(vendor=v, event=event, status=Application.Status.APPROVED, booth_type=standard) for v in vendors
    )
    Application.categories.through.objects.bulk_create(
        Application.categories.through(application=a, category=c)
        for a in applications
        for c in rng.sample(categories, rng.choice((1, 2)))
    )
    Application.products.through.objects.bulk_create(
        Application.products.through(application=a, product=p) for a, p in zip(applications, products, strict=True)
    )
    free = [b for b in booths if not b.blocked]
    Assignment.objects.bulk_create(
        Assignment(booth=booth, application=application, status=rng.choice(Assignment.ACTIVE))
        for booth, application in zip(rng.sample(free, assigned), applications[:assigned], strict=True)
    )
    return event


def cleanup():
    from booths.models import Assignment, Booth, HallFeature
    from events.models import BoothType, Category, Event, GeneratedFile, Zone
    from vendors.models import Application, Product, Vendor

    events = Event.objects.filter(slug__in=[MAP, SIGNS])
    GeneratedFile.objects.filter(event__in=events).delete()
    Assignment.objects.filter(booth__event__in=events).delete()
    Application.objects.filter(event__in=events).delete()
    Booth.objects.filter(event__in=events).delete()
    for model in (Zone, BoothType, HallFeature):
        model.objects.filter(event__in=events).delete()
    events.delete()
    vendors = Vendor.objects.filter(tax_code__startswith=TAX_PREFIX)
    Product.objects.filter(vendor__in=vendors).delete()
    vendors.delete()
    Category.objects.filter(slug__startswith="bench-printing-").delete()
