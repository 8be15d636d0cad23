"""When a reminder goes out, in words: "3 ngày trước ngày khai mạc", "1 giờ sau khi duyệt hồ sơ",
"ngay khi mở đăng ký". One function for the admin list and the reminder log (issue 19): each
direction and date is a whole sentence in the catalogue, so Vietnamese can say "trước khi …" or
"trước ngày …" as it reads best, and a zero offset says "at" instead of "0 ngày 0 giờ sau".
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

# The values of ReminderRule.Anchor and ReminderRule.Direction (models.py imports this module; a
# test holds every choice to a phrase).
BEFORE, AFTER = "before", "after"


class A:
    REGISTRATION_OPENS = "registration_opens_at"
    REGISTRATION_CLOSES = "registration_closes_at"
    SETUP = "setup_at"
    OPENS = "opens_at"
    CLOSES = "closes_at"
    DECIDED = "decided_at"
    BOOTH_ASSIGNED = "booth_assigned_at"
    DEPOSIT_DUE = "deposit_due_on"
    BALANCE_DUE = "balance_due_on"


PHRASES = {
    (BEFORE, A.REGISTRATION_OPENS): _("%(offset)s before registration opens"),
    (AFTER, A.REGISTRATION_OPENS): _("%(offset)s after registration opens"),
    (BEFORE, A.REGISTRATION_CLOSES): _("%(offset)s before registration closes"),
    (AFTER, A.REGISTRATION_CLOSES): _("%(offset)s after registration closes"),
    (BEFORE, A.SETUP): _("%(offset)s before the booth handover"),
    (AFTER, A.SETUP): _("%(offset)s after the booth handover"),
    (BEFORE, A.OPENS): _("%(offset)s before the opening"),
    (AFTER, A.OPENS): _("%(offset)s after the opening"),
    (BEFORE, A.CLOSES): _("%(offset)s before the closing"),
    (AFTER, A.CLOSES): _("%(offset)s after the closing"),
    (BEFORE, A.DECIDED): _("%(offset)s before the application is decided"),
    (AFTER, A.DECIDED): _("%(offset)s after the application is decided"),
    (BEFORE, A.BOOTH_ASSIGNED): _("%(offset)s before the booth is assigned"),
    (AFTER, A.BOOTH_ASSIGNED): _("%(offset)s after the booth is assigned"),
    (BEFORE, A.DEPOSIT_DUE): _("%(offset)s before the deposit deadline"),
    (AFTER, A.DEPOSIT_DUE): _("%(offset)s after the deposit deadline"),
    (BEFORE, A.BALANCE_DUE): _("%(offset)s before the balance deadline"),
    (AFTER, A.BALANCE_DUE): _("%(offset)s after the balance deadline"),
}
# Whole days before or after the fair's own days read as days ("3 ngày trước ngày khai mạc").
DAY_PHRASES = {
    (BEFORE, A.OPENS): _("%(offset)s before the opening day"),
    (AFTER, A.OPENS): _("%(offset)s after the opening day"),
    (BEFORE, A.CLOSES): _("%(offset)s before the closing day"),
    (AFTER, A.CLOSES): _("%(offset)s after the closing day"),
}
AT = {
    A.REGISTRATION_OPENS: pgettext_lazy("reminder time", "when registration opens"),
    A.REGISTRATION_CLOSES: pgettext_lazy("reminder time", "when registration closes"),
    A.SETUP: pgettext_lazy("reminder time", "at the booth handover"),
    A.OPENS: pgettext_lazy("reminder time", "at the opening"),
    A.CLOSES: pgettext_lazy("reminder time", "at the closing"),
    A.DECIDED: pgettext_lazy("reminder time", "when the application is decided"),
    A.BOOTH_ASSIGNED: pgettext_lazy("reminder time", "when the booth is assigned"),
    A.DEPOSIT_DUE: pgettext_lazy("reminder time", "on the deposit deadline"),
    A.BALANCE_DUE: pgettext_lazy("reminder time", "on the balance deadline"),
}


def offset_text(*, days: int, hours: int, direction: str, anchor: str) -> str:
    """`days` and `hours` before or after `anchor` in words, e.g. "1 ngày 2 giờ trước khi hết hạn
    đăng ký"; no zero part is spoken ("3 ngày", not "3 ngày 0 giờ")."""
    if not days and not hours:
        return str(AT[anchor])
    parts = []
    if days:
        parts.append(npgettext("reminder offset", "%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(npgettext("reminder offset", "%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    phrase = (not hours and DAY_PHRASES.get((direction, anchor))) or PHRASES[(direction, anchor)]
    return phrase % {"offset": " ".join(parts)}
