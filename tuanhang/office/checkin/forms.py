"""Forms of setup-day check-in: validation only, the writes are vendors.services.checkin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.services.checkin import NOTE_MAX


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Business name or booth code"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "autocapitalize": "off", "enterkeyhint": "search"}
        ),
    )


class HandoverForm(forms.Form):
    power_ok = forms.BooleanField(label=_("Power socket works"), required=False)
    furniture_ok = forms.BooleanField(label=_("Table and chairs in place"), required=False)
    fascia_ok = forms.BooleanField(label=_("Fascia board correct (name and booth number)"), required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is missing or was fixed, e.g. “second socket requested”."),
    )

    def __init__(self, *args, **kwargs):
        # The undo form on the same page has a `note` too: distinct ids keep labels, the error
        # summary's links and aria-describedby pointing at this form's fields.
        kwargs.setdefault("auto_id", "id_handover_%s")
        super().__init__(*args, **kwargs)


class UndoForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the check-in undone?"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
