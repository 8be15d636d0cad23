from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanhang.kernel.commands import BaseCommand
from tuanhang.office.reminders.services import reminders_sweep


class Command(BaseCommand):
    help = gettext_lazy(
        "One sweep of the reminders, for those who run cron instead of Celery beat: record every reminder "
        "that is due (once per rule and business) and queue the pending ones for the worker. With --dry-run, "
        "only list what is due."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("List what is due; change nothing."))

    def handle(self, *args, dry_run=False, **options):
        report = reminders_sweep(dry_run=dry_run)
        for rule, count in report.due:
            if count:
                self.stdout.write(
                    _("%(fair)s · %(rule)s: %(count)d due")
                    % {"fair": rule.event.name, "rule": rule.get_kind_display(), "count": count}
                )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Dry run: %(count)d reminder(s) due; nothing recorded.") % {"count": report.due_total}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(due)d reminder(s) due; %(queued)d queued for sending.")
                    % {"due": report.due_total, "queued": report.queued}
                )
            )
