"""How the booth map looks: colours by zone or category, the legend, fitting names into booths."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _

from tuanhang.kernel.vn import sort_key

from .data import LegendEntry, MapBooth, MapData

COLOUR_ZONE = "zone"
COLOUR_CATEGORY = "category"
COLOUR_MODES = (COLOUR_ZONE, COLOUR_CATEGORY)

# Kelly's colours of maximum contrast (white, black and grey left out, teal added): category
# colours are PALETTE[category id % 20], so a category keeps its colour on every map and print.
PALETTE = (
    "#f3c300",
    "#875692",
    "#f38400",
    "#a1caf1",
    "#be0032",
    "#c2b280",
    "#2aa198",
    "#008856",
    "#e68fac",
    "#0067a5",
    "#f99379",
    "#604e97",
    "#f6a600",
    "#b3446c",
    "#dcd300",
    "#882d17",
    "#8db600",
    "#654522",
    "#e25822",
    "#2b3d26",
)
NO_CATEGORY = "#8a94a3"
FREE_PALE = "#f1f3f5"
BLOCKED_FILL = "#dee2e6"
BLOCKED_LINE = "#868e96"
HIGHLIGHT = "#d6336c"
INK = "#212529"
OUTLINE = "#495057"
HALO = "#ffffff"

# Hall features: (fill, outline) by kind; None draws no shape (a free-standing label).
FEATURE_STYLE = {
    "aisle": ("#f8f9fa", "#adb5bd"),
    "entrance": ("#2b8a3e", "#1e6b2f"),
    "exit": ("#c92a2a", "#962020"),
    "stage": ("#495057", "#343a40"),
    "pillar": ("#343a40", "#212529"),
    "service": ("#a5d8ff", "#1971c2"),
    "label": (None, None),
}
# Aisles go underneath everything else.
FEATURE_ORDER = {"aisle": 0, "stage": 1, "service": 2, "entrance": 3, "exit": 3, "pillar": 4, "label": 5}

MARGIN = 1.0  # metres of paper around the hall
SCALE_BAR_ROOM = 2.2  # metres below the hall for the scale bar
LEGEND_ROW = 1.1  # metres per legend row
CHAR_WIDTH = 0.56  # average glyph width as a share of the font size, for fitting names


# --- colours ---------------------------------------------------------------------------------


def category_colour(category_id: int) -> str:
    return PALETTE[category_id % len(PALETTE)]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@lru_cache(maxsize=256)
def pale(colour: str, share: float = 0.78) -> str:
    """The colour mixed with `share` of white: free booths keep a hint of their zone."""
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in _rgb(colour))


def _luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb"."""

    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Drawn codes and names are small text: 4.5:1 against the fill they are drawn on (WCAG 1.4.3).
TEXT_CONTRAST = 4.5
# A booth that cannot be chosen (booth choice) is drawn at this opacity over the white hall.
FADED_OPACITY = 0.35


def faded_colour(colour: str) -> str:
    """The colour as drawn at FADED_OPACITY over the white hall."""
    return over(colour, "#ffffff", FADED_OPACITY)


@lru_cache(maxsize=256)
def over(colour: str, background: str, opacity: float) -> str:
    """The colour as it shows when drawn at `opacity` over `background`."""
    mixed = (c * opacity + b * (1 - opacity) for c, b in zip(_rgb(colour), _rgb(background), strict=True))
    return "#" + "".join(f"{round(c):02x}" for c in mixed)


@lru_cache(maxsize=256)
def ink_on(colour: str) -> str:
    """Dark or white text, whichever contrasts more with `colour` (the fill as drawn)."""
    return INK if contrast(INK, colour) >= contrast("#ffffff", colour) else "#ffffff"


@lru_cache(maxsize=256)
def readable(colour: str) -> str:
    """`colour`, or the least lightened shade of it on which dark ink reaches TEXT_CONTRAST: for
    the middle tones on which neither dark nor white text can (at most 4:1 either way)."""
    if max(contrast(INK, colour), contrast("#ffffff", colour)) >= TEXT_CONTRAST:
        return colour
    share = 0.05
    while contrast(INK, pale(colour, share)) < TEXT_CONTRAST:
        share += 0.05
    return pale(colour, round(share, 2))


def booth_fill(data: MapData, booth: MapBooth, colour: str) -> str:
    if booth.blocked:
        return "hatch"
    occupant = data.occupants.get(booth.id)
    if colour == COLOUR_CATEGORY:
        if occupant is None:
            return FREE_PALE
        return readable(category_colour(occupant.category.id)) if occupant.category else NO_CATEGORY
    zone = data.zones.get(booth.zone_id)
    base = zone.colour if zone else NO_CATEGORY
    return readable(base) if occupant else pale(base)


def legend_entries(data: MapData, colour: str = COLOUR_ZONE, *, own=False, held=False) -> list[LegendEntry]:
    """What the colours mean: zones (or the categories on the map), then free and blocked booths;
    `own` adds the business's own booth, `held` the mark of booths held but not yet confirmed."""
    if colour == COLOUR_CATEGORY:
        entries, seen, uncategorised = [], set(), False
        for occupant in data.occupants.values():
            category = occupant.category
            if category is None:
                uncategorised = True
            elif category.id not in seen:
                seen.add(category.id)
                entries.append(
                    LegendEntry(f"category-{category.id}", category.name, readable(category_colour(category.id)))
                )
        entries.sort(key=lambda e: sort_key(e.label))
        if uncategorised:
            entries.append(LegendEntry("no-category", _("No product category"), NO_CATEGORY))
        free = LegendEntry("free", _("Free booth"), FREE_PALE, outline=BLOCKED_LINE)
    else:
        entries = [LegendEntry(f"zone-{z.id}", f"{z.code} – {z.name}", readable(z.colour)) for z in data.zones.values()]
        sample = next(iter(data.zones.values())).colour if data.zones else NO_CATEGORY
        free = LegendEntry("free", _("Free booth (pale colour of its zone)"), pale(sample), outline=BLOCKED_LINE)
    entries += [free, LegendEntry("blocked", _("Blocked booth"), "hatch", outline=BLOCKED_LINE)]
    if held:
        entries.append(LegendEntry("held", _("Held, not yet confirmed"), "#ffffff", outline=INK, dashed=True))
    if own:
        entries.append(LegendEntry("own", _("Your booth"), "#ffffff", outline=HIGHLIGHT))
    return entries


# --- text ------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def num(value: float) -> str:
    """A coordinate in metres, to the centimetre, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fit_lines(text: str, width: float, font_size: float, max_lines: int) -> list[str]:
    """Wrap `text` into at most `max_lines` lines that fit `width` metres; a cut line ends with "…"."""
    room = max(1, int(width / (font_size * CHAR_WIDTH)))
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= room or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    overflow = len(lines) > max_lines
    lines = [_cut(line, room) for line in lines[:max_lines]]
    if overflow and not lines[-1].endswith("…"):
        last = lines[-1]
        lines[-1] = (last if len(last) < room else last[: room - 1].rstrip()) + "…"
    return lines


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(1, room - 1)].rstrip() + "…"
