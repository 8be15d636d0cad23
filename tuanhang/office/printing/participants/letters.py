"""Confirmation letters (WeasyPrint, templates/pdf/confirmation_letter.html): one official
letter per approved participant with its booths, the fair's dates, the fee due and how to set
up. Many letters are rendered in batches and joined, so the progress bar moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from events.generated.header import FairHeader
from tuanhang.kernel.pdf import NO_PROGRESS, Progress, merge_pdfs, template_to_pdf
from tuanhang.office.printing.selectors import ParticipantRow
from vendors.selectors.vietqr import NoQR, PaymentQR, amount_to_ask, qr_for

TEMPLATE = "pdf/confirmation_letter.html"
BATCH = 25


@dataclass(frozen=True)
class Letter:
    number: str
    row: ParticipantRow
    qr: PaymentQR | NoQR | None = None  # the VietQR of what is still to pay on the day of printing


@dataclass(frozen=True)
class LettersPrint:
    header: FairHeader
    issued_on: dt.date  # the letters are dated the day they are printed
    rows: tuple[ParticipantRow, ...]


def date_line(place: str, day: dt.date) -> str:
    """ "Hải Phòng, ngày 05 tháng 02 năm 2026": days below 10 and the months January and
    February written with a leading zero, as administrative documents write them."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }
    return text.lstrip(", ")


def letter_qr(row: ParticipantRow, header: FairHeader, day: dt.date) -> PaymentQR | NoQR:
    """The VietQR the letter prints: the same rule as the dashboard's (vendors.selectors.vietqr),
    from the figures of the printed row and the fair's receiving account in the header."""
    amount, purpose = amount_to_ask(
        deposit=row.deposit,
        paid=row.paid,
        outstanding=row.amount_due - row.paid,
        balance_due_on=row.balance_due_on,
        today=day,
    )
    return qr_for(application_id=row.application_id, amount=amount, purpose=purpose, account=header)


def letters_pdf(printed: LettersPrint, *, progress: Progress = NO_PROGRESS) -> bytes:
    header = printed.header
    context = {
        "header": header,
        "date_line": date_line(header.organiser_province or header.province, printed.issued_on),
    }
    letters = [
        Letter(number=str(row.application_id), row=row, qr=letter_qr(row, header, printed.issued_on))
        for row in printed.rows
    ]
    if len(letters) <= BATCH:
        return template_to_pdf(TEMPLATE, {**context, "letters": letters})
    parts = []
    for start in range(0, len(letters), BATCH):
        parts.append(template_to_pdf(TEMPLATE, {**context, "letters": letters[start : start + BATCH]}))
        progress(start + BATCH, len(letters) + BATCH)
    return merge_pdfs(parts)
