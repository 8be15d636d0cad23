"""The rules of booth self-selection, as pure functions: no queries, no request.

They read plain attributes (model instances with their relations already loaded, or any object
with the same attributes), so the service can run them under its row locks and the page can run
them on what its selector fetched.
"""

from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Booths touch when one's right edge is within 1 cm of the next one's left edge.
TOUCH_TOLERANCE_M = Decimal("0.01")
APPROVED = "approved"


def zone_accepts(zone_category_ids, application_category_ids) -> bool:
    """A zone takes an application when it names no categories or shares one with the application."""
    zone_category_ids = set(zone_category_ids)
    return not zone_category_ids or bool(zone_category_ids & set(application_category_ids))


def same_row(a, b) -> bool:
    """Same zone and same row label; booths without a row label count as one row only at the same y."""
    if a.zone_id != b.zone_id or a.row != b.row:
        return False
    return bool(a.row) or a.y == b.y


def side_by_side(booths) -> bool:
    """True when the booths form one unbroken run in one row of one zone (any single booth does)."""
    booths = sorted(booths, key=lambda b: b.x)
    if len(booths) < 2:
        return True
    first = booths[0]
    return all(same_row(first, b) for b in booths[1:]) and all(
        abs(Decimal(a.x) + Decimal(a.width) - Decimal(b.x)) <= TOUCH_TOLERANCE_M for a, b in pairwise(booths)
    )


def selection_refusal(*, application, event, now=None) -> str | None:
    """Why the application may not pick booths now (a sentence for the business), or None if it may."""
    now = now or timezone.now()
    if not event.allow_self_selection:
        return _("At this fair the organisers allocate the booths; participants do not choose them.")
    if application.status != APPROVED:
        return _("You can choose your booth once your application is approved; it is “%(status)s” now.") % {
            "status": application.get_status_display()
        }
    deadline = event.booth_choice_deadline
    if deadline is not None and now > deadline:
        return _("The booth choice for this fair closed on %(deadline)s.") % {"deadline": format_moment(deadline)}
    return None


def pinned_refusal(pinned_codes) -> str | None:
    """Booths the organisers pinned stay where they are: the business cannot move them itself.
    `pinned_codes`: the codes of the application's pinned booths (among its active assignments)."""
    pinned = sorted(pinned_codes)
    if not pinned:
        return None
    return _("The organisers have fixed your booths (%(codes)s); contact them if you need a change.") % {
        "codes": ", ".join(pinned)
    }


def format_moment(moment) -> str:
    """dd/mm/yyyy HH:MM in the fair's time zone."""
    return dateformat.format(timezone.localtime(moment), "d/m/Y H:i")


def check_choice(booths, *, count, booth_type, zone_categories, application_categories):
    """Raise ValidationError (code "invalid") with a specific message unless the booths are a valid pick.

    booths: the chosen booths with `zone` loaded; count: how many the application was approved for;
    booth_type: the application's booth type or None (any type); zone_categories: {zone id: category
    ids}; application_categories: the application's category ids.
    """
    if len(booths) != count:
        raise ValidationError(
            ngettext(
                "You were approved for %(count)d booth: choose exactly %(count)d (you chose %(chosen)d).",
                "You were approved for %(count)d booths: choose exactly %(count)d (you chose %(chosen)d).",
                count,
            )
            % {"count": count, "chosen": len(booths)},
            code="invalid",
        )
    for booth in sorted(booths, key=lambda b: b.code):
        _check_booth(booth, booth_type, zone_categories, application_categories)
    if not side_by_side(booths):
        raise ValidationError(
            _("Your %(count)d booths must be side by side in one row of one zone.") % {"count": count}, code="invalid"
        )


def _check_booth(booth, booth_type, zone_categories, application_categories):
    if booth.blocked:
        raise ValidationError(
            _("Booth %(code)s is blocked and cannot be chosen.") % {"code": booth.code}, code="invalid"
        )
    if booth_type is not None and booth.booth_type_id != booth_type.pk:
        raise ValidationError(
            _("Booth %(code)s is not a “%(type)s” booth, the type you were approved for.")
            % {"code": booth.code, "type": booth_type.name},
            code="invalid",
        )
    if not zone_accepts(zone_categories.get(booth.zone_id, ()), application_categories):
        raise ValidationError(
            _("Booth %(code)s is in the zone “%(zone)s”, which does not take your product categories.")
            % {"code": booth.code, "zone": booth.zone.name},
            code="invalid",
        )
