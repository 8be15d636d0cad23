"""Script, HTML and formula payloads in every text a business can enter come out inert: escaped in
pages (and the SVG map), printed as plain text in PDFs with no link or script in the file, and
neutralised in spreadsheets (a cell never starts with = + - @)."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from booths.models import Assignment
from events.generated import get_builder
from events.generated.header import fair_for_print
from events.models import Event
from tests import factories
from vendors.models import Application, VendorMember

PAYLOADS = {
    "name": '<script>alert("ten")</script> Công ty',
    "short_name": "<img src=x onerror=alert(1)>",
    "address": '"><svg onload=alert(2)>',
    "representative": "+cmd|' /C calc'!A0",
    "contact_name": '=HYPERLINK("http://evil.example","bấm")',
    "description": '<a href="javascript:alert(3)">xem</a>',
    "website": "https://example.vn/?q=<script>",
}
PRODUCT = "@SUM(1+1)<b>đậm</b>"
NOTE = "-2+3<iframe src=//evil.example>"
# What must never reach a page as markup.
LIVE_MARKUP = re.compile(r"<script>alert|<img src=x|<svg onload|<iframe src=//evil|<b>đậm|href=\"javascript:", re.I)
FORMULA = ("=", "+", "-", "@")


@pytest.fixture
def hostile(db):
    event = factories.EventFactory(slug="hoi-cho", status=Event.Status.REGISTRATION_OPEN)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    booth = factories.BoothFactory(event=event, zone=zone, code="A01", x=0, y=0)
    vendor = factories.VendorFactory(**PAYLOADS)
    product = factories.ProductFactory(vendor=vendor, name=PRODUCT, ocop_stars=4)
    application = factories.ApplicationFactory(
        vendor=vendor, event=event, status=Application.Status.APPROVED, note=NOTE
    )
    application.products.add(product)
    Assignment.objects.create(booth=booth, application=application, status=Assignment.Status.CONFIRMED)
    owner = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=owner)
    return type("Hostile", (), {"event": event, "vendor": vendor, "application": application, "owner": owner})


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_pages_show_the_payloads_as_text(client, hostile):
    slug, vendor = hostile.event.slug, hostile.vendor
    public = [
        f"/fairs/{slug}/",
        f"/fairs/{slug}/exhibitors/",
        f"/fairs/{slug}/exhibitors/?q=cong+ty",
        f"/fairs/{slug}/exhibitors/{vendor.pk}/",
        f"/fairs/{slug}/map/",
        f"/fairs/{slug}/map.svg",
    ]
    pages = {url: _body(client.get(url)) for url in public}
    client.force_login(hostile.owner)
    for url in ["/dashboard/", "/profile/", "/products/", f"/applications/{hostile.application.pk}/"]:
        pages[url] = _body(client.get(url))
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    staff = [
        f"/review/fairs/{slug}/",
        f"/review/applications/{hostile.application.pk}/",
        f"/staff/fairs/{slug}/map/",
        f"/staff/fairs/{slug}/checkin/?q=cong",
        f"/staff/fairs/{slug}/checkin/{hostile.application.pk}/",
        f"/admin/vendors/vendor/{vendor.pk}/change/",
        "/admin/vendors/vendor/",
    ]
    pages.update({url: _body(client.get(url)) for url in staff})

    live = {url: LIVE_MARKUP.findall(body) for url, body in pages.items() if LIVE_MARKUP.search(body)}
    assert live == {}
    exhibitor = pages[f"/fairs/{slug}/exhibitors/{vendor.pk}/"]
    assert "&lt;script&gt;alert(&quot;ten&quot;)&lt;/script&gt; Công ty" in exhibitor
    assert "&lt;a href=&quot;javascript:alert(3)&quot;&gt;xem&lt;/a&gt;" in exhibitor
    assert "@SUM(1+1)&lt;b&gt;đậm&lt;/b&gt;" in exhibitor
    assert "&lt;img src=x" in pages[f"/fairs/{slug}/map.svg"]  # the short name, fitted into the booth
    assert "-2+3&lt;iframe src=//evil.example&gt;" in pages[f"/review/applications/{hostile.application.pk}/"]


def _pdf(event, kind, **options) -> bytes:
    builder = get_builder(kind)
    event = fair_for_print(slug=event.slug)
    cleaned = builder.clean(options, event=event)
    return builder.render(event, builder.collect(event, cleaned), cleaned, lambda done, total: None)


@pytest.mark.parametrize("kind", ["participants", "checkin", "letters", "booth_signs", "booth_map"])
def test_prints_show_the_payloads_as_plain_text_and_carry_no_link_or_script(hostile, kind):
    content = _pdf(hostile.event, kind)
    text = " ".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())

    # The name is printed as written (a whole or cut to fit a sign: its start at least).
    assert '<script>alert("ten")' in text or "<img src=x" in text, text[:400]
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/URI (http://evil", b"/URI (javascript"):
        assert marker not in content, (kind, marker)


def _cells_of_xlsx(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("key", ["participants", "applications", "booths"])
def test_spreadsheets_neutralise_formulas(client, hostile, key):
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    base = f"/staff/fairs/{hostile.event.slug}/exports/{key}"

    xlsx = client.get(f"{base}.xlsx")
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").content.decode("utf-8-sig"))))

    cells = _cells_of_xlsx(xlsx.content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    fields = [field for row in rows for field in row]
    for values in (texts, fields):
        assert [v for v in values if v.startswith(FORMULA)] == []
    if key != "booths":
        for values in (texts, fields):
            assert '\'=HYPERLINK("http://evil.example","bấm")' in values
    if key == "participants":
        for values in (texts, fields):
            assert "'+cmd|' /C calc'!A0" in values and "'@SUM(1+1)<b>đậm</b>" in values
            assert "Hạng sao OCOP" in values
    if key == "applications":
        for values in (texts, fields):
            assert "'-2+3<iframe src=//evil.example>" in values
    if key != "applications":  # (which lists no short names)
        assert any("<img src=x onerror=alert(1)>" in v for v in fields)  # kept as text, not dropped
