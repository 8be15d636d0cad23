"""Prints of the booths app, registered with events.generated: the booth map (with its index)
and the booth signs. The drawing lives in map.py and signs.py; they get plain data from
booths.selectors and never see a request."""

from django.utils.translation import gettext_lazy as _

from events.generated import Builder, DefaultChoiceField, OptionsForm, register
from events.generated.header import fair_header

from ..svg import COLOUR_CATEGORY, COLOUR_ZONE

PAPERS = ("A3", "A4", "A1")
QUICK_BOOTHS = 200  # a plan this small prints in well under a second
QUICK_SIGNS = 30


class BoothMapOptions(OptionsForm):
    paper = DefaultChoiceField(
        label=_("Paper"),
        default="A3",
        choices=[("A3", _("A3 landscape")), ("A4", _("A4 landscape")), ("A1", _("A1 landscape"))],
    )
    colour = DefaultChoiceField(
        label=_("Colours"),
        default=COLOUR_ZONE,
        choices=[(COLOUR_ZONE, _("by zone")), (COLOUR_CATEGORY, _("by product category"))],
    )


class BoothSignOptions(OptionsForm):
    layout = DefaultChoiceField(
        label=_("Layout"),
        default="a4",
        choices=[("a4", _("one sign per A4 sheet (landscape)")), ("a5x2", _("two A5 signs per A4 sheet"))],
    )


def _collect_map(event, options):
    from ..selectors.map import booth_map_data
    from .map import BoothMapPrint

    return BoothMapPrint(header=fair_header(event), data=booth_map_data(event=event))


def _render_map(event, data, options, progress):
    from .map import booth_map_pdf

    return booth_map_pdf(data, paper=options["paper"], colour_by=options["colour"], progress=progress)


def _collect_signs(event, options):
    from ..selectors.printing import sign_rows
    from .signs import SignsPrint

    return SignsPrint(header=fair_header(event), signs=tuple(sign_rows(event)))


def _render_signs(event, data, options, progress):
    from .signs import booth_signs_pdf

    return booth_signs_pdf(data, layout=options["layout"], progress=progress)


booth_map = register(
    Builder(
        kind="booth_map",
        label=_("Booth map"),
        description=_(
            "The hall to scale with every booth and business, a legend and an index of businesses; "
            "large halls over several sheets."
        ),
        form=BoothMapOptions,
        collect=_collect_map,
        render=_render_map,
        quick=lambda data: len(data.data.booths) <= QUICK_BOOTHS,
        filename=lambda event, options: f"so-do-gian-hang-{event.slug}-{options['paper']}.pdf",
        position=10,
    )
)
booth_signs = register(
    Builder(
        kind="booth_signs",
        label=_("Booth signs"),
        description=_(
            "One sign per assigned booth: booth code, business name, province, OCOP stars and a QR code to its page."
        ),
        form=BoothSignOptions,
        collect=_collect_signs,
        render=_render_signs,
        quick=lambda data: len(data.signs) <= QUICK_SIGNS,
        filename=lambda event, options: f"bien-gian-hang-{event.slug}.pdf",
        position=30,
    )
)
