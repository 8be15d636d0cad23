"""Booth signs (ReportLab canvas): one per assigned booth, on A4 landscape or two A5 landscape
signs per A4 sheet (with a cut line). Each shows the zone band, the booth code large, the
business name (fitted on up to two lines), its province, OCOP stars, its logo when it has one,
and a QR code to its public page with the address written under it.

A sign is drawn in a 297 × 210 mm design box, scaled down for A5. Text is drawn as plain text:
nothing in a business name is interpreted. Logos are read only from our media folder
(tuanhang.kernel.pdf.local_file); a logo that points anywhere else is left out.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from events.generated.header import FairHeader
from tuanhang.kernel.pdf import (
    NO_PROGRESS,
    SANS,
    SANS_BOLD,
    Progress,
    UnsafeURL,
    draw_qr,
    fit_size,
    local_file,
    register_fonts,
    set_metadata,
    string_width,
    truncate,
    wrap,
)

from ..selectors.printing import SignRow
from ..svg.style import INK, ink_on
from .map import colour

logger = logging.getLogger(__name__)

MM = 72 / 25.4
DESIGN_W, DESIGN_H = 297 * MM, 210 * MM
LAYOUT_A4, LAYOUT_A5 = "a4", "a5x2"
MUTED = "#495057"
STARS = "#d99100"


@dataclass(frozen=True)
class SignsPrint:
    header: FairHeader
    signs: tuple[SignRow, ...]


def booth_signs_pdf(printed: SignsPrint, *, layout: str = LAYOUT_A4, progress: Progress = NO_PROGRESS) -> bytes:
    register_fonts()
    out = io.BytesIO()
    pagesize = landscape(A4) if layout == LAYOUT_A4 else A4
    canvas = Canvas(out, pagesize=pagesize, pageCompression=1)
    set_metadata(canvas, title=_("Booth signs") + " – " + printed.header.name, author=printed.header.organiser)
    drawer = _Sign(canvas, printed.header)
    total = len(printed.signs)
    if not printed.signs:
        canvas.setFont(SANS, 14)
        canvas.drawString(20 * MM, pagesize[1] - 30 * MM, _("No booth is assigned yet: there is no sign to print."))
        canvas.showPage()
    for i, sign in enumerate(printed.signs):
        if layout == LAYOUT_A4:
            drawer.draw(sign, 0, 0, 1.0)
            canvas.showPage()
        else:
            # Two A5 landscape signs per A4 portrait sheet: top half, then bottom half.
            half = pagesize[1] / 2
            scale = half / DESIGN_H
            drawer.draw(sign, 0, half if i % 2 == 0 else 0, scale)
            if i % 2 == 1 or i == total - 1:
                drawer.cut_line(pagesize[0], half)
                canvas.showPage()
        if i % 25 == 24:
            progress(i + 1, total)
    canvas.save()
    return out.getvalue()


class _Sign:
    def __init__(self, canvas: Canvas, header: FairHeader):
        self.c, self.header = canvas, header
        self.logos: dict[str, ImageReader | None] = {}

    def draw(self, sign: SignRow, x: float, y: float, scale: float):
        c = self.c
        c.saveState()
        c.translate(x, y)
        c.scale(scale, scale)
        self.band(sign)
        self.code(sign)
        self.name(sign)
        self.details(sign)
        self.qr(sign)
        self.logo(sign)
        c.restoreState()

    def band(self, sign: SignRow):
        c = self.c
        height = 17 * MM
        c.setFillColor(colour(sign.zone_colour))
        c.rect(0, DESIGN_H - height, DESIGN_W, height, stroke=0, fill=1)
        ink = ink_on(sign.zone_colour)
        c.setFillColor(colour(ink))
        c.setFont(SANS_BOLD, 17)
        zone = truncate(sign.zone, SANS_BOLD, 17, DESIGN_W * 0.45)
        c.drawString(14 * MM, DESIGN_H - 11 * MM, zone)
        c.setFont(SANS, 11)
        fair = truncate(self.header.name, SANS, 11, DESIGN_W * 0.45)
        c.drawRightString(DESIGN_W - 14 * MM, DESIGN_H - 10.5 * MM, fair)

    def code(self, sign: SignRow):
        c = self.c
        c.setFillColor(colour(MUTED))
        c.setFont(SANS, 14)
        c.drawString(14 * MM, DESIGN_H - 26 * MM, _("BOOTH"))
        size = fit_size(sign.booth_code, SANS_BOLD, DESIGN_W * 0.55, 150, 60)
        c.setFillColor(colour(INK))
        c.setFont(SANS_BOLD, size)
        c.drawString(12 * MM, DESIGN_H - 31 * MM - size * 0.75, sign.booth_code)

    def name(self, sign: SignRow):
        c = self.c
        width = DESIGN_W - 28 * MM
        size = 44
        lines = wrap(sign.name, SANS_BOLD, size, width, 2)
        # Smaller type until the name fits on two lines without being cut.
        while size > 24 and (lines[-1].endswith("…") and not sign.name.endswith("…")):
            size -= 2
            lines = wrap(sign.name, SANS_BOLD, size, width, 2)
        top = DESIGN_H - 100 * MM
        c.setFillColor(colour(INK))
        c.setFont(SANS_BOLD, size)
        for i, line in enumerate(lines):
            c.drawString(14 * MM, top - i * size * 1.15, line)
        if sign.legal_name != sign.name:
            c.setFont(SANS, 12)
            c.setFillColor(colour(MUTED))
            legal_top = top - len(lines) * size * 1.15 + size * 0.3
            c.drawString(14 * MM, legal_top, truncate(sign.legal_name, SANS, 12, width))

    def details(self, sign: SignRow):
        c = self.c
        bottom = 18 * MM
        room = DESIGN_W - 90 * MM
        c.setFillColor(colour(INK))
        c.setFont(SANS, 22)
        c.drawString(14 * MM, bottom + 14 * MM, truncate(sign.province, SANS, 22, room))
        if sign.ocop_stars:
            c.setFont(SANS_BOLD, 20)
            c.drawString(14 * MM, bottom, "OCOP")
            c.setFillColor(colour(STARS))
            c.setFont(SANS, 24)
            c.drawString(14 * MM + string_width("OCOP ", SANS_BOLD, 20), bottom - 1, sign.stars_text)

    def qr(self, sign: SignRow):
        c = self.c
        size = 48 * MM
        x, y = DESIGN_W - 14 * MM - size, 16 * MM
        draw_qr(c, sign.url, x, y, size)
        c.setFillColor(colour(MUTED))
        c.setFont(SANS, 8.5)
        c.drawCentredString(x + size / 2, y + size + 1 * MM, _("Scan for this participant's page"))
        c.setFont(SANS, 6.5)
        c.drawCentredString(x + size / 2, y - 3 * MM, truncate(sign.url, SANS, 6.5, size + 30 * MM))

    def logo(self, sign: SignRow):
        image = self._logo(sign.logo)
        if image is None:
            return
        box_w, box_h = 60 * MM, 32 * MM
        width, height = image.getSize()
        ratio = min(box_w / width, box_h / height)
        w, h = width * ratio, height * ratio
        x = DESIGN_W - 14 * MM - w
        y = DESIGN_H - 22 * MM - h
        self.c.drawImage(image, x, y, w, h, mask="auto")

    def _logo(self, url: str):
        if not url:
            return None
        if url not in self.logos:
            try:
                self.logos[url] = ImageReader(str(local_file(url)))
            except (UnsafeURL, OSError) as exc:
                logger.warning("booth sign: logo %r left out (%s)", url[:200], exc)
                self.logos[url] = None
        return self.logos[url]

    def cut_line(self, width: float, y: float):
        c = self.c
        c.saveState()
        c.setStrokeColor(colour("#adb5bd"))
        c.setLineWidth(0.5)
        c.setDash(4, 3)
        c.line(8 * MM, y, width - 8 * MM, y)
        c.setFillColor(colour("#adb5bd"))
        c.setFont(SANS, 7)
        c.drawString(8 * MM, y + 1.2 * MM, "✂")
        c.restoreState()
