"""Which characters our PDFs can draw: those every bundled DejaVu face has a glyph for (read
from the fonts' cmaps with fontTools, once per process). Names that get printed refuse the rest
at input (validate_printable); text from before that rule, or from elsewhere, loses them when
it is printed (drop_unprintable, called by clean_text), so no page shows an empty box."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .fonts import FONT_FILES, font_path


@lru_cache(maxsize=1)
def printable_characters() -> frozenset[str]:
    """Characters with a glyph in every sans face we print with (regular, bold, oblique,
    condensed). The serif faces of the letters draw fewer (no ₫, no ★), but WeasyPrint falls
    back to DejaVu Sans for those through fontconfig, so the sans faces are the limit."""
    from fontTools.ttLib import TTFont

    common: set[int] | None = None
    for name, filename in FONT_FILES.items():
        if "Serif" in name:
            continue
        with TTFont(str(font_path(filename)), lazy=True) as font:
            codes = set(font.getBestCmap())
        common = codes if common is None else common & codes
    return frozenset(chr(code) for code in common or ())


def _drawable(ch: str) -> bool:
    return ch.isspace() or ch in printable_characters()


def unprintable(text: str) -> list[str]:
    """The characters of `text` (in NFC) that the printing fonts cannot draw, each once, in order."""
    found: list[str] = []
    for ch in unicodedata.normalize("NFC", text or ""):
        if not _drawable(ch) and ch not in found:
            found.append(ch)
    return found


def drop_unprintable(text: str) -> str:
    """`text` (NFC) without the characters the printing fonts cannot draw (emoji, variation
    selectors, most CJK…)."""
    return "".join(ch for ch in text if _drawable(ch))


def validate_printable(value: str) -> None:
    """A name that is printed (on booth signs, lists, letters) may hold only characters the
    printing fonts draw: emoji and the like are refused with the characters named."""
    bad = [ch for ch in unprintable(value) if ch.isprintable()]
    if bad:
        raise ValidationError(
            _(
                "These characters cannot be printed on booth signs, lists and letters: %(chars)s. "
                "Please remove them (emoji and decorative symbols are not allowed in names)."
            ),
            code="unprintable",
            params={"chars": " ".join(bad)},
        )
