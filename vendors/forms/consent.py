"""Consent to the processing of personal data, with its purpose stated next to the box (Decree
13/2023/NĐ-CP): asked when a business is registered and with every identity document uploaded."""

from crispy_forms.layout import HTML
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PROFILE_CONSENT = _(
    "I agree that the organisers process the personal data in this profile (names, phone, e-mail, address) "
    "for the purpose stated above."
)
ID_DOCUMENT_CONSENT = _(
    "I agree that the organisers process the personal data in this identity document for the purpose stated above."
)
PROFILE_PURPOSE = _(
    "Purpose: the organisers of the fairs you apply to use these details to review your applications, "
    "assign booths, contact you and report to the authorities (Decree 13/2023/NĐ-CP). You can download "
    "your data or ask for its erasure on your profile at any time."
)
ID_DOCUMENT_PURPOSE = _(
    "Purpose: only the organiser's administrators and reviewers open it, to check who runs the business "
    "for this application; it is deleted when the organiser's retention period after the fair ends."
)


class PersonalDataConsentField(forms.BooleanField):
    """The required box of consent to the processing of personal data for the stated purpose."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"required": _("Tick the box to agree: without your consent nothing can be saved.")}
        )
        super().__init__(required=True, **kwargs)


def purpose(text) -> HTML:
    """The statement of purpose as a crispy layout item, translated when the form is built."""
    return HTML(format_html('<p class="small text-body-secondary" data-purpose>{}</p>', gettext(text)))
