"""The SVG markup. Every text and attribute value is escaped with xml.sax.saxutils (through _el,
_open, _q and escape): business names reach the markup only that way. (Strings rather than
ElementTree, for speed: docs/DECISIONS.md.)"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .data import Extent, LegendEntry, MapBooth, MapData, MapFeature, MapOccupant
from .names import BoothNamer
from .style import (
    BLOCKED_FILL,
    BLOCKED_LINE,
    CHAR_WIDTH,
    COLOUR_MODES,
    COLOUR_ZONE,
    FADED_OPACITY,
    FEATURE_ORDER,
    FEATURE_STYLE,
    FREE_PALE,
    HALO,
    HIGHLIGHT,
    INK,
    LEGEND_ROW,
    MARGIN,
    OUTLINE,
    SCALE_BAR_ROOM,
    booth_fill,
    faded_colour,
    fit_lines,
    ink_on,
    num,
)

_QUOTE = {'"': "&quot;"}


def _q(value: str) -> str:
    """A value escaped for a double-quoted attribute."""
    return escape(value, _QUOTE)


def _attrs(attrs: Mapping[str, object]) -> str:
    return "".join(f' {name}="{escape(str(value), _QUOTE)}"' for name, value in attrs.items() if value is not None)


def _el(tag: str, attrs: Mapping[str, object] | None = None, text: str | None = None) -> str:
    """One element, every attribute value and the text escaped."""
    attributes = _attrs(attrs) if attrs else ""
    return f"<{tag}{attributes}/>" if text is None else f"<{tag}{attributes}>{escape(text)}</{tag}>"


def _open(tag: str, attrs: Mapping[str, object]) -> str:
    return f"<{tag}{_attrs(attrs)}>"


def _defs(prefix) -> str:
    return (
        "<defs>"
        + _open(
            "pattern",
            {
                "id": f"{prefix}-hatch",
                "patternUnits": "userSpaceOnUse",
                "width": "0.6",
                "height": "0.6",
                "patternTransform": "rotate(45)",
            },
        )
        + _el("rect", {"width": "0.6", "height": "0.6", "fill": BLOCKED_FILL})
        + _el("line", {"x1": 0, "y1": 0, "x2": 0, "y2": "0.6", "stroke": BLOCKED_LINE, "stroke-width": "0.18"})
        + "</pattern></defs>"
    )


def _feature(out: list, feature: MapFeature, hall_width: float):
    fill, outline = FEATURE_STYLE.get(feature.kind, FEATURE_STYLE["label"])
    x, y, w, d = feature.x, feature.y, feature.width, feature.depth
    out.append(_open("g", {"class": f"feature feature-{feature.kind}"}))
    out.append(_el("title", None, feature.label))
    if fill:
        dashes = "0.4 0.3" if feature.kind == "aisle" else None
        shape = {"x": num(x), "y": num(y), "width": num(w), "height": num(d), "fill": fill, "stroke": outline}
        out.append(_el("rect", {**shape, "stroke-width": "0.08", "stroke-dasharray": dashes}))
    if feature.named or feature.kind != "pillar":
        size = max(0.5, min(0.8, min(w, d) * 0.6)) if fill else 0.7
        # A white halo keeps the label readable over the feature's colour and over booths alike.
        # Centred on the feature, but moved inside the hall when it would stick out of it
        # (an exit on the side wall is narrower than its name).
        half = len(feature.label) * size * CHAR_WIDTH / 2
        centre = min(max(x + w / 2, half), hall_width - half) if 2 * half < hall_width else x + w / 2
        label = {"x": num(centre), "y": num(y + d / 2 + size * 0.35), "font-size": num(size)}
        halo = {"fill": INK, "stroke": HALO, "stroke-width": "0.12", "paint-order": "stroke", "font-weight": "600"}
        out.append(_el("text", {**label, "class": "feature-label", **halo}, feature.label))
    out.append("</g>")


def _booth_title(booth: MapBooth, occupant: MapOccupant | None) -> str:
    if occupant:
        return f"{booth.code} · {occupant.name}"
    if booth.blocked:
        return f"{booth.code} · {booth.blocked_reason or _('blocked')}"
    return f"{booth.code} · {_('free')}"


class _Layers:
    """Booth shapes, codes and names in three layers, so the shared presentation (outline, font
    size and weight, ink) is written once per layer instead of once per booth."""

    def __init__(self, data, *, colour, prefix, own, names, mark_held, extra, interactive=False, faded=()):
        self.data, self.colour, self.prefix = data, colour, prefix
        self.own, self.names, self.mark_held, self.extra = own, names, mark_held, extra
        self.faded = faded
        # On a page, each booth is an option of the map's listbox, named in full (booths.svg.names).
        self.namer = BoothNamer(data) if interactive else None
        self.shapes, self.codes, self.labels = [], [], []

    # The per-booth markup is the hot path (1,200 booths): written with f-strings in which every
    # text goes through escape() and every attribute value through _q() or num().
    def booth(self, booth: MapBooth):
        occupant = self.data.occupants.get(booth.id)
        status = self.data.status_of(booth)
        own = booth.id in self.own
        held = self.mark_held and occupant is not None and occupant.status == "held"
        classes = f"booth booth-{status}"
        if own:
            classes += " booth-own"
        if held:
            classes += " booth-held"
        if booth.id in self.extra:
            classes += " " + self.extra[booth.id]
        fill = booth_fill(self.data, booth, self.colour)
        paint = f"url(#{self.prefix}-hatch)" if fill == "hatch" else fill
        outline = f' stroke="{HIGHLIGHT}" stroke-width="0.3"' if own else ' stroke-dasharray="0.35 0.2"' if held else ""
        fade = booth.id in self.faded and not own
        opacity = f' opacity="{FADED_OPACITY}"' if fade else ""
        if self.namer:
            role = f' role="option" id="{_q(self.prefix)}-b{int(booth.id)}"'
            title = self.namer(booth)
        else:
            role, title = "", _booth_title(booth, occupant)
        self.shapes.append(
            f'<g class="{_q(classes)}" data-booth-id="{int(booth.id)}" data-code="{_q(booth.code)}"'
            f' data-status="{status}"{role}{opacity}><title>{escape(title)}</title>'
            f'<rect x="{num(booth.x)}" y="{num(booth.y)}" width="{num(booth.width)}" height="{num(booth.depth)}"'
            f' fill="{_q(paint)}"{outline}/></g>'
        )
        # The codes and names are drawn at full strength over the fill as it shows (a faded booth's
        # over the white hall), in the ink that contrasts more with it.
        ink = INK if fill in ("hatch", FREE_PALE) else ink_on(faded_colour(fill) if fade else fill)
        self.text(booth, occupant.sign_name if (occupant and self.names) else "", ink)

    def text(self, booth: MapBooth, name: str, ink: str):
        scale = min(1.0, min(booth.width, booth.depth) / 3)
        centre = num(booth.x + booth.width / 2)
        code_size = 0.6 * scale
        # Ink and size only where they differ from the layer's.
        extra = "" if ink == INK else f' fill="{_q(ink)}"'
        size = 0.45 * scale
        code_extra = extra + (f' font-size="{num(code_size)}"' if scale < 1 else "")
        name_extra = extra + (f' font-size="{num(size)}"' if scale < 1 else "")
        y = num(booth.y + 0.2 * scale + code_size)
        self.codes.append(f'<text x="{centre}" y="{y}"{code_extra}>{escape(booth.code)}</text>')
        if not name:
            return
        top = booth.y + 0.35 * scale + code_size + 0.2 * scale
        max_lines = max(1, min(3, int((booth.y + booth.depth - top) / (size * 1.25))))
        for i, line in enumerate(fit_lines(name, booth.width - 0.3 * scale, size, max_lines)):
            y = num(top + size + i * size * 1.25)
            self.labels.append(f'<text x="{centre}" y="{y}"{name_extra}>{escape(line)}</text>')

    def markup(self) -> str:
        return "".join(
            [
                _open("g", {"class": "booths", "stroke": OUTLINE, "stroke-width": "0.06"}),
                *self.shapes,
                "</g>",
                # The codes and names are drawn text: each booth's option already says them.
                _open("g", {"class": "booth-labels", "fill": INK, "pointer-events": "none", "aria-hidden": "true"}),
                _open("g", {"class": "booth-codes", "font-size": "0.6", "font-weight": "700"}),
                *self.codes,
                "</g>",
                _open("g", {"class": "booth-names", "font-size": "0.45"}),
                *self.labels,
                "</g></g>",
            ]
        )


def _scale_bar(extent: Extent, *, hidden: bool = False) -> str:
    """The scale bar in the band under the drawing (below every booth, never over one)."""
    length = 10 if extent.width >= 20 else 5 if extent.width >= 8 else 1
    x0, y = extent.left, extent.bottom + 1.0
    line = {"stroke": INK, "stroke-width": "0.12"}
    parts = [_open("g", {"class": "scale-bar", "aria-hidden": "true" if hidden else None})]
    parts.append(_el("line", {"x1": num(x0), "y1": num(y), "x2": num(x0 + length), "y2": num(y), **line}))
    for x in (x0, x0 + length):
        parts.append(_el("line", {"x1": num(x), "y1": num(y - 0.3), "x2": num(x), "y2": num(y + 0.3), **line}))
    label = {"x": num(x0 + length + 0.4), "y": num(y + 0.25), "font-size": "0.7", "fill": INK, "text-anchor": "start"}
    parts.append(_el("text", label, f"{length} m"))
    return "".join(parts) + "</g>"


def _legend(entries: list[LegendEntry], left: float, top: float, prefix: str) -> str:
    """Legend rows under the plan and its scale bar (prints and the stand-alone file)."""
    parts = [_open("g", {"class": "legend"})]
    for i, entry in enumerate(entries):
        y = top + i * LEGEND_ROW
        swatch = {"x": num(left), "y": num(y), "width": "0.8", "height": "0.8"}
        swatch["fill"] = f"url(#{prefix}-hatch)" if entry.fill == "hatch" else entry.fill
        if entry.outline:
            swatch.update({"stroke": entry.outline, "stroke-width": "0.08"})
        if entry.dashed:
            swatch["stroke-dasharray"] = "0.2 0.12"
        parts.append(_el("rect", swatch))
        label = {"x": num(left + 1.2), "y": num(y + 0.65), "font-size": "0.7", "fill": INK, "text-anchor": "start"}
        parts.append(_el("text", label, entry.label))
    return "".join(parts) + "</g>"


def legend_top(extent: Extent) -> float:
    """Where the legend's first row starts: under the drawing and its scale bar."""
    return extent.bottom + SCALE_BAR_ROOM + 0.4


