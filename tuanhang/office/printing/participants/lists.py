"""The participant list ("Danh sách đơn vị tham gia", A4 landscape) and the check-in sheet for
setup day (A4 portrait, a signature column), drawn by tuanhang.kernel.pdf.table_pdf from the rows of
tuanhang.office.printing.selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.generated.header import FairHeader
from tuanhang.kernel.pdf import NO_PROGRESS, PdfColumn, PdfTable, Progress, group_row, table_pdf
from tuanhang.office.printing.selectors import ORDER_NAME, ORDER_PROVINCE, ParticipantRow, by_province
from vendors.selectors.figures import FairFigures


@dataclass(frozen=True)
class ParticipantsPrint:
    header: FairHeader
    order: str
    rows: tuple[ParticipantRow, ...]
    figures: FairFigures | None = None  # the fair's figures, the reports page's


def _order_line(order: str) -> str:
    return {
        ORDER_NAME: _("In alphabetical order of names"),
        ORDER_PROVINCE: _("By province / city, then by name"),
    }.get(order, _("By booth number"))


def _fair_lines(header: FairHeader) -> list[str]:
    return [
        header.name,
        " · ".join(p for p in (header.place, header.dates) if p),
        _("Organiser: %(organiser)s") % {"organiser": header.organiser},
    ]


def _totals(rows, figures: FairFigures | None = None) -> str:
    assigned = sum(1 for r in rows if r.booths)
    booths = sum(len(r.booths) for r in rows)
    provinces = figures.province_count if figures else len({r.province for r in rows})
    text = ngettext("%(count)s participant", "%(count)s participants", len(rows)) % {"count": len(rows)}
    text += ", " + ngettext("from %(count)s province / city", "from %(count)s provinces / cities", provinces) % {
        "count": provinces
    }
    text += "; " + ngettext("%(count)s booth assigned", "%(count)s booths assigned", booths) % {"count": booths}
    missing = len(rows) - assigned
    if missing:
        text += "; " + ngettext(
            "%(count)s participant has no booth yet", "%(count)s participants have no booth yet", missing
        ) % {"count": missing}
    return text + "."


def ocop_line(figures: FairFigures) -> str:
    """The fair's OCOP figure as the lists and the closing report print it."""
    stars = ", ".join(
        ngettext("%(stars)s★: %(count)s product", "%(stars)s★: %(count)s products", n) % {"stars": s, "count": n}
        for s, n in sorted(figures.ocop_by_stars.items())
    )
    return ngettext(
        "OCOP: %(count)s participant shows products certified on the opening day (%(stars)s).",
        "OCOP: %(count)s participants show products certified on the opening day (%(stars)s).",
        figures.ocop_businesses,
    ) % {"count": figures.ocop_businesses, "stars": stars}


def _kinds_legend() -> str:
    return _("DN: enterprise · HTX: cooperative · HKD: household business")


def participants_pdf(printed: ParticipantsPrint, *, progress: Progress = NO_PROGRESS) -> bytes:
    columns = [
        PdfColumn(_("No."), 9, "RIGHT"),
        PdfColumn(_("Booth no."), 17, bold=True),
        PdfColumn(_("Name of the participant"), 62),
        PdfColumn(_("Kind"), 11, "CENTER"),
        PdfColumn(_("Province / city"), 22),
        PdfColumn(_("Contact person"), 27),
        PdfColumn(_("Phone"), 22),
        PdfColumn(_("Number of booths"), 11, "CENTER"),
        PdfColumn(_("Product groups / main products"), 52),
        PdfColumn(_("OCOP"), 14, "CENTER"),
        PdfColumn(_("Notes / signature"), 30),
    ]
    rows: list = []
    number = 0

    def add(row: ParticipantRow):
        nonlocal number
        number += 1
        rows.append(
            [
                str(number),
                row.booth_text,
                row.name,
                row.kind,
                row.province,
                row.contact_name,
                row.phone,
                str(row.booths_requested),
                row.goods_text,
                row.stars_text,
                row.identity_note,
            ]
        )

    if printed.order == ORDER_PROVINCE:
        for province, members in by_province(list(printed.rows)):
            count = ngettext("%(count)s participant", "%(count)s participants", len(members)) % {"count": len(members)}
            rows.append(group_row(f"{province} — {count}"))
            for row in members:
                add(row)
    else:
        for row in printed.rows:
            add(row)
    title = _("LIST OF PARTICIPANTS")
    document = PdfTable(
        title=title,
        lines=[*_fair_lines(printed.header), _order_line(printed.order)],
        columns=columns,
        rows=rows,
        running_title=printed.header.name,
        running_right=_("List of participants"),
        closing=[
            _totals(printed.rows, printed.figures),
            *([ocop_line(printed.figures)] if printed.figures else []),
            _kinds_legend(),
        ],
        author=printed.header.organiser,
        empty_text=_("No participant is approved yet."),
    )
    return table_pdf(document, progress)


def checkin_pdf(printed: ParticipantsPrint, *, progress: Progress = NO_PROGRESS) -> bytes:
    header = printed.header
    columns = [
        PdfColumn(_("No."), 8, "RIGHT"),
        PdfColumn(_("Booth no."), 18, bold=True),
        PdfColumn(_("Name of the participant"), 58),
        PdfColumn(_("Contact person"), 30),
        PdfColumn(_("Phone"), 22),
        PdfColumn(_("Arrived at"), 16),
        PdfColumn(_("Signature"), 38),
    ]
    rows = [
        [str(i), row.booth_text, row.name, row.contact_name, row.phone, "", ""]
        for i, row in enumerate(printed.rows, start=1)
    ]
    lines = _fair_lines(header)
    if header.setup_at:
        lines.append(
            _("Booths are handed over from %(time)s on %(date)s.")
            % {"time": f"{header.setup_at:%H:%M}", "date": f"{header.setup_at:%d/%m/%Y}"}
        )
    document = PdfTable(
        title=_("CHECK-IN SHEET FOR SETUP DAY"),
        lines=lines,
        columns=columns,
        rows=rows,
        running_title=header.name,
        running_right=_("Check-in sheet"),
        closing=[
            _totals(printed.rows),
            _("The person receiving the booth writes the time and signs; staff check the booth with them."),
        ],
        landscape=False,
        font_size=8.5,
        row_height_mm=11,
        author=header.organiser,
        empty_text=_("No participant is approved yet."),
    )
    return table_pdf(document, progress)
