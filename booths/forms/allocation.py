"""Forms of the automatic allocation pages: the fair's weights, starting a run, adjusting a plan
(move, swap, pin) and applying it."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ..models import AllocationRules
from ..plans import StoredPlan

TIME_LIMIT_MIN, TIME_LIMIT_MAX = 5, 600
WEIGHT_MAX = 100


class AllocationRulesForm(forms.ModelForm):
    """The six weights of a fair (0 switches a preference off)."""

    class Meta:
        model = AllocationRules
        fields = (
            "weight_zone_preference",
            "weight_same_province",
            "weight_competitors_apart",
            "weight_ocop",
            "weight_host_province",
            "weight_registration_order",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators.append(MaxValueValidator(WEIGHT_MAX))
            field.widget.attrs.update({"min": 0, "max": WEIGHT_MAX})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Row(*(Column(name, css_class="col-6 col-md-4") for name in self.Meta.fields)))


class AllocationStartForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        initial=30,
        validators=[MinValueValidator(TIME_LIMIT_MIN), MaxValueValidator(TIME_LIMIT_MAX)],
        help_text=_("The solver stops after this long with the best plan it found."),
    )
    replan = forms.BooleanField(
        label=_("Re-plan held booths too"),
        required=False,
        help_text=_(
            "Off: every booth held now stays where it is; only approved applications without a booth are placed. "
            "On: held booths that are neither pinned nor confirmed may move as well."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_limit"].widget.attrs.update({"min": TIME_LIMIT_MIN, "max": TIME_LIMIT_MAX})
        self.helper = FormHelper()
        self.helper.form_tag = False


class _PlanForm(forms.Form):
    """A form about the applications of one plan: choices come from the plan."""

    def __init__(self, *args, plan=None, placed_only=True, **kwargs):
        super().__init__(*args, **kwargs)
        plan = plan or StoredPlan()
        choices = [
            (str(rid), f"{entry.name} ({', '.join(entry.codes)})")
            for rid, entry in plan.assignments.items()
            if not entry.fixed
        ]
        if not placed_only:
            choices += [(str(rid), f"{entry.name} ({_('no booth')})") for rid, entry in plan.unplaced.items()]
        choices.sort(key=lambda choice: choice[1])
        self.application_choices = [("", "—"), *choices]
        self.booth_ids = {code: booth_id for booth_id, code in plan.booth_codes.items()}
        self.helper = FormHelper()
        self.helper.form_tag = False


class PlanMoveForm(_PlanForm):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    booth = forms.CharField(
        label=_("To booth"),
        max_length=12,
        help_text=_("The first (leftmost) booth; a request for several booths takes those to its right too."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, placed_only=False, **kwargs)
        self.fields["application"].choices = self.application_choices

    def clean_booth(self):
        code = self.cleaned_data["booth"].strip().upper()
        booth_id = self.booth_ids.get(code) or self.booth_ids.get(self.cleaned_data["booth"].strip())
        if booth_id is None:
            raise forms.ValidationError(_("This fair has no booth %(code)s.") % {"code": code})
        return booth_id


class PlanSwapForm(_PlanForm):
    first = forms.TypedChoiceField(label=_("Application"), coerce=int)
    second = forms.TypedChoiceField(label=_("Swap with"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = self.application_choices
        self.fields["second"].choices = self.application_choices


class PlanPinForm(_PlanForm):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    pinned = forms.TypedChoiceField(
        label=_("Pin"),
        choices=[("1", _("Pin its booths")), ("0", _("Unpin"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = self.application_choices


class ApplyForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the plan: give these booths now."),
        error_messages={"required": _("Tick the box to confirm that the plan should be applied.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
