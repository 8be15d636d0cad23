"""What every printed document shares: fonts, the safe URL fetcher, and helpers for the two
renderers we use.

Renderers (chosen per document by what meets its time target, see the README):
- ReportLab (canvas and platypus) for the long and repetitive documents: booth map with its
  index, participant list, check-in sheet, booth signs. TrueType fonts are embedded as subsets
  and text stays text.
- WeasyPrint for designed pages laid out in templates/pdf/ (the confirmation letter). It gets
  SafeURLFetcher, which reads only our own static and media files from disk and refuses
  anything else (file:// paths, other hosts, our own host outside /static/ and /media/).

Fonts are DejaVu (Debian's fonts-dejavu-core): complete Vietnamese, and ★ for OCOP stars.
User text is put in NFC (clean_text) before it is drawn: ReportLab and cairo draw one glyph per
code point, so a decomposed "ệ" would print its marks beside the letter.
"""

from .fetch import UnsafeURL, base_url, cairosvg_url_fetcher, local_file, safe_url_fetcher
from .fonts import (
    CONDENSED,
    CONDENSED_BOLD,
    HTML_SANS,
    HTML_SERIF,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    SERIF,
    SERIF_BOLD,
    register_fonts,
)
from .glyphs import drop_unprintable, printable_characters, unprintable, validate_printable
from .render import (
    NO_PROGRESS,
    Progress,
    draw_qr,
    html_to_pdf,
    merge_pdfs,
    numbered_canvas,
    set_metadata,
    template_to_pdf,
)
from .tables import PdfColumn, PdfTable, group_row, table_pdf
from .text import clean_text, fit_size, page_text, printed_at_text, string_width, truncate, wrap

__all__ = [
    "CONDENSED",
    "CONDENSED_BOLD",
    "HTML_SANS",
    "HTML_SERIF",
    "NO_PROGRESS",
    "SANS",
    "SANS_BOLD",
    "SANS_ITALIC",
    "SERIF",
    "SERIF_BOLD",
    "PdfColumn",
    "PdfTable",
    "Progress",
    "UnsafeURL",
    "base_url",
    "cairosvg_url_fetcher",
    "clean_text",
    "draw_qr",
    "fit_size",
    "group_row",
    "html_to_pdf",
    "local_file",
    "merge_pdfs",
    "numbered_canvas",
    "page_text",
    "printed_at_text",
    "register_fonts",
    "safe_url_fetcher",
    "set_metadata",
    "string_width",
    "table_pdf",
    "template_to_pdf",
    "truncate",
    "wrap",
    "drop_unprintable",
    "printable_characters",
    "unprintable",
    "validate_printable",
]
