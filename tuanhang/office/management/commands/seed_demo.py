import os

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tuanhang.kernel.commands import BaseCommand
from tuanhang.kernel.sites import site_url
from tuanhang.office.demo import seed_demo

LABELS = {
    "organisers": gettext_lazy("organisers"),
    "categories": gettext_lazy("product categories"),
    "document_types": gettext_lazy("document types"),
    "fairs": gettext_lazy("fairs"),
    "subsidy_programmes": gettext_lazy("subsidy programmes"),
    "zones": gettext_lazy("zones"),
    "booths": gettext_lazy("booths"),
    "participants": gettext_lazy("participants"),
    "products": gettext_lazy("products"),
    "applications": gettext_lazy("applications"),
    "reminder_rules": gettext_lazy("reminder rules"),
    "logins": gettext_lazy("staff logins"),
    "memberships": gettext_lazy("team memberships"),
}


def _url(name, **kwargs):
    # In the site's default language, whose URLs carry no language prefix.
    with translation.override(settings.LANGUAGE_CODE):
        return site_url(reverse(name, kwargs=kwargs or None))


def login_table(logins) -> list[str]:
    """The demo's logins as a text table: username, password, organiser, role."""
    header = (
        pgettext("demo logins", "Username"),
        pgettext("demo logins", "Password"),
        pgettext("demo logins", "Organiser"),
        pgettext("demo logins", "Role"),
    )
    rows = [header]
    for login in logins:
        role = login.role_label or _("Superuser (every organiser) and administrator")
        rows.append((login.username, login.password, str(login.organiser), role))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return lines


class Command(BaseCommand):
    help = gettext_lazy(
        "Create the demo fair (Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên, named with the year it opens) "
        "with its hall plan, participants, products, applications and an organiser login, "
        "a second organiser with a small fair, "
        "and one login per role. Safe to run again: it only adds what is missing. The logins' password comes "
        "from DEMO_PASSWORD (default “tuanhang-demo”)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-reminders",
            action="store_true",
            help=gettext_lazy(
                "Create the demo fair's reminder rules enabled, so a running worker mails the demo businesses "
                "(off by default: the rules are created disabled)."
            ),
        )

    def handle(self, *args, **options):
        summary = seed_demo(password=os.environ.get("DEMO_PASSWORD") or None, with_reminders=options["with_reminders"])
        created = ", ".join(f"{LABELS[key]}: {n}" for key, n in summary.created.items() if n) or _(
            "nothing (already there)"
        )
        totals = summary.totals
        lines = [
            _("Demo fair ready: %(name)s") % {"name": summary.event.name},
            _("Created: %(created)s") % {"created": created},
            _(
                "Participants: %(participants)s · booths: %(booths)s · applications: %(applications)s · "
                "booths assigned: %(assignments)s"
            )
            % totals,
            _(
                "Reminder rules enabled: %(enabled)s of %(total)s (the worker mails the demo businesses only "
                "by enabled rules; seed_demo --with-reminders creates them enabled)"
            )
            % {
                "enabled": summary.event.reminder_rules.filter(enabled=True).count(),
                "total": summary.event.reminder_rules.count(),
            },
            "",
            _("Organiser login: %(username)s / %(password)s")
            % {"username": summary.username, "password": summary.password},
            _("Staff area: %(url)s") % {"url": _url("events:staff_home")},
            _("Fair dashboard: %(url)s") % {"url": _url("events:dashboard", slug=summary.event.slug)},
            _("Admin: %(url)s") % {"url": _url("admin:index")},
            _("Second organiser's fair: %(url)s") % {"url": _url("events:dashboard", slug=summary.second_event.slug)},
            "",
            _("Demo logins (one per role; each sees only its organiser's fairs):"),
            *login_table(summary.logins),
        ]
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write("\n".join(lines[1:]))
