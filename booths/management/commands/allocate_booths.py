import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booths.selectors.allocation import reason_text
from booths.services.allocation import allocation_apply, allocation_start
from booths.services.allocation_run import allocation_execute
from events.models import Event
from tuanhang.kernel.commands import BaseCommand
from tuanhang.kernel.params import is_id, parse_id

TIME_LIMIT_MAX = 3600


class Command(BaseCommand):
    help = gettext_lazy(
        "Allocate booths to a fair's approved applications that have none (OR-Tools CP-SAT), here and now "
        "rather than in the worker, and apply the plan unless --dry-run. Booths already held stay where they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help=gettext_lazy("The fair's slug (or its id)."))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Make the plan but do not apply it."))
        parser.add_argument(
            "--time-limit", type=int, default=30, help=gettext_lazy("Seconds the solver may take (default 30).")
        )
        parser.add_argument("--json", action="store_true", help=gettext_lazy("Print the figures as JSON."))
        parser.add_argument(
            "--replan",
            action="store_true",
            help=gettext_lazy("Also move held, unpinned booths of approved applications (pinned and confirmed stay)."),
        )

    def handle(self, *args, **options):
        event = self._event(options["event"])
        limit = options["time_limit"]
        if not 1 <= limit <= TIME_LIMIT_MAX:
            raise CommandError(_("The time limit must be between 1 and %(max)s seconds.") % {"max": TIME_LIMIT_MAX})
        run = allocation_start(event=event, time_limit=limit, replan=options["replan"], queue=False)
        run = allocation_execute(run_id=run.pk)
        if run is None or run.status != run.Status.DONE:
            raise CommandError(run.message if run else _("The allocation did not run."))
        applied = False
        if not options["dry_run"]:
            try:
                run = allocation_apply(run=run)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            applied = True
        plan = run.stored_plan
        figures = {
            "requests": plan.requests,
            "placed": plan.placed,
            "unplaced": plan.unplaced_count,
            "hard_violations": plan.hard_violations,
            "first_choice_zone": plan.first_choice_zone,
            "objective": plan.objective,
            "bound": plan.bound,
            "gap": plan.gap,
            "seconds": plan.seconds,
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(
            _(
                "%(placed)s of %(requests)s applications placed (%(first)s in their first-choice zone), "
                "%(unplaced)s without a booth, %(violations)s broken rules; %(seconds)s s, gap to the bound %(gap)s %%."
            )
            % {
                "placed": figures["placed"],
                "requests": figures["requests"],
                "first": figures["first_choice_zone"],
                "unplaced": figures["unplaced"],
                "violations": figures["hard_violations"],
                "seconds": figures["seconds"],
                "gap": figures["gap"],
            }
        )
        for entry in plan.unplaced.values():
            self.stdout.write(f"  – {entry.name}: {reason_text(plan, entry.reason)}")
        if applied:
            self.stdout.write(self.style.SUCCESS(run.message))
        else:
            self.stdout.write(_("Dry run: nothing was applied (plan no. %(run)s).") % {"run": run.pk})

    def _event(self, key) -> Event:
        events = Event.objects.filter(slug=key)
        if is_id(key):  # ASCII digits only: "²".isdigit() is true and int() refuses it, "٣" would be fair 3
            events = Event.objects.filter(pk=parse_id(key)) | events
        event = events.first()
        if event is None:
            raise CommandError(_("No fair “%(key)s”.") % {"key": key})
        return event
