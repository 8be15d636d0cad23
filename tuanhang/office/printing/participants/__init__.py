"""Prints of the vendors app, registered with events.generated: the participant list, the
check-in sheet for setup day and the confirmation letters. They get plain rows from
tuanhang.office.printing.selectors and never see a request."""

from django import forms
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.generated import Builder, DefaultChoiceField, OptionsForm, register
from events.generated.header import fair_header
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.office.printing.selectors import ORDER_BOOTH, ORDER_NAME, ORDER_PROVINCE, approved_applications
from vendors.models import Application
from vendors.selectors.figures import fair_figures

QUICK_ROWS = 150  # a list this short prints in well under a second
QUICK_LETTERS = 3


class ParticipantsOptions(OptionsForm):
    order = DefaultChoiceField(
        label=_("Order"),
        default=ORDER_BOOTH,
        choices=[
            (ORDER_BOOTH, _("by booth")),
            (ORDER_NAME, _("by name")),
            (ORDER_PROVINCE, _("by province / city, with counts")),
        ],
    )


class ApplicationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.vendor.name


class LetterOptions(OptionsForm):
    application = ApplicationChoice(
        label=_("Participant"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("All approved participants"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.event is not None:
            self.fields["application"].queryset = (
                approved_applications(self.event)
                .select_related("vendor")
                .order_by(Collate("vendor__name", VI_COLLATION), "pk")
            )


def _rows(event, options, order=ORDER_BOOTH):
    from tuanhang.office.printing.selectors import order_participants, participant_rows

    return tuple(order_participants(participant_rows(event), order))


def _collect_participants(event, options):
    from .lists import ParticipantsPrint

    return ParticipantsPrint(
        header=fair_header(event),
        order=options["order"],
        rows=_rows(event, options, options["order"]),
        figures=fair_figures(event),
    )


def _collect_checkin(event, options):
    from .lists import ParticipantsPrint

    return ParticipantsPrint(header=fair_header(event), order=ORDER_BOOTH, rows=_rows(event, options))


def _collect_letters(event, options):
    from tuanhang.office.printing.selectors import participant_rows

    from .letters import LettersPrint

    applications = approved_applications(event)
    if options.get("application"):
        applications = applications.filter(pk=options["application"])
    return LettersPrint(
        header=fair_header(event),
        issued_on=timezone.localdate(),
        rows=tuple(participant_rows(event, applications=applications)),
    )


def _render_participants(event, data, options, progress):
    from .lists import participants_pdf

    return participants_pdf(data, progress=progress)


def _render_checkin(event, data, options, progress):
    from .lists import checkin_pdf

    return checkin_pdf(data, progress=progress)


def _render_letters(event, data, options, progress):
    from .letters import letters_pdf

    return letters_pdf(data, progress=progress)


def _letters_text(options):
    from django.utils.translation import gettext

    if options.get("application"):
        return gettext("Application no. %(number)s") % {"number": options["application"]}
    return gettext("All approved participants")


def _letters_filename(event, options):
    suffix = f"-{options['application']}" if options.get("application") else ""
    return f"thu-xac-nhan-{event.slug}{suffix}.pdf"


participants = register(
    Builder(
        kind="participants",
        label=_("List of participants"),
        description=_("Every approved participant with its booths (blank when not yet assigned), A4 landscape."),
        form=ParticipantsOptions,
        collect=_collect_participants,
        render=_render_participants,
        quick=lambda data: len(data.rows) <= QUICK_ROWS,
        filename=lambda event, options: f"danh-sach-don-vi-tham-gia-{event.slug}-{options['order']}.pdf",
        position=20,
    )
)
checkin = register(
    Builder(
        kind="checkin",
        label=_("Check-in sheet for setup day"),
        description=_("Booth, business, contact, phone and a column for the signature, by booth."),
        collect=_collect_checkin,
        render=_render_checkin,
        quick=lambda data: len(data.rows) <= QUICK_ROWS,
        filename=lambda event, options: f"danh-sach-ky-nhan-gian-{event.slug}.pdf",
        position=40,
    )
)
letters = register(
    Builder(
        kind="letters",
        label=_("Confirmation letters"),
        description=_("An official letter per participant: the fair, its booths, dates, fee due and how to set up."),
        form=LetterOptions,
        collect=_collect_letters,
        render=_render_letters,
        quick=lambda data: len(data.rows) <= QUICK_LETTERS,
        filename=_letters_filename,
        describe=_letters_text,
        position=50,
    )
)
