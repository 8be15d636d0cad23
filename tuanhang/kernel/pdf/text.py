"""Text for printing: user text in NFC on one line, measuring, fitting, wrapping, and the footer's
"Trang 2/7" and "In lúc …"."""

from __future__ import annotations

import unicodedata

from django.utils import timezone

from .glyphs import drop_unprintable

# --- text ----------------------------------------------------------------------------------


def clean_text(value) -> str:
    """User text as one line of NFC text (no control characters, single spaces), without the
    characters the printing fonts cannot draw (emoji…: glyphs.drop_unprintable)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(drop_unprintable("".join(ch if ch.isprintable() else " " for ch in text)).split())


def string_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def fit_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The largest font size (between `smallest` and `largest`) at which `text` fits `width`."""
    measured = string_width(text, font, largest)
    if measured <= width or measured == 0:
        return largest
    return max(smallest, largest * width / measured)


def truncate(text: str, font: str, size: float, width: float) -> str:
    """`text` cut to fit `width`, ending with "…" when cut (and without what the fonts cannot
    draw: the canvas prints call this on every name, cleaned or not)."""
    text = drop_unprintable(text)
    if string_width(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if string_width(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """`text` broken into at most `max_lines` lines of `width`; the last is cut with "…" if needed."""
    from reportlab.lib.utils import simpleSplit

    text = drop_unprintable(text)
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], truncate(rest + " …", font, size, width)]
    return [truncate(line, font, size, width) for line in lines]


def printed_at_text() -> str:
    """ "In lúc 14:05 ngày 12/03/2026" — when this copy was made, for the footer."""
    from django.utils.translation import gettext as _

    now = timezone.localtime()
    return _("Printed at %(time)s on %(date)s") % {"time": f"{now:%H:%M}", "date": f"{now:%d/%m/%Y}"}


def page_text(page: int, total: int) -> str:
    from django.utils.translation import gettext as _

    return _("Page %(page)s/%(total)s") % {"page": page, "total": total}
