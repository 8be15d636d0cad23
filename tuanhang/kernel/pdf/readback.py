"""Read a generated PDF back as a reader sees it: every page's size and words with their boxes
(poppler's `pdftotext -bbox`), to measure what a print shows (booth codes on a map sheet, what a
title block covers). Used by `manage.py demo_figures` and the tests of the prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def within(self, other: Box, slack: float = 1e-6) -> bool:
        return (
            self.left >= other.left - slack
            and self.top >= other.top - slack
            and self.right <= other.right + slack
            and self.bottom <= other.bottom + slack
        )

    def meets(self, other: Box) -> bool:
        """True when the two boxes share some area (touching edges do not count)."""
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    words: list[tuple[str, Box]]  # text, box (points from the top-left)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pdftotext() -> str:
    """The path of poppler's pdftotext (Debian: apt-get install poppler-utils)."""
    path = shutil.which("pdftotext")
    if path is None:
        raise FileNotFoundError("pdftotext not found: install poppler-utils to read PDFs back")
    return path


def pdf_pages(pdf: bytes) -> list[PdfPage]:
    """Every page's size and words with their boxes, read back by `pdftotext -bbox`."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        command = [pdftotext(), "-bbox", file.name, "-"]
        html = subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603 (our file)
    pages = []
    for width, height, body in _PAGE.findall(html):
        words = [
            (unescape(text), Box(float(x0), float(y0), float(x1), float(y1)))
            for x0, y0, x1, y1, text in _WORD.findall(body)
        ]
        pages.append(PdfPage(float(width), float(height), words))
    return pages
