"""Prints of a large fair: the booth map with 1,000 booths (A3, 900 of them with a business, index
included), the participant list of 1,000 businesses (A4 landscape, by name) and 500 booth signs
(A4), each built the way the worker builds it (collect the data through the selectors, render)
on the bench PostgreSQL database.

Every document is built in a fresh Python process (Django set up, nothing else warmed), five
times in a row; each time is published as its median with min and max over the five (collect +
render, the first build's font loading included in its own time). Peak memory is that process's
own peak resident set, VmHWM, which it reads from /proc/self/status before it exits (not
getrusage's ru_maxrss: that high-water mark survives fork and exec, so every child reported the
runner's 333 MB), so Django, the data and the renderer are all in it.

Figures (targets of issue 21): pdf_booth_map_seconds (≤ 1 s), pdf_participants_seconds (≤ 1.5 s),
pdf_booth_signs_seconds (≤ 5 s), each with _min and _max, each document's own peak
pdf_<document>_peak_mb (MiB, VmHWM of the process that renders it, ≤ 300) and pdf_peak_mb (the
largest of the three, ≤ 300). The
fairs carry their own slugs and tax-code prefix and are deleted before and after. Why the booth
map is drawn on a canvas: docs/DECISIONS.md (2026-12-02).
"""

import json
import random
import subprocess
import sys
from datetime import timedelta

from bench import fixtures
from bench.run import figure, spread, spread_names
from booths.models import Assignment
from events.models import Category, Province
from vendors.models import Application, Product

BENCHMARK = "printing"  # its tax-code prefix: fixtures.TAX_PREFIXES
MAP, SIGNS = "bench-printing", "bench-printing-signs"
RUNS = 5
PEAK_MB = 300  # each document's own peak (issue 21)
DOCUMENTS = (
    # (figure stem, fair, document, options, target seconds)
    ("booth_map", MAP, "booth_map", {"paper": "A3", "colour": "zone"}, 1),
    ("participants", MAP, "participants", {"order": "name"}, 1.5),
    ("booth_signs", SIGNS, "booth_signs", {"layout": "a4"}, 5),
)
STEMS = [stem for stem, *_ in DOCUMENTS]
FIGURES = (
    *spread_names(*(f"pdf_{stem}_seconds" for stem in STEMS)),
    "pdf_peak_mb",
    *(f"pdf_{stem}_peak_mb" for stem in STEMS),
    *(f"pdf_{stem}_pages" for stem in STEMS),
)

CHILD = r"""
import json, sys, time
import django
django.setup()
from pypdf import PdfReader
import io
from events.generated import get_builder
from events.generated.header import fair_for_print
from bench.run import peak_rss_kb
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
                  "peak_kb": peak_rss_kb()}))
"""

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
WORDS = (
    "Ánh Dương", "Anh Đào", "Ảnh Việt", "Đông Hải", "Dương Kinh", "Ưu Việt", "Uyên Phương", "Zê Ta",
    "Hương Trà", "Thủy Nguyên", "Cát Hải", "Bạch Đằng", "Tân Cương", "Bát Tràng", "Kinh Bắc", "Ông Cả",
)  # fmt: skip
KINDS = (("Công ty TNHH", "DN"), ("Công ty Cổ phần", "DN"), ("Hợp tác xã", "HTX"), ("Hộ kinh doanh", "HKD"))
ZONE_NAMES = ("Khu OCOP", "Khu nông sản", "Khu thực phẩm chế biến", "Khu hàng tiêu dùng", "Khu làng nghề")
ORGANISER = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng"
GOODS = ("Nước mắm", "Chè", "Bánh đa", "Gốm", "Mật ong", "Cà phê", "Gạo", "Nem chua", "Mắm tôm", "Rượu")


def run(ctx):
    cleanup()
    try:
        build(MAP, zones=10, per_zone=100, participants=1000, assigned=900)
        build(SIGNS, zones=5, per_zone=100, participants=500, assigned=500)
        fixtures.analyze()
        results = {stem: measure(ctx, slug, kind, options) for stem, slug, kind, options, _target in DOCUMENTS}
    finally:
        cleanup()
    rows = []
    for stem, _slug, _kind, _options, target in DOCUMENTS:
        result = results[stem]
        rows += spread(f"pdf_{stem}_seconds", result["times"], "s", target=("<=", target), digits=2)
    peaks = {stem: round(results[stem]["peak_kb"] / 1024) for stem, *_ in DOCUMENTS}
    rows.append(figure("pdf_peak_mb", max(peaks.values()), "MiB (largest VmHWM)", target=("<=", PEAK_MB)))
    for stem, *_ in DOCUMENTS:
        unit = "MiB (VmHWM of the rendering process)"
        rows.append(figure(f"pdf_{stem}_peak_mb", peaks[stem], unit, target=("<=", PEAK_MB)))
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
    rng = random.Random(slug)
    hall = fixtures.Hall(zones, per_zone)
    organiser = fixtures.organiser(ORGANISER, province_id="31")
    event = fixtures.fair(
        slug,
        organiser=organiser,
        phase="closed",
        name="Tuần hàng Việt Nam tại Khu công nghiệp VSIP Thủy Nguyên (bench)",
        venue="KCN VSIP Thủy Nguyên",
        setup_at=timedelta(days=4),
        booth_fee=5_000_000,
        subsidy_percent=50,
        **hall.size(),
    )
    standard = fixtures.standard_booth_type(event)
    zone_objs = fixtures.zones(event, zones, names=ZONE_NAMES, rng=rng)
    blocked_every = 25 if assigned < zones * per_zone else None
    booths = hall.booths(event, zone_objs, standard, blocked_every=blocked_every)
    fixtures.hall_features(event)
    categories = fixtures.categories("bench-printing", [f"Nhóm hàng {GOODS[c % 10]} {c}" for c in range(12)])
    provinces = list(Province.objects.values_list("pk", flat=True)[:30])

    def business(i, n, _tax_code):
        prefix, kind = rng.choice(KINDS)
        place = rng.choice(WORDS)
        return {
            "name": f"{prefix} {rng.choice(GOODS)} {place} {n}",
            "short_name": f"{place} {n}" if i % 3 else "",
            "kind": kind,
            "province_id": rng.choice(provinces),
            "phone": f"+8491{n:07d}",
            "contact_name": f"{rng.choice(FAMILY)} Thị Lan",
            "address": "Số 1, đường Lạch Tray",
        }

    vendors = fixtures.businesses(BENCHMARK, participants, business)
    products = Product.objects.bulk_create(
        Product(
            vendor=v,
            name=f"{rng.choice(GOODS)} {rng.choice(WORDS)}",
            category=rng.choice(categories),
            ocop_stars=rng.choice((None, None, 3, 4, 5)),
        )
        for v in vendors
    )
    applications = fixtures.applications(event, vendors, booth_type=standard)
    fixtures.application_categories(applications, lambda _i: rng.sample(categories, rng.choice((1, 2))))
    Application.products.through.objects.bulk_create(
        Application.products.through(application=a, product=p) for a, p in zip(applications, products, strict=True)
    )
    fixtures.assignments(
        zip(fixtures.random_free(booths, assigned, rng), applications[:assigned], strict=True),
        status=lambda: rng.choice(Assignment.ACTIVE),
    )
    return event


def cleanup():
    fixtures.delete_fairs(MAP, SIGNS)
    fixtures.delete_businesses(BENCHMARK)
    Category.objects.filter(slug__startswith="bench-printing-").delete()
