"""The rules of booth self-selection, as pure functions: no queries, no request. Which booths go
together is booths.rules' to say; this module says when a business may choose and, in its words,
why a pick is refused.

They read plain attributes (model instances with their relations already loaded, or any object
with the same attributes), so the service can run them under its row locks and the page can run
them on what its selector fetched.
"""

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .rules import broken_rules

APPROVED = "approved"


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
    """Raise ValidationError (code "invalid") with a specific message unless the booths are a valid pick
    (booths.rules): the first broken rule of the wrong number of booths, then each booth in code
    order (blocked, another type, a zone that does not take the business), then booths not side by
    side, then booths of more than one type.

    booths: the chosen booths with `zone` loaded; count: how many the application was approved for;
    booth_type: the application's booth type or None (any single type); zone_categories: {zone id:
    category ids}; application_categories: the application's category ids.
    """
    broken = broken_rules(
        booths,
        needed=count,
        booth_type_id=booth_type.pk if booth_type is not None else None,
        category_ids=application_categories,
        zone_categories=zone_categories,
    )
    if not broken:
        return
    at_fault = {rule.code: rule.booths for rule in broken}
    if "booth_count" in at_fault:
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
        for code in ("blocked", "booth_type", "zone_category"):
            if booth in at_fault.get(code, ()):
                raise ValidationError(_booth_message(code, booth, booth_type), code="invalid")
    if "not_adjacent" in at_fault:
        message = _("Your %(count)d booths must be side by side in one row of one zone.")
    else:
        message = _("Your %(count)d booths must all be of one booth type.")
    raise ValidationError(message % {"count": count}, code="invalid")


def _booth_message(code, booth, booth_type) -> str:
    if code == "blocked":
        return _("Booth %(code)s is blocked and cannot be chosen.") % {"code": booth.code}
    if code == "booth_type":
        return _("Booth %(code)s is not a “%(type)s” booth, the type you were approved for.") % {
            "code": booth.code,
            "type": booth_type.name,
        }
    return _("Booth %(code)s is in the zone “%(zone)s”, which does not take your product categories.") % {
        "code": booth.code,
        "zone": booth.zone.name,
    }
