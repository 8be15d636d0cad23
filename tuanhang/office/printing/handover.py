"""The booth handover record (biên bản bàn giao gian hàng), one per business, printed from its
check-in page: the fair, when, the business (name, tax code, representative, phone, address),
its booths with code, zone, type, size and the equipment that comes with the type, the state
recorded at handover, and two signature blocks. WeasyPrint, templates/pdf/handover_record.html,
with the letter's stylesheet (its ending is kept on one page in the same way)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from events.generated.header import FairHeader, fair_header
from tuanhang.kernel.pdf import clean_text, template_to_pdf
from tuanhang.kernel.vn import format_phone
from tuanhang.office.printing.selectors import approved_identity

TEMPLATE = "pdf/handover_record.html"


@dataclass(frozen=True)
class HandoverBooth:
    code: str
    zone: str
    type_name: str
    size: str  # "3 × 3 m"
    equipment: str


@dataclass(frozen=True)
class HandoverRecord:
    header: FairHeader
    number: str
    printed_at: dt.datetime
    name: str
    kind: str
    tax_code: str
    representative: str
    contact_name: str
    phone: str
    address: str
    booths: tuple[HandoverBooth, ...]
    arrived_at: dt.datetime | None
    checks: tuple[tuple[str, bool], ...]  # (what was checked, found in order)
    note: str


def _metres(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def handover_record(*, event, detail, checks_labels) -> HandoverRecord:
    """The record's values from a check-in detail (tuanhang.office.checkin.selectors.checkin_detail,
    booths with zone and type loaded): no query. `checks_labels` names the three checks
    (power, furniture, fascia) as the check-in form does."""
    application, checkin = detail.application, detail.checkin
    vendor = application.vendor
    name, kind, tax_code, _note = approved_identity(application, personal=False)
    booths = tuple(
        HandoverBooth(
            code=booth.code,
            zone=clean_text(booth.zone.name),
            type_name=clean_text(booth.booth_type.name) if booth.booth_type_id else "",
            size=f"{_metres(booth.width)} × {_metres(booth.depth)} m",
            equipment=clean_text(booth.booth_type.equipment) if booth.booth_type_id else "",
        )
        for booth in detail.booths
    )
    states = (
        (checkin.power_ok, checkin.furniture_ok, checkin.fascia_ok) if checkin is not None else (False, False, False)
    )
    return HandoverRecord(
        header=fair_header(event),
        number=str(application.pk),
        printed_at=timezone.localtime(),
        name=clean_text(name),
        kind=kind,
        tax_code=tax_code,
        representative=clean_text(vendor.representative),
        contact_name=clean_text(vendor.contact_name),
        phone=format_phone(vendor.phone),
        address=clean_text(vendor.full_address),
        booths=booths,
        arrived_at=timezone.localtime(checkin.arrived_at) if checkin and checkin.arrived_at else None,
        checks=tuple(zip(checks_labels, states, strict=True)),
        note=clean_text(checkin.note) if checkin is not None else "",
    )


def handover_pdf(record: HandoverRecord) -> bytes:
    return template_to_pdf(TEMPLATE, {"record": record, "header": record.header})
