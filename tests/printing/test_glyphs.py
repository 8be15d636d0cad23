"""No printed document shows a missing glyph: every character of every kind of PDF the app
makes is drawn with a real glyph of a font embedded in it, with Vietnamese names and hostile
ones (emoji, variation selectors, CJK) in the data. And printed names refuse such characters
at input with a field message."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from events.generated import registry
from tests import factories
from tuanhang.kernel.pdf import clean_text, unprintable
from vendors.models import Product, Vendor

from .support import make_fair, pdf_text
from .test_documents import build

pytestmark = pytest.mark.django_db

HOSTILE = ["Bánh đa cua 🦀 Hải Phòng", "Cà phê ☕️ Đắk Lắk", "Trà 🍵 Thái Nguyên 漢字", "Nước mắm ★ Cát Hải ❤"]


def _cmap_entries(stream: bytes):
    """(code, text) pairs of a ToUnicode CMap (bfchar and bfrange)."""
    text = stream.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            yield int(code, 16), bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for start, end, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = bytes.fromhex(uni).decode("utf-16-be")
            for offset in range(int(end, 16) - int(start, 16) + 1):
                yield int(start, 16) + offset, base[:-1] + chr(ord(base[-1]) + offset)


def _font_glyphs(font) -> tuple[set[str], set[str]]:
    """(characters drawn with a real glyph, characters drawn with .notdef) by one PDF font."""
    font = font.get_object()
    if "/ToUnicode" not in font:
        return set(), set()
    entries = list(_cmap_entries(font["/ToUnicode"].get_object().get_data()))
    if font["/Subtype"] == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        program = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        cid_map = descendant.get("/CIDToGIDMap")
        if cid_map is not None and cid_map != "/Identity":
            data = cid_map.get_object().get_data()

            def gid(code):
                return int.from_bytes(data[2 * code : 2 * code + 2], "big")
        else:

            def gid(code):
                return code
    else:
        program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        cmap = {}
        for table in TTFont(io.BytesIO(program))["cmap"].tables:  # ReportLab writes a (1, 0) table
            cmap.update(table.cmap)

        def gid(code):
            name = cmap.get(code)
            return 0 if name in (None, ".notdef") else 1

    ttf = TTFont(io.BytesIO(program))
    count = ttf["maxp"].numGlyphs
    good, bad = set(), set()
    for code, text in entries:
        glyph = gid(code)
        (good if 0 < glyph < count else bad).update(ch for ch in text if ch != "\x00")
    return good, bad


def assert_every_character_has_a_glyph(content: bytes, what: str):
    reader = PdfReader(io.BytesIO(content))
    good, bad = set(), set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values() if fonts else ():
            g, b = _font_glyphs(font)
            good |= g
            bad |= b
    text = {ch for ch in pdf_text(content) if not ch.isspace()}
    # ReportLab draws a character its font lacks with glyph 0 under code 0: it reads back as NUL.
    assert "\x00" not in text, f"{what}: a character drawn as an empty box (.notdef, code 0)"
    # A subset may map codes it never uses (ReportLab's first one holds all of ASCII, DEL too).
    assert not bad & text, f"{what}: drawn as empty boxes: {sorted(bad & text)}"
    assert text <= good, f"{what}: not covered by an embedded font: {sorted(text - good)}"


def _hostile_fair():
    event, booths, apps = make_fair(names=HOSTILE, name="Tuần hàng Việt Nam 🇻🇳 Thủy Nguyên")
    category = factories.CategoryFactory(name="Đặc sản 🎁 vùng miền")
    for app in apps:
        Vendor.objects.filter(pk=app.vendor_id).update(short_name="Đặc sản 🌶️", address="Ấp 3 🏠")
        Product.objects.create(vendor=app.vendor, name="Mắm tôm 🦐 Hậu Lộc", category=category, ocop_stars=4)
    return event, booths, apps


KINDS = [(builder.kind, {}) for builder in registry.builders(None)]


def test_every_kind_of_print_is_listed():
    assert {kind for kind, _ in KINDS} >= {
        "booth_map",
        "booth_signs",
        "participants",
        "checkin",
        "letters",
        "closing_report",
    }


@pytest.mark.parametrize(("kind", "options"), KINDS)
def test_every_print_draws_every_character_with_an_embedded_glyph(kind, options):
    event, _booths, _apps = _hostile_fair()
    content = build(event, kind, **options)
    if not content.startswith(b"%PDF"):
        pytest.skip(f"{kind} is not a PDF")
    assert_every_character_has_a_glyph(content, kind)
    if kind != "closing_report":  # figures only, no names
        assert "Bánh đa cua" in " ".join(pdf_text(content).split())


def test_handover_record_draws_every_character_with_an_embedded_glyph(client):
    event, _booths, apps = _hostile_fair()
    client.force_login(factories.StaffUserFactory(username="le.tan"))
    with translation.override("vi"):
        url = reverse("vendors:checkin_handover_record", kwargs={"slug": event.slug, "pk": apps[0].pk})
    response = client.get(url)
    assert response.status_code == 200
    assert_every_character_has_a_glyph(response.content, "handover record")
    assert "Bánh đa cua Hải Phòng" in " ".join(pdf_text(response.content).split())


def test_the_glyph_check_catches_an_emoji_drawn_without_cleaning():
    """Control: text drawn as is (not through clean_text) shows the box, and the check says so."""
    from reportlab.pdfgen.canvas import Canvas

    from tuanhang.kernel.pdf import SANS, register_fonts

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont(SANS, 12)
    canvas.drawString(72, 720, "Cua 🦀 Đồ Sơn")
    canvas.showPage()
    canvas.save()
    with pytest.raises(AssertionError, match="empty box"):
        assert_every_character_has_a_glyph(out.getvalue(), "control")


def test_print_time_cleaning_drops_only_what_the_fonts_cannot_draw():
    assert clean_text("Bánh đa 🦀 cua ★ ₫ – “Hải Phòng”") == "Bánh đa cua ★ ₫ – “Hải Phòng”"
    assert unprintable("Nước mắm 🐟 Cát Hải 🐟 漢") == ["🐟", "漢"]


@pytest.mark.parametrize(("model", "field"), [(Vendor, "name"), (Vendor, "short_name"), (Product, "name")])
def test_printed_names_refuse_emoji_with_a_vietnamese_message(model, field):
    from django.core.exceptions import ValidationError

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        model._meta.get_field(field).run_validators("Cua 🦀 Đồ Sơn")
    assert "không in được" in error.value.messages[0] and "🦀" in error.value.messages[0]
    model._meta.get_field(field).run_validators("Cà phê Đắk Lắk – “Buôn Ma Thuột” ★")
