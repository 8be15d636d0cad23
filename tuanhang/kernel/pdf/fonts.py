"""DejaVu fonts for ReportLab (registered once per process) and the family names WeasyPrint asks
fontconfig for. Complete Vietnamese, and ★ for OCOP stars."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# --- fonts ---------------------------------------------------------------------------------

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian / Ubuntu: fonts-dejavu-core
    "/usr/share/fonts/dejavu",  # Fedora, Alpine
    "/usr/share/fonts/TTF",  # Arch
    "/usr/local/share/fonts",
)
# ReportLab name → file. Condensed for dense tables; serif for the official letter's look.
FONT_FILES = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
}
SANS, SANS_BOLD, SANS_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
CONDENSED, CONDENSED_BOLD = "DejaVuSansCondensed", "DejaVuSansCondensed-Bold"
SERIF, SERIF_BOLD = "DejaVuSerif", "DejaVuSerif-Bold"
# The family names WeasyPrint's templates ask fontconfig for.
HTML_SANS, HTML_SERIF = "DejaVu Sans", "DejaVu Serif"


def font_path(filename: str) -> Path:
    for directory in FONT_DIRS:
        path = Path(directory) / filename
        if path.is_file():
            return path
    raise ImproperlyConfigured(
        f"Font {filename} not found in {', '.join(FONT_DIRS)}: install the DejaVu fonts "
        "(Debian: apt-get install fonts-dejavu-core) to print PDFs."
    )


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the DejaVu fonts with ReportLab once per process (families too, so <b> and <i>
    in Paragraph markup pick the bold and oblique faces)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(filename))))
    for face, (bold, italic) in {
        SANS: (SANS_BOLD, SANS_ITALIC),
        CONDENSED: (CONDENSED_BOLD, CONDENSED),
        SERIF: (SERIF_BOLD, SERIF),
    }.items():
        addMapping(face, 0, 0, face)
        addMapping(face, 1, 0, bold)
        addMapping(face, 0, 1, italic)
        addMapping(face, 1, 1, bold)
