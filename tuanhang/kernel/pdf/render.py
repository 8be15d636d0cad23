"""ReportLab helpers (a canvas that knows the page count, metadata, progress), PDF merging, and
WeasyPrint rendering of templates with the safe fetcher."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from django.template.loader import render_to_string

from .fetch import base_url, safe_url_fetcher
from .text import clean_text
from .weasy import import_weasyprint

# --- ReportLab ------------------------------------------------------------------------------


def numbered_canvas(decorate: Callable[[object, int, int], None]):
    """A canvas class for platypus documents that knows the page count: each page is kept until
    the document ends, then `decorate(canvas, page, total)` draws its header and footer
    ("Trang 2/7") and the page is written."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def set_metadata(canvas, *, title: str, author: str = "", subject: str = "") -> None:
    canvas.setTitle(clean_text(title))
    canvas.setAuthor(clean_text(author))
    canvas.setSubject(clean_text(subject))
    canvas.setCreator("tuanhang")


def draw_qr(canvas, text: str, x: float, y: float, size: float, *, ink="#000000", border: int = 4) -> None:
    """A QR code of `text` (segno, error correction M) as vector squares: bottom-left corner at
    (x, y), `size` points wide with its quiet zone of `border` modules."""
    import segno

    # boost_error=False: segno would otherwise raise the level when the data leaves room, and the
    # symbol would not be the level-M one the callers size for.
    matrix = segno.make(text, error="m", micro=False, boost_error=False).matrix
    count = len(matrix)
    module = size / (count + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (border + r + 1) * module
        column = 0
        while column < count:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < count and row[column]:
                column += 1
            path.rect(x + (border + start) * module, top, (column - start) * module, module)
    canvas.saveState()
    canvas.setFillColor(ink)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class Progress:
    """A renderer's progress report: `progress(done, total)` calls `callback(percent)` (0–100)
    when one is given. Renderers call it as they go; the GeneratedFile service saves it."""

    def __init__(self, callback: Callable[[int], None] | None = None):
        self.callback = callback

    def __call__(self, done: int, total: int) -> None:
        if self.callback is not None and total:
            self.callback(min(100, int(100 * done / total)))


NO_PROGRESS = Progress()


def merge_pdfs(parts: Iterable[bytes]) -> bytes:
    """Several PDFs one after the other in one file (pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- WeasyPrint ------------------------------------------------------------------------------


def html_to_pdf(html: str) -> bytes:
    """HTML (already rendered by a Django template, so user text is escaped) to PDF, fetching
    only our own files."""
    weasyprint = import_weasyprint()

    return weasyprint.HTML(string=html, base_url=base_url(), url_fetcher=safe_url_fetcher()).write_pdf()


def template_to_pdf(template_name: str, context: dict) -> bytes:
    """A template under templates/pdf/ rendered with `context` (autoescaped) and printed."""
    return html_to_pdf(render_to_string(template_name, context))
