"""What the seeded demo fair's pictures and prints show, read back from the outputs themselves
(issue 19's closing figures; `manage.py demo_figures` prints them):

- booths drawn wholly inside each picture and under no legend, scale bar or title (staff floor plan,
  staff and public booth maps, the fair page's preview, the allocation preview/result map);
- booth codes a reader finds inside a sheet of the A3 booth map PDF (`pdftotext -bbox`);
- pages of the confirmation letter for one participant;
- the OCOP figure on the reports page, the public directory, the participant list and the closing
  report (PDF and .xlsx), parsed from the HTML, the PDF text and the workbook, not the selector.

Pages are fetched with Django's test client as the demo's organiser login (so the real views,
templates and middleware run); nothing is written.
"""

import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from booths.models import Assignment, Booth
from booths.printing.layout import plan
from booths.printing.map import BoothMapPrint, booth_map_pdf
from booths.printing.measure import codes_on_map_pages
from booths.selectors.map import STAFF, booth_map_data, booth_map_for_page
from booths.svg import legend_entries
from booths.svg.measure import svg_frame
from events.generated.header import fair_for_print, fair_header
from events.generated.registry import get_builder
from events.models import Event
from tuanhang.kernel.sites import site_url

from . import data
from .rows import USERNAME


@dataclass
class OcopFigure:
    """An output's OCOP figure: participants with OCOP products, and products by stars (None where
    the output does not print it)."""

    businesses: int | None
    by_stars: dict[int, int] | None = None
    stated_products: int | None = None  # an "OCOP products" total printed beside the stars, if any

    @property
    def products(self) -> int | None:
        return sum(self.by_stars.values()) if self.by_stars is not None else None


@dataclass
class DemoFigures:
    booths: int
    pictures: dict[str, int] = field(default_factory=dict)  # picture → booths drawn inside
    a3_codes: int = 0
    a3_problems: list[str] = field(default_factory=list)
    letter_participant: str = ""
    letter_pages: int = 0
    ocop: dict[str, OcopFigure] = field(default_factory=dict)


def demo_figures(event: Event | None = None) -> DemoFigures:
    """Measure the demo fair (or `event`) as described in the module's docstring."""
    event = fair_for_print(slug=(event.slug if event else data.EVENT["slug"]))
    client = Client(HTTP_HOST=urlsplit(site_url("/")).hostname)
    client.force_login(get_user_model().objects.get(username=USERNAME))
    figures = DemoFigures(booths=Booth.objects.filter(event=event).count())
    figures.pictures = {name: len(svg_frame(svg).inside()) for name, svg in _pictures(client, event).items()}
    figures.a3_codes, figures.a3_problems = _a3_codes(event)
    figures.letter_participant, figures.letter_pages = _letter_pages(event)
    figures.ocop = _ocop_figures(client, event)
    return figures


def _get(client, url, **params) -> str:
    response = client.get(url, params, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response.content.decode()


def _svg_in(html: str, pattern: str) -> str:
    return re.search(pattern, html, re.S).group(0)


def _pictures(client, event) -> dict[str, str]:
    map_svg, plan_svg = r'<svg[^>]*class="booth-map".*?</svg>', r'<svg id="floorplan-svg".*?</svg>'
    pictures = {
        "staff floor plan": _svg_in(_get(client, reverse("booths:floorplan", args=[event.slug])), plan_svg),
        "staff booth map": _svg_in(_get(client, reverse("booths:map_staff", args=[event.slug])), map_svg),
        "public map (whole hall)": _svg_in(_get(client, reverse("booths:map_public", args=[event.slug])), map_svg),
        "fair page preview (map.svg)": _get(client, reverse("booths:map_svg", args=[event.slug])),
        # The allocation preview and result draw this map with the plan's occupants.
        "allocation preview/result": str(booth_map_for_page(event=event, audience=STAFF).svg),
    }
    return {name: svg.split("?>", 1)[-1] for name, svg in pictures.items()}


def _a3_codes(event) -> tuple[int, list[str]]:
    map_data = booth_map_data(event=event)
    pdf = booth_map_pdf(BoothMapPrint(header=fair_header(event), data=map_data), paper="A3")
    layout = plan(map_data, paper="A3", legend_entries=len(legend_entries(map_data, "zone")))
    found, problems = codes_on_map_pages(pdf, layout, map_data)
    return len(found), problems


def _build(event, kind, **options) -> bytes:
    builder = get_builder(kind)
    cleaned = builder.clean(options, event=event)
    return builder.render(event, builder.collect(event, cleaned), cleaned, lambda done, total: None)


def _letter_pages(event) -> tuple[str, int]:
    """The confirmation letter of the first participant (by application id) with a confirmed booth."""
    assignment = (
        Assignment.objects.filter(booth__event=event, status=Assignment.Status.CONFIRMED)
        .select_related("application__vendor")
        .order_by("application_id")
        .first()
    )
    if assignment is None:
        return "", 0
    content = _build(event, "letters", application=assignment.application_id)
    return assignment.application.vendor.name, len(PdfReader(io.BytesIO(content)).pages)


_STARS = re.compile(r"([345])★: (\d+)")
_OCOP_LINE = re.compile(r"OCOP: (\d+) ")


def _figure(html: str, key: str) -> int:
    match = re.search(rf'data-figure="{key}">\D*(\d+)', html)
    return int(match.group(1))


def _pdf_ocop(content: bytes) -> OcopFigure:
    text = " ".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())
    return OcopFigure(
        int(_OCOP_LINE.search(text).group(1)), {int(s): int(n) for s, n in _STARS.findall(text[text.index("OCOP: ") :])}
    )


def _ocop_figures(client, event) -> dict[str, OcopFigure]:
    reports = _get(client, reverse("reports:page", args=[event.slug]))
    directory = _get(client, reverse("vendors:exhibitors", args=[event.slug]))
    sheet = load_workbook(io.BytesIO(_build(event, "closing_report_xlsx"))).worksheets[0]
    # The figures sheet: (label, value) rows in FairFigures.labelled()'s order after a header row.
    values = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    return {
        "reports page": _reports_ocop(reports),
        "public directory": OcopFigure(_figure(directory, "ocop-businesses")),
        "participant list (PDF)": _pdf_ocop(_build(event, "participants", order="booth")),
        "closing report (PDF)": _pdf_ocop(_build(event, "closing_report")),
        "closing report (.xlsx)": OcopFigure(values[3], {3: values[5], 4: values[6], 5: values[7]}),
    }


def _reports_ocop(html: str) -> OcopFigure:
    # The chart's bars carry "<title>N sao · Sản phẩm: k</title>" (in the active language): read
    # the stars and count from each bar's title; a star level with no product has no bar.
    bars = re.findall(r"<title>([345])\D+?(\d+)</title>", html)
    by_stars = {3: 0, 4: 0, 5: 0} | {int(s): int(n) for s, n in bars}
    return OcopFigure(_figure(html, "ocop-businesses"), by_stars, stated_products=_figure(html, "ocop-products"))
