"""Geometry of the report charts, drawn as SVG by templates/reports/includes/chart.svg from
ChartData. Pure: numbers in, shapes out; every label reaches the SVG through the template's
escaping."""

from dataclasses import dataclass

COLOURS = ["#2f6db5", "#8c8c8c", "#cfe0f3"]  # assigned / blocked / free for the stacked chart
LABEL_WIDTH = 220
BAR_AREA = 440
ROW_HEIGHT = 24
TOP = 8


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    series: str
    value: int


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    segments: list[Segment]
    total: int
    total_x: float


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    show_label: bool


@dataclass(frozen=True)
class Chart:
    data: object
    width: int
    height: int
    kind: str  # "bars" or "columns"
    rows: list[Row]
    columns: list[Column]
    legend: list[tuple[str, str]]
    baseline: float
    empty: bool


def _scale(maximum: int) -> float:
    return BAR_AREA / maximum if maximum else 0


def horizontal_bars(data) -> Chart:
    """One row per label, its series side by side in one stacked bar, the total at its end."""
    maximum = max((sum(values) for _label, values in data.rows), default=0)
    scale = _scale(maximum)
    rows = []
    for i, (label, values) in enumerate(data.rows):
        x = LABEL_WIDTH
        segments = []
        for s, value in enumerate(values):
            width = value * scale
            segments.append(Segment(x, width, COLOURS[s % len(COLOURS)], data.series[s], value))
            x += width
        rows.append(Row(TOP + i * ROW_HEIGHT, label, segments, sum(values), x + 6))
    legend = [(COLOURS[s], name) for s, name in enumerate(data.series)] if len(data.series) > 1 else []
    height = TOP * 2 + max(len(rows), 1) * ROW_HEIGHT
    return Chart(data, LABEL_WIDTH + BAR_AREA + 60, height, "bars", rows, [], legend, 0, not data.total)


def columns_over_time(data, height: int = 220) -> Chart:
    """One column per day, labels on some of them so they never overlap."""
    width = LABEL_WIDTH + BAR_AREA + 60
    n = max(len(data.rows), 1)
    step = (width - 40) / n
    maximum = max((values[0] for _label, values in data.rows), default=0)
    area = height - 50
    every = max(1, round(n / 8))
    columns = []
    for i, (label, values) in enumerate(data.rows):
        h = values[0] * area / maximum if maximum else 0
        columns.append(Column(20 + i * step, 10 + area - h, max(step * 0.8, 1), h, label, values[0], i % every == 0))
    return Chart(data, width, height, "columns", [], columns, [], 10 + area, not data.total)


def chart_for(data) -> Chart:
    return columns_over_time(data) if data.key == "applications" else horizontal_bars(data)
