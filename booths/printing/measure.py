"""Read a printed booth map back: which booth codes a reader finds inside a sheet's window, and
whether any lies under the title block, legend, scale bar or footer."""

from __future__ import annotations

from tuanhang.kernel.pdf.readback import Box, pdf_pages

from .layout import MARGIN


def sheet_windows(layout) -> list[Box]:
    """Where each map sheet's part of the hall is drawn (the clip of booths.printing.map), in points
    from the page's top-left: what a reader sees of the plan on that page."""
    left, bottom, box_w, box_h = layout.map_box()
    f = layout.points_per_metre
    windows = []
    for sheet in layout.sheets:
        w, d = (sheet.x1 - sheet.x0) * f, (sheet.y1 - sheet.y0) * f
        x0 = left + (box_w - w) / 2
        top_pdf = bottom + box_h - (box_h - d) / 2
        windows.append(Box(x0, layout.height - top_pdf, x0 + w, layout.height - top_pdf + d))
    if any(w.left < MARGIN - 0.01 for w in windows):
        raise ValueError("a map sheet's window starts inside the page margin")
    return windows


CONTINUED = {"←", "→", "↑", "↓", "continued", "on", "sheet"}


def codes_on_map_pages(pdf: bytes, layout, data) -> tuple[set[str], list[str]]:
    """The booth codes of `data` (a MapData) printed wholly inside a map sheet's window, and the
    problems found: a booth code under a word of the title block, legend, scale bar or footer (any
    word that is not a code, a business name, a feature label or "continued on sheet n"), or a word
    off the page."""
    codes = {b.code for b in data.booths}
    drawn = set(codes) | CONTINUED
    for text in [o.sign_name for o in data.occupants.values()] + [f.label for f in data.features]:
        drawn |= set(text.split())
    pages = pdf_pages(pdf)
    found, problems = set(), []
    for page, window in zip(pages, sheet_windows(layout), strict=False):
        furniture = [(t, box) for t, box in page.words if t not in drawn and not t.isdigit()]
        for text, box in page.words:
            if not box.within(Box(0, 0, page.width, page.height), slack=0.5):
                problems.append(f"{text} off the page")
            if text not in codes or not box.within(window, slack=0.5):
                continue
            found.add(text)
            hit = [other for other, other_box in furniture if box.meets(other_box)]
            if hit:
                problems.append(f"{text} under {hit}")
    return found, problems
