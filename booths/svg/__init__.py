"""The booth map as SVG, built from plain data (no ORM, no request).

One builder serves every map of a fair: the organiser's, the business's, the public one, the
booth-choice page, the allocation preview and the printed plan. Coordinates are metres, so the
viewBox is the hall (and any booth or feature saved outside it) in metres and booths are drawn to
scale, with the scale bar and legend in a band under the drawing; text is escaped (see draw.py).

Callers get the data from booths.selectors.map.booth_map_data (or build a MapData themselves,
e.g. with the occupants of an allocation plan: dataclasses.replace(data, occupants=…)), then
call booth_map_svg(data, colour=…, highlight=…, booth_classes=…, legend=legend_entries(…)).
"""

from .data import Extent, LegendEntry, MapBooth, MapCategory, MapData, MapFeature, MapOccupant, MapZone
from .draw import booth_map_svg, legend_top, view_box
from .names import BoothNamer
from .style import (
    COLOUR_CATEGORY,
    COLOUR_MODES,
    COLOUR_ZONE,
    FREE_PALE,
    HIGHLIGHT,
    NO_CATEGORY,
    PALETTE,
    booth_fill,
    category_colour,
    fit_lines,
    ink_on,
    legend_entries,
    pale,
)

__all__ = [
    "COLOUR_CATEGORY",
    "COLOUR_MODES",
    "COLOUR_ZONE",
    "FREE_PALE",
    "HIGHLIGHT",
    "NO_CATEGORY",
    "PALETTE",
    "BoothNamer",
    "Extent",
    "LegendEntry",
    "MapBooth",
    "MapCategory",
    "MapData",
    "MapFeature",
    "MapOccupant",
    "MapZone",
    "booth_fill",
    "booth_map_svg",
    "category_colour",
    "fit_lines",
    "ink_on",
    "legend_top",
    "legend_entries",
    "pale",
    "view_box",
]
