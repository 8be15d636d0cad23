"""The closing report for the Sở Công Thương, as PDF (tuanhang.kernel.pdf.table_pdf) and as .xlsx
(tuanhang.kernel.spreadsheets), registered with events.generated and offered on the reports page: a file
is kept and handed out again until the figures it shows change; a large fair's is built by the
worker with a progress bar (events.build_generated_file; templates/includes/progress.html and
static/js/progress.js)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.generated import Builder, register
from events.generated.header import FairHeader, fair_header
from events.templatetags.vn import vnd
from tuanhang.kernel.pdf import NO_PROGRESS, PdfColumn, PdfTable, Progress, group_row, table_pdf
from tuanhang.kernel.spreadsheets import CONTENT_TYPES, tables_to_xlsx
from tuanhang.office.printing.participants.lists import ocop_line
from vendors.selectors.figures import FairFigures, fair_figures

from . import selectors
from .exports import closing_tables

REPORTS_PAGE = "reports:page"
# Below these sizes a file is made during the request (well under a second: docs/DECISIONS.md).
QUICK_PDF_ROWS = 150
QUICK_XLSX_PARTICIPANTS = 300


@dataclass(frozen=True)
class ClosingReport:
    header: FairHeader
    totals: selectors.ClosingTotals
    participants: tuple[selectors.ParticipantSales, ...] = ()
    figures: FairFigures | None = None  # the fair's figures, the reports page's


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def _summary_line(totals: selectors.ClosingTotals) -> str:
    return _(
        "%(reporting)s of %(participants)s participants reported: sales %(sales)s, about %(visitors)s visitors."
    ) % {
        "reporting": _count(totals.reporting),
        "participants": _count(totals.participants),
        "sales": vnd(totals.sales),
        "visitors": _count(totals.visitors),
    }


def _figures_line(figures: FairFigures) -> str:
    return "; ".join(f"{label}: {_count(value)}" for label, value in figures.labelled()[:3]) + "."


def closing_pdf(report: ClosingReport, *, progress: Progress = NO_PROGRESS) -> bytes:
    """One table: a group row per section (by day, province, category, kind), each row with the
    participants reporting, sales and visitors; the overall totals close it."""
    totals, header = report.totals, report.header
    sections = [
        (_("By day"), totals.by_day),
        (_("By province"), totals.by_province),
        (_("By category"), totals.by_category),
        (_("By kind of business"), totals.by_kind),
    ]
    rows: list = []
    for title, section in sections:
        rows.append(group_row(title))
        rows += [[label, _count(n), vnd(sales), _count(visitors)] for label, n, sales, visitors in section]
    document = PdfTable(
        title=_("CLOSING REPORT: SALES AND VISITORS"),
        lines=[
            header.name,
            " · ".join(part for part in (header.place, header.dates) if part),
            _("Organiser: %(organiser)s") % {"organiser": header.organiser},
        ],
        columns=[
            PdfColumn(_("Day, province / city, category or kind"), 80),
            PdfColumn(_("Participants reporting"), 30, "RIGHT"),
            PdfColumn(_("Sales (VND)"), 40, "RIGHT"),
            PdfColumn(_("Visitors (estimate)"), 30, "RIGHT"),
        ],
        rows=rows if totals.reporting else [],
        running_title=header.name,
        running_right=_("Closing report"),
        closing=[
            *([_figures_line(report.figures), ocop_line(report.figures)] if report.figures else []),
            _summary_line(totals),
            _(
                "Figures as entered by the participants on their sales form; a participant showing two "
                "categories counts in both."
            ),
        ],
        landscape=False,
        author=header.organiser,
        empty_text=_("No participant has entered sales figures yet."),
    )
    return table_pdf(document, progress)


def closing_xlsx(report: ClosingReport, *, progress: Progress = NO_PROGRESS) -> bytes:
    content = tables_to_xlsx(closing_tables(report.totals, report.participants, report.figures))
    progress(1, 1)
    return content


def _collect_pdf(event, options) -> ClosingReport:
    return ClosingReport(header=fair_header(event), totals=selectors.closing_totals(event), figures=fair_figures(event))


def _collect_xlsx(event, options) -> ClosingReport:
    return ClosingReport(
        header=fair_header(event),
        totals=selectors.closing_totals(event),
        participants=selectors.participant_sales(event),
        figures=fair_figures(event),
    )


def _pdf_rows(report: ClosingReport) -> int:
    t = report.totals
    return len(t.by_day) + len(t.by_province) + len(t.by_category) + len(t.by_kind)


closing_report_pdf = register(
    Builder(
        kind="closing_report",
        label=gettext_lazy("Closing report (PDF)"),
        description=gettext_lazy(
            "Sales and visitors reported by the participants, by day, province, category and kind."
        ),
        collect=_collect_pdf,
        render=lambda event, data, options, progress: closing_pdf(data, progress=progress),
        quick=lambda data: _pdf_rows(data) <= QUICK_PDF_ROWS,
        filename=lambda event, options: f"bao-cao-tong-ket-{event.slug}.pdf",
        listed_on=REPORTS_PAGE,
        listed_on_label=gettext_lazy("Reports"),
        position=10,
    )
)
closing_report_xlsx = register(
    Builder(
        kind="closing_report_xlsx",
        label=gettext_lazy("Closing report (.xlsx)"),
        description=gettext_lazy("The same totals, a sheet each, and every participant's own figures."),
        collect=_collect_xlsx,
        render=lambda event, data, options, progress: closing_xlsx(data, progress=progress),
        quick=lambda data: len(data.participants) <= QUICK_XLSX_PARTICIPANTS,
        filename=lambda event, options: f"bao-cao-tong-ket-{event.slug}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
        listed_on=REPORTS_PAGE,
        listed_on_label=gettext_lazy("Reports"),
        position=20,
    )
)
REPORT_BUILDERS = (closing_report_pdf, closing_report_xlsx)
