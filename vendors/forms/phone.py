"""Forms of sign-up / log-in by phone: the number with the consent box, then the code."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.vn import format_phone, parse_phone

from .consent import PersonalDataConsentField

# The version of the plain-words privacy text (templates/vendors/accounts/privacy_notice.html).
# Change both together: the version is recorded with each consent, so we know what was agreed to.
PRIVACY_TEXT_VERSION = "2025-07-01"


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile phone number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"}
        ),
    )
    consent = PersonalDataConsentField(
        label=_("I have read the text above and agree that my personal data is processed for these purposes.")
    )

    def clean_phone(self):
        raw = self.cleaned_data["phone"]
        try:
            return parse_phone(raw)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a Vietnamese phone number. Write it like 0912 345 678."),
                code="invalid_phone",
                params={"value": raw},
            ) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
                "class": "form-control-lg text-center",
            }
        ),
    )

    def clean_code(self):
        # People copy "123 456" from a message: spaces go, anything else is simply a wrong code.
        return "".join(self.cleaned_data["code"].split())


def shown_phone(e164: str) -> str:
    return format_phone(e164)
