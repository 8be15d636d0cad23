"""Template filters for Vietnamese formats: money in đồng, phones, days to a date.

{% load vn %} then {{ fee|vnd }} → "1.500.000 ₫", {{ vendor.phone|phone }} → "0912 345 678",
{{ days|relative_days }} → "in 3 days" / "today" / "2 days ago" (translated).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.translation import gettext, ngettext

from events import fees
from tuanhang.kernel.vn import format_phone

register = template.Library()


@register.filter
def vnd(value):
    """An amount in VND, grouped by dots and followed by the đồng sign: 1500000 → "1.500.000 ₫".

    VND has no minor unit, so fractions are rounded half up. The grouping is the Vietnamese one
    whatever the interface language, as the amount is always in đồng. Non-numbers pass through.
    """
    if value is None or value == "":
        return ""
    try:
        amount = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " ₫"


@register.filter
def phone(value):
    """A stored E.164 phone (+84…) in national form: 0912 345 678, 0225 3842 123."""
    return format_phone(value or "")


@register.filter
def relative_days(days):
    """Whole days from today to a date, in words: "today", "in 3 days", "2 days ago"."""
    if days is None or days == "":
        return ""
    days = int(days)
    if days == 0:
        return gettext("today")
    if days > 0:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    return ngettext("%(count)d day ago", "%(count)d days ago", -days) % {"count": -days}


@register.simple_tag(takes_context=True)
def path_without_language(context):
    """The current path with any language prefix removed ("/en/staff/" → "/staff/").

    Django's set_language view runs in the default language and translates `next` by resolving
    it; an English path with its /en/ prefix does not resolve there, so the switcher sends this."""
    request = context.get("request")
    if request is None:
        return "/"
    path = request.get_full_path()
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


@register.filter
def fee_after_subsidy(event):
    """{{ event|fee_after_subsidy|vnd }}: what one booth at the fair's fee per booth costs a
    participant after the fair's subsidy share (events.fees)."""
    return fees.fee_after_subsidy(event.booth_fee, event.subsidy_percent)
