"""Forms of the team page: invite a person, change a member's role or fairs. Validation and layout
only; the views hand the cleaned data to events/teams.py."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.models import Event, Membership
from events.teams import parse_contact
from tuanhang.kernel.forms import IdMultipleChoiceField


class _TeamForm(forms.Form):
    role = forms.ChoiceField(label=pgettext_lazy("team", "Role"), choices=Membership.Role.choices)
    fairs = IdMultipleChoiceField(
        label=_("Only these fairs"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every fair of the organiser."),
    )

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this organiser's fairs: another organiser's fair id in the form is "not a choice".
        self.fields["fairs"].queryset = Event.objects.filter(organiser=organiser).order_by("-opens_at", "name")


class InviteForm(_TeamForm):
    contact = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=254,
        help_text=_("An e-mail address gets a link to choose a password; for a phone number you pass the link on."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    name = forms.CharField(label=pgettext_lazy("team", "Full name"), max_length=150, required=False)

    field_order = ["contact", "name", "role", "fairs"]

    def clean_contact(self):
        return parse_contact(self.cleaned_data["contact"])


class MemberForm(_TeamForm):
    pass
