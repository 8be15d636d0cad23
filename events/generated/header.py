"""What every print says about its fair (the title block): plain values, so they are part of a
document's fingerprint (renaming the fair rebuilds its prints)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanhang.kernel.pdf import clean_text
from tuanhang.kernel.vn import join_address

from ..fees import fee_after_subsidy
from ..models import Event


@dataclass(frozen=True)
class FairHeader:
    slug: str
    name: str
    venue: str
    address: str
    province: str
    opens_on: dt.date
    closes_on: dt.date
    setup_at: dt.datetime | None
    daily_hours: str
    organiser: str
    organiser_short: str
    organiser_parent: str
    organiser_address: str
    organiser_phone: str
    organiser_email: str
    organiser_representative: str
    organiser_province: str
    booth_fee: int
    subsidy_percent: int
    fee_after_subsidy: int
    deposit: int
    deposit_percent: int | None = None
    bank_name: str = ""
    bank_bin: str = ""
    account_number: str = ""
    account_name: str = ""

    @property
    def dates(self) -> str:
        """ "12/03/2026 – 18/03/2026" (one date when the fair lasts a day)."""
        if self.opens_on == self.closes_on:
            return f"{self.opens_on:%d/%m/%Y}"
        return f"{self.opens_on:%d/%m/%Y} – {self.closes_on:%d/%m/%Y}"

    @property
    def place(self) -> str:
        return join_address(self.venue, self.address, self.province)

    @property
    def title_line(self) -> str:
        """ "Venue, province · dates · organiser": the title block's second line."""
        return " · ".join(
            part
            for part in (
                ", ".join(p for p in (self.venue, self.province) if p),
                self.dates,
                _("Organiser: %(organiser)s") % {"organiser": self.organiser},
            )
            if part
        )


def fairs_for_print():
    """Fairs with what their title block needs (organiser and provinces) in the same query."""
    return Event.objects.select_related("organiser__province", "province", "bank_account")


def fair_for_print(*, slug=None, pk=None) -> Event:
    """The fair (by slug or pk) with its organiser and provinces, in one query; or 404."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    event = fairs_for_print().filter(**lookup).first()
    if event is None:
        raise Http404(_("No fair with this address."))
    return event


def fair_header(event: Event) -> FairHeader:
    """The title block's values (no query when the fair came from fair_for_print)."""
    organiser = event.organiser
    local = timezone.localtime
    return FairHeader(
        slug=event.slug,
        name=clean_text(event.name),
        venue=clean_text(event.venue),
        address=clean_text(event.address),
        province=clean_text(event.province.name if event.province_id else ""),
        opens_on=local(event.opens_at).date(),
        closes_on=local(event.closes_at).date(),
        setup_at=local(event.setup_at) if event.setup_at else None,
        daily_hours=clean_text(event.daily_hours),
        organiser=clean_text(organiser.name),
        organiser_short=clean_text(organiser.short_name),
        organiser_parent=clean_text(organiser.parent_body),
        organiser_address=clean_text(organiser.address),
        organiser_phone=organiser.phone,
        organiser_email=organiser.email,
        organiser_representative=clean_text(organiser.representative),
        organiser_province=clean_text(organiser.province.name if organiser.province_id else ""),
        booth_fee=event.booth_fee,
        subsidy_percent=event.subsidy_percent,
        fee_after_subsidy=fee_after_subsidy(event.booth_fee, event.subsidy_percent),
        deposit=event.deposit,
        deposit_percent=event.deposit_percent,
        **_account(event),
    )


def _account(event: Event) -> dict:
    account = event.bank_account
    if account is None:
        return {}
    return {
        "bank_name": account.bank_name,
        "bank_bin": account.bank_bin,
        "account_number": account.account_number,
        "account_name": account.account_name,
    }
