"""What a screen reader hears for a booth: its accessible name, said the same way on the map
(each booth's role="option"), in the list view beside it and in the booth-choice radios, so one
rule says how a booth is named ("Gian A05, khu A, 3 × 3 m, 2.500.000 ₫, còn trống")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from events.templatetags.vn import vnd

from .data import MapBooth, MapData


def metres(value: float) -> str:
    """3.0 → "3", 2.5 → "2.5": a size as people say it."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


class BoothNamer:
    """Names the booths of one map; the translated words are looked up once, not per booth
    (a fair has over a thousand)."""

    def __init__(self, data: MapData):
        self.data = data
        self.head = _("Booth %(code)s, zone %(zone)s, %(size)s")
        self.free, self.blocked, self.taken = _("free"), _("blocked"), _("taken by %(name)s")
        self.blocked_for = _("blocked: %(reason)s")

    def status(self, booth: MapBooth) -> str:
        occupant = self.data.occupants.get(booth.id)
        if booth.blocked:
            return self.blocked_for % {"reason": booth.blocked_reason} if booth.blocked_reason else self.blocked
        if occupant is not None:
            return self.taken % {"name": occupant.name}
        return self.free

    def __call__(self, booth: MapBooth) -> str:
        zone = self.data.zones.get(booth.zone_id)
        size = f"{metres(booth.width)} × {metres(booth.depth)} m"
        parts = [self.head % {"code": booth.code, "zone": zone.code if zone else "", "size": size}]
        if booth.price:
            parts.append(vnd(booth.price))
        parts.append(self.status(booth))
        return ", ".join(parts)