def view_box(extent: Extent, legend_rows: int = 0) -> tuple[float, float, float, float]:
    """The SVG's viewBox (x, y, width, height, in metres): the drawing's extent (the hall and every
    booth and feature, MapData.extent()) with its margin, then a band under it for the scale bar and
    `legend_rows` legend entries. Pages use its proportions to size a picture of it."""
    legend_height = legend_rows * LEGEND_ROW + 0.6 if legend_rows else 0
    return (
        extent.left - MARGIN,
        extent.top - MARGIN,
        extent.width + 2 * MARGIN,
        extent.depth + 2 * MARGIN + SCALE_BAR_ROOM + legend_height,
    )


def booth_map_svg(
    data: MapData,
    *,
    colour: str = COLOUR_ZONE,
    highlight: Collection[int] = (),
    names: bool = True,
    mark_held: bool = False,
    booth_classes: Mapping[int, str] | None = None,
    legend: list[LegendEntry] | None = None,
    prefix: str = "map",
    title: str = "",
    interactive: bool = False,
    faded: Collection[int] = (),
) -> SafeString:
    """The hall plan of `data` as one <svg> element.

    colour: "zone" or "category"; highlight: booth ids outlined as the viewer's own;
    names: show the businesses' short names on assigned booths; mark_held: dash the outline of
    booths held but not confirmed (staff); booth_classes: extra CSS classes per booth id (pick
    mode, plan changes); legend: entries drawn under the plan (prints); prefix: makes the ids
    inside the SVG unique when a page shows more than one map; interactive: the map of a page
    (static/js/map.js), one tab stop: the <svg> is a role="listbox" whose booths are options
    named in full, and the drawing around them (hall, features, labels, scale bar) is hidden from
    assistive technology; otherwise one role="img" (files, prints); faded: booth ids drawn faded
    (the booths a business cannot choose), their codes and names in ink that reads on the faded fill.
    """
    colour = colour if colour in COLOUR_MODES else COLOUR_ZONE
    width, depth = data.hall_width, data.hall_depth
    extent = data.extent()
    view = view_box(extent, len(legend) if legend else 0)
    out = [
        _open(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": " ".join(num(v) for v in view),
                "class": "booth-map",
                "role": "listbox" if interactive else "img",
                "tabindex": "0" if interactive else None,
                "aria-label": (title or data.name) if interactive else None,
                "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
                "text-anchor": "middle",
                "preserveAspectRatio": "xMidYMid meet",
            },
        ),
        _el("title", None, title or data.name),
        _defs(prefix),
        _el(
            "rect",
            {
                "class": "hall",
                "aria-hidden": "true" if interactive else None,
                "x": 0,
                "y": 0,
                "width": num(width),
                "height": num(depth),
                "fill": "#ffffff",
                "stroke": OUTLINE,
                "stroke-width": "0.15",
            },
        ),
        _open("g", {"class": "hall-features", "aria-hidden": "true" if interactive else None}),
    ]
    for feature in sorted(data.features, key=lambda f: FEATURE_ORDER.get(f.kind, 9)):
        _feature(out, feature, width)
    out.append("</g>")
    own = set(highlight)
    layers = _Layers(
        data,
        colour=colour,
        prefix=prefix,
        own=own,
        names=names,
        mark_held=mark_held,
        extra=booth_classes or {},
        interactive=interactive,
        faded=set(faded),
    )
    # The viewer's own booths last, so their outline is drawn over the neighbours'.
    for booth in sorted(data.booths, key=lambda b: b.id in own):
        layers.booth(booth)
    out.append(layers.markup())
    out.append(_scale_bar(extent, hidden=interactive))
    if legend:
        out.append(_legend(legend, extent.left, legend_top(extent), prefix))
    out.append("</svg>")
    # _el and _open escaped every text and attribute value, so the markup is safe to embed.
    return mark_safe("".join(out))  # noqa: S308
