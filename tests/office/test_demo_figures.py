"""manage.py demo_figures measures the seeded demo fair from its outputs (issue 19's closing figures)."""

import io

from django.core.management import call_command
from django.utils import translation

from events.models import Event
from tuanhang.office.demo.figures import demo_figures
from vendors.selectors.figures import fair_figures


def test_demo_figures_reads_every_picture_print_and_ocop_figure_of_the_demo(db):
    with translation.override("en"):
        call_command("seed_demo", stdout=io.StringIO())
        out = io.StringIO()
        call_command("demo_figures", stdout=out)
        measured = demo_figures()
    output = out.getvalue()

    assert measured.booths == 127
    assert measured.pictures == dict.fromkeys(
        [
            "staff floor plan",
            "staff booth map",
            "public map (whole hall)",
            "fair page preview (map.svg)",
            "allocation preview/result",
        ],
        127,
    )
    assert (measured.a3_codes, measured.a3_problems) == (127, [])
    assert measured.letter_pages == 1
    # Read from the outputs, the OCOP figure is the selector's on all four (five files).
    figures = fair_figures(Event.objects.get(slug="tuan-hang-viet-nam-vsip-thuy-nguyen-2024"))
    assert {name: f.businesses for name, f in measured.ocop.items()} == dict.fromkeys(
        measured.ocop, figures.ocop_businesses
    )
    assert all(f.by_stars == figures.ocop_by_stars for f in measured.ocop.values() if f.by_stars is not None)
    assert measured.ocop["reports page"].stated_products == figures.ocop_products
    assert "A3 booth map PDF (booth codes)  127/127" in output
    assert "One-participant confirmation letter" in output and ": 1 page" in output
