"""A titled list as PDF (ReportLab platypus): a title block, one table whose header repeats on
every page, group rows spanning the table ("Hải Phòng — 12 đơn vị"), closing lines, and on
every page a running header and the footer "In lúc … · Trang 2/7".

Cells are plain text; text that does not fit its column on one line is wrapped in a Paragraph,
after Django's escape(), so a business called "<b>…</b> & Co" prints exactly as written.
Cells that fit are drawn as plain strings (no markup), cheaper for long lists.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

from .fonts import CONDENSED, CONDENSED_BOLD, SANS, SANS_BOLD, register_fonts
from .render import NO_PROGRESS, Progress, numbered_canvas
from .text import clean_text, page_text, printed_at_text, string_width

MM = 72 / 25.4
INK = "#212529"
MUTED = "#6c757d"
RULE = "#adb5bd"
HEADER_BG = "#1f4e79"
GROUP_BG = "#e7eef6"
STRIPE_BG = "#f6f8fa"


@dataclass(frozen=True)
class PdfColumn:
    header: str
    width_mm: float
    align: str = "LEFT"  # LEFT, CENTER, RIGHT
    bold: bool = False


@dataclass(frozen=True)
class GroupRow:
    """A row spanning the whole table that starts a group."""

    text: str


def group_row(text: str) -> GroupRow:
    return GroupRow(clean_text(text))


@dataclass
class PdfTable:
    title: str  # "DANH SÁCH ĐƠN VỊ THAM GIA"
    lines: Sequence[str]  # under the title: the fair, where and when, what is listed
    columns: Sequence[PdfColumn]
    rows: Sequence[Sequence[str] | GroupRow]
    running_title: str = ""  # top of every page, left
    running_right: str = ""  # top of every page, right
    closing: Sequence[str] = ()  # lines after the table (totals, legend)
    landscape: bool = True
    font_size: float = 8
    row_height_mm: float | None = None  # at least this tall (room for signatures)
    author: str = ""
    empty_text: str = ""


def table_pdf(doc: PdfTable, progress: Progress = NO_PROGRESS) -> bytes:
    """The list as PDF bytes (A4, landscape unless doc.landscape is False)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    pagesize = landscape(A4) if doc.landscape else A4
    margin = 10 * MM
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + 6 * MM,
        bottomMargin=margin + 4 * MM,
        title=clean_text(doc.title),
        author=clean_text(doc.author),
        creator="tuanhang",
    )
    printed_at = printed_at_text()
    expected_pages = max(1, len(doc.rows) // (14 if doc.row_height_mm else 22) + 1)

    def decorate(canvas, page, total):
        _running_header_footer(canvas, doc, pagesize, margin, page, total, printed_at)

    def after_page(canvas, _doc):
        progress(min(canvas.getPageNumber(), expected_pages), expected_pages + 1)

    story = [*_title_block(doc), _table(doc), *_closing(doc)]
    template.build(
        story,
        onFirstPage=after_page,
        onLaterPages=after_page,
        canvasmaker=numbered_canvas(decorate),
    )
    return out.getvalue()


def _styles(doc: PdfTable):
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    size = doc.font_size
    return {
        "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=15, leading=19, alignment=TA_CENTER),
        "line": ParagraphStyle("line", fontName=SANS, fontSize=9.5, leading=13, alignment=TA_CENTER, textColor=INK),
        "cell": ParagraphStyle("cell", fontName=CONDENSED, fontSize=size, leading=size * 1.22),
        "cell_bold": ParagraphStyle("cell_bold", fontName=CONDENSED_BOLD, fontSize=size, leading=size * 1.22),
        "header": ParagraphStyle(
            "header", fontName=CONDENSED_BOLD, fontSize=size, leading=size * 1.22, textColor="#ffffff"
        ),
        "closing": ParagraphStyle("closing", fontName=SANS, fontSize=8.5, leading=12, textColor=INK),
        "empty": ParagraphStyle("empty", fontName=SANS, fontSize=10, leading=14, alignment=TA_CENTER),
    }


def _title_block(doc: PdfTable) -> list:
    from reportlab.platypus import Paragraph, Spacer

    styles = _styles(doc)
    story = [Paragraph(escape(clean_text(doc.title)), styles["title"]), Spacer(1, 2 * MM)]
    story += [Paragraph(escape(clean_text(line)), styles["line"]) for line in doc.lines if line]
    story.append(Spacer(1, 4 * MM))
    return story


def _closing(doc: PdfTable) -> list:
    from reportlab.platypus import Paragraph, Spacer

    styles = _styles(doc)
    story = [Spacer(1, 3 * MM)] if doc.closing else []
    return story + [Paragraph(escape(clean_text(line)), styles["closing"]) for line in doc.closing if line]


def _table(doc: PdfTable):
    from reportlab.lib import colors
    from reportlab.platypus import LongTable, Paragraph, TableStyle

    styles = _styles(doc)
    if not doc.rows:
        return Paragraph(escape(doc.empty_text), styles["empty"])
    widths = [c.width_mm * MM for c in doc.columns]
    pad = 2 * 1.5  # left + right padding, points
    size = doc.font_size
    header = [Paragraph(escape(clean_text(c.header)), styles["header"]) for c in doc.columns]
    data, commands = [header], []
    stripe = False
    for row in doc.rows:
        index = len(data)
        if isinstance(row, GroupRow):
            data.append([Paragraph(escape(row.text), styles["cell_bold"])] + [""] * (len(doc.columns) - 1))
            commands += [("SPAN", (0, index), (-1, index)), ("BACKGROUND", (0, index), (-1, index), GROUP_BG)]
            stripe = False
            continue
        cells = []
        for value, column, width in zip(row, doc.columns, widths, strict=True):
            text = clean_text(value)
            font = CONDENSED_BOLD if column.bold else CONDENSED
            if string_width(text, font, size) <= width - pad:
                cells.append(text)
            else:
                cells.append(Paragraph(escape(text), styles["cell_bold" if column.bold else "cell"]))
        data.append(cells)
        if stripe:
            commands.append(("BACKGROUND", (0, index), (-1, index), STRIPE_BG))
        stripe = not stripe
    for i, column in enumerate(doc.columns):
        commands.append(("ALIGN", (i, 1), (i, -1), column.align))
        if column.bold:
            commands.append(("FONT", (i, 1), (i, -1), CONDENSED_BOLD, size))
    heights = None
    if doc.row_height_mm:
        heights = [None] + [doc.row_height_mm * MM] * (len(data) - 1)
    table = LongTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 1), (-1, -1), CONDENSED, size),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
                *commands,
            ]
        )
    )
    return table


def _running_header_footer(canvas, doc: PdfTable, pagesize, margin, page, total, printed_at):
    width, height = pagesize
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    top = height - margin
    canvas.setFont(SANS, 7.5)
    canvas.setFillColor(MUTED)
    if doc.running_title:
        canvas.drawString(margin, top - 2 * MM, clean_text(doc.running_title)[:160])
    if doc.running_right:
        canvas.drawRightString(width - margin, top - 2 * MM, clean_text(doc.running_right)[:80])
    canvas.line(margin, top - 3.5 * MM, width - margin, top - 3.5 * MM)
    bottom = margin
    canvas.line(margin, bottom + 3 * MM, width - margin, bottom + 3 * MM)
    canvas.drawString(margin, bottom, printed_at)
    canvas.setFont(SANS_BOLD, 8)
    canvas.setFillColor(INK)
    canvas.drawRightString(width - margin, bottom, page_text(page, total))
    canvas.restoreState()
