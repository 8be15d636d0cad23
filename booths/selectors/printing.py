"""Reads for the booth signs: one plain row per assigned booth, from the booth map's data plus
each business's best OCOP rating and logo (seven queries whatever the number of booths)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, Subquery

from events.models import Event
from tuanhang.kernel.pdf import clean_text
from vendors.models import Product, Vendor
from vendors.selectors.profile import exhibitor_url

from ..codes import booth_code_key
from ..models import Assignment
from ..svg import MapData
from .map import booth_map_data


@dataclass(frozen=True)
class SignRow:
    booth_code: str
    zone: str  # "A – Khu OCOP"
    zone_colour: str
    name: str  # the name on the sign (short name, else legal name)
    legal_name: str
    province: str
    ocop_stars: int | None
    url: str  # the business's public page, for the QR code
    logo: str  # the logo thumbnail's URL, "" when it has none

    @property
    def stars_text(self) -> str:
        return "★" * self.ocop_stars if self.ocop_stars else ""


def sign_rows(event: Event, *, data: MapData | None = None) -> list[SignRow]:
    """A sign for every booth held or confirmed, in natural booth order."""
    data = data if data is not None else booth_map_data(event=event)
    vendor_ids = Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).values(
        "application__vendor_id"
    )
    best = (
        Product.objects.filter(vendor=OuterRef("pk"), ocop_stars__isnull=False)
        .order_by("-ocop_stars")
        .values("ocop_stars")[:1]
    )
    extras = {
        pk: (stars, logo)
        for pk, stars, logo in Vendor.objects.filter(pk__in=vendor_ids)
        .annotate(stars=Subquery(best, output_field=IntegerField()))
        .values_list("pk", "stars", "logo_thumbnail")
    }
    storage = Vendor._meta.get_field("logo_thumbnail").storage
    rows = []
    for booth in sorted(data.booths, key=lambda b: booth_code_key(b.code)):
        occupant = data.occupants.get(booth.id)
        if occupant is None:
            continue
        zone = data.zones.get(booth.zone_id)
        stars, logo = extras.get(occupant.vendor_id, (None, ""))
        rows.append(
            SignRow(
                booth_code=booth.code,
                zone=clean_text(f"{zone.code} – {zone.name}") if zone else "",
                zone_colour=zone.colour if zone else "#4e79a7",
                name=clean_text(occupant.sign_name),
                legal_name=clean_text(occupant.name),
                province=clean_text(occupant.province),
                ocop_stars=stars,
                url=exhibitor_url(event.slug, occupant.vendor_id),
                logo=storage.url(logo) if logo else "",
            )
        )
    return rows
