"""The reports' spreadsheets as tuanhang.kernel.spreadsheets tables (formatted .xlsx or .csv, every cell
neutralised there): a chart's data, the closing report's sheets and the daily summary's sheets.
They get what a selector already fetched and run no query."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from tuanhang.kernel.spreadsheets import DATETIME, INT, MONEY, Column, Table
from vendors.models import Application, Vendor
from vendors.selectors.figures import FairFigures

from .selectors import ChartData, ClosingTotals, DailyFigures, ParticipantSales


def chart_table(data: ChartData) -> Table:
    """A chart's rows: its label column, then one count column per series."""
    columns = [Column(data.label_header, 34), *(Column(series, 14, INT) for series in data.series)]
    return Table(title=data.title, columns=columns, rows=[[label, *values] for label, values in data.rows])


def _totals_table(title: str, label: str, rows) -> Table:
    columns = [Column(label, 34), Column(_("Reporting"), 12, INT), Column(_("Sales (VND)"), 18, MONEY)]
    columns.append(Column(_("Visitors"), 12, INT))
    return Table(title=title, columns=columns, rows=[list(row) for row in rows])


def closing_tables(
    totals: ClosingTotals, participants: tuple[ParticipantSales, ...], figures: FairFigures | None = None
) -> list[Table]:
    """The closing report's sheets: the fair's figures (vendors.selectors.figures), totals by day,
    province, category and kind, then every approved participant with its own figures (those that
    reported nothing show zeros)."""
    by_participant = Table(
        title=_("By participant"),
        columns=[
            Column(_("Business"), 45),
            Column(_("Kind"), 22),
            Column(_("Province / city"), 18),
            Column(_("Days reported"), 10, INT),
            Column(_("Sales (VND)"), 18, MONEY),
            Column(_("Visitors"), 12, INT),
        ],
        rows=[[p.name, p.kind, p.province, p.days_reported, p.sales, p.visitors] for p in participants],
    )
    fair = Table(
        title=_("The fair in figures"),
        columns=[Column(_("Figure"), 45), Column(_("Value"), 12, INT)],
        rows=[[label, value] for label, value in figures.labelled()] if figures else [],
    )
    return [
        *([fair] if figures else []),
        _totals_table(_("By day"), _("Day"), totals.by_day),
        _totals_table(_("By province"), _("Province / city"), totals.by_province),
        _totals_table(_("By category"), _("Category"), totals.by_category),
        _totals_table(_("By kind of business"), _("Kind"), totals.by_kind),
        by_participant,
    ]


def summary_tables(figures: DailyFigures) -> list[Table]:
    """The daily summary's attachment: the day's new applications, then counts by province and
    by category."""
    kinds, statuses = dict(Vendor.Kind.choices), dict(Application.Status.choices)
    new = Table(
        title=_("New applications"),
        columns=[
            Column(_("Business"), 45),
            Column(_("Kind"), 22),
            Column(_("Province / city"), 18),
            Column(_("Booths"), 8, INT),
            Column(_("Status"), 14),
            Column(_("Submitted"), 17, DATETIME),
        ],
        rows=[
            [
                row["vendor__name"],
                str(kinds.get(row["vendor__kind"], "")),
                row["vendor__province__name"],
                row["booths_requested"],
                str(statuses.get(row["status"], "")),
                timezone.localtime(row["submitted_at"]),
            ]
            for row in figures.new_rows
        ],
    )
    counts = [Column(_("New applications"), 14, INT)]
    return [
        new,
        Table(_("By province"), [Column(_("Province / city"), 30), *counts], figures.new_by_province),
        Table(_("By category"), [Column(_("Category"), 30), *counts], figures.new_by_category),
    ]
