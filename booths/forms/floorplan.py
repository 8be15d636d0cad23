"""Forms of the floor-plan page: the booth generator, actions on chosen booths (block, unblock,
merge) and the upload of a booth list. Validation only; the services decide."""

import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import BoothType, Zone
from tuanhang.kernel.forms import DecimalField, IdChoiceField
from tuanhang.kernel.tabular import TableUploadForm

from ..floorplan import MAX_BOOTHS_PER_RUN
from ..importing import BOOTH_LIST, parse_metres
from ..selectors.floorplan import booths_by_codes


def show_loaded(field, objects) -> None:
    """Render a ModelChoiceField's options from objects a selector already fetched, instead of a query
    per select; validating a submitted value still checks the field's queryset."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [(obj.pk, str(obj)) for obj in objects]


class MetresField(DecimalField):
    """Metres written "3", "3.5" or "3,5" in any language (Django's localized input would read
    "3.5" as 35 in Vietnamese, where "." groups thousands); the kernel field refuses what is not
    finite or does not fit."""

    default_error_messages = {"invalid": gettext_lazy("Enter a number of metres, such as 3 or 3,5.")}

    def parse(self, text):
        return parse_metres(text)


def _metres_field(label, initial=None, help_text=""):
    return MetresField(
        label=label,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
        initial=initial,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class GenerateForm(forms.Form):
    """Lay out a zone as rows × columns of booths of one type."""

    zone = IdChoiceField(label=gettext_lazy("Zone"), queryset=Zone.objects.none())
    booth_type = IdChoiceField(label=gettext_lazy("Booth type"), queryset=BoothType.objects.none())
    rows = forms.IntegerField(
        label=gettext_lazy("Rows"),
        min_value=1,
        max_value=100,
        initial=2,
        help_text=gettext_lazy("Rows come in back-to-back pairs with an aisle after every two rows."),
    )
    columns = forms.IntegerField(label=gettext_lazy("Booths per row"), min_value=1, max_value=200, initial=10)
    origin_x = _metres_field(
        gettext_lazy("From x (m)"), initial=0, help_text=gettext_lazy("Left edge, from the hall's left wall.")
    )
    origin_y = _metres_field(
        gettext_lazy("From y (m)"), initial=0, help_text=gettext_lazy("Top edge, from the hall's top wall.")
    )
    aisle = _metres_field(gettext_lazy("Aisle (m)"), initial=3)
    start = forms.IntegerField(
        label=gettext_lazy("First number"),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=gettext_lazy("Empty: one past the zone's highest booth number."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["zone"].queryset = Zone.objects.filter(event=event).order_by("position", "code")
        self.fields["booth_type"].queryset = BoothType.objects.filter(event=event).order_by("-is_standard", "name")
        self.helper = FormHelper()
        self.helper.form_id = "generate-form"
        self.helper.form_action = reverse("booths:generate", args=[event.slug])
        self.helper.layout = Layout(
            Row(Column("zone", css_class="col-12 col-sm-6"), Column("booth_type", css_class="col-12 col-sm-6")),
            Row(Column("rows", css_class="col-6"), Column("columns", css_class="col-6")),
            Row(
                Column("origin_x", css_class="col-6 col-sm-4"),
                Column("origin_y", css_class="col-6 col-sm-4"),
                Column("aisle", css_class="col-6 col-sm-4"),
            ),
            Row(Column("start", css_class="col-12 col-sm-6")),
            Submit("", gettext_lazy("Lay out the booths"), css_class="btn-primary"),
        )

    def show_loaded(self, *, zones, booth_types) -> None:
        """Options from the page's selector (no query per select), the standard booth first and chosen."""
        show_loaded(self.fields["zone"], zones)
        show_loaded(self.fields["booth_type"], booth_types)
        if zones:
            self.fields["zone"].initial = zones[0].pk
        standard = next((t for t in booth_types if t.is_standard), None)
        if standard is not None:
            self.fields["booth_type"].initial = standard.pk

    def clean(self):
        cleaned = super().clean()
        rows, columns = cleaned.get("rows"), cleaned.get("columns")
        if rows and columns and rows * columns > MAX_BOOTHS_PER_RUN:
            raise ValidationError(
                _("That is %(count)s booths; lay out at most %(max)s at a time.")
                % {"count": rows * columns, "max": MAX_BOOTHS_PER_RUN}
            )
        return cleaned


_SEPARATORS = re.compile(r"[\s,;]+")


class BoothActionsForm(forms.Form):
    """Booths chosen by code (typed, or ticked on the plan) and what block / merge need to know."""

    codes = forms.CharField(
        label=gettext_lazy("Booths"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "A01 A02 A03"}),
        help_text=gettext_lazy("Booth codes separated by spaces or commas; or tap booths on the plan."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why blocked"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("For blocking: stage, entrance, pillar…"),
    )
    booth_type = IdChoiceField(
        label=gettext_lazy("Type of the merged stand"),
        queryset=BoothType.objects.none(),
        required=False,
        empty_label=gettext_lazy("By size (created if missing)"),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["booth_type"].queryset = BoothType.objects.filter(event=event).order_by("-is_standard", "name")

    def show_loaded(self, *, booth_types) -> None:
        show_loaded(self.fields["booth_type"], booth_types)

    def clean_codes(self):
        codes = [code for code in _SEPARATORS.split(self.cleaned_data["codes"]) if code]
        booths, unknown = booths_by_codes(event=self.event, codes=codes)
        if unknown:
            raise ValidationError(
                _("This fair has no booth %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown_booth"
            )
        if not booths:
            raise ValidationError(_("Choose at least one booth."), code="empty")
        self.booths = booths
        return [b.code for b in booths]


class BlockForm(BoothActionsForm):
    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the booths are blocked (stage, entrance, pillar…)."), code="required")
        return reason


class ImportUploadForm(TableUploadForm):
    file = forms.FileField(
        label=gettext_lazy("Booth list"),
        help_text=gettext_lazy("An .xlsx or .csv file (UTF-8) with a header row."),
    )
    table_format = BOOTH_LIST
