"""Validation of reminder rules (admin) and the delivery log's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.models import Application

from .messages import VARIABLES, unknown_variables
from .models import ReminderRule, ZaloToken

TEXT_FIELDS = ("subject_vi", "body_vi", "subject_en", "body_en")


class ReminderRuleForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=_("applications in these statuses"),
        choices=Application.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one application status.")},
    )

    class Meta:
        model = ReminderRule
        fields = (
            "event",
            "kind",
            "enabled",
            "anchor",
            "direction",
            "days",
            "hours",
            "statuses",
            "channel",
            "resend_unconfirmed",
            "subject_vi",
            "body_vi",
            "subject_en",
            "body_en",
        )
        help_texts = {
            "body_vi": _("Variables: %(names)s") % {"names": ", ".join("{" + name + "}" for name in VARIABLES)},
        }

    def clean(self):
        data = super().clean()
        for name in TEXT_FIELDS:
            unknown = unknown_variables(data.get(name, ""))
            if unknown:
                self.add_error(
                    name,
                    _("Unknown variable %(unknown)s. Use only: %(known)s.")
                    % {
                        "unknown": ", ".join("{" + u + "}" for u in unknown),
                        "known": ", ".join("{" + k + "}" for k in VARIABLES),
                    },
                )
        if bool((data.get("subject_en") or "").strip()) != bool((data.get("body_en") or "").strip()):
            self.add_error("body_en", _("Give both the English subject and the English message, or neither."))
        if data.get("anchor") == ReminderRule.Anchor.SETUP and data.get("event") and not data["event"].setup_at:
            self.add_error("anchor", _("This fair has no booth handover time yet."))
        # A payment deadline belongs to what a business owes: only a payment reminder is timed by it.
        deadline = data.get("anchor") in (ReminderRule.Anchor.DEPOSIT_DUE, ReminderRule.Anchor.BALANCE_DUE)
        if deadline and data.get("kind") != ReminderRule.Kind.PAYMENT_DUE:
            self.add_error("anchor", _("Only a “Payment due” reminder is timed by a payment deadline."))
        return data


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("pending", _("Waiting to be sent")),
            ("sent", _("Sent")),
            ("unconfirmed", _("Sent, not confirmed by the server")),
            ("flagged", _("Not confirmed after the grace period, not sent again")),
            ("failed", _("Failed")),
            ("skipped", _("Not needed")),
        ],
    )
    rule = forms.ModelChoiceField(label=_("Reminder"), required=False, queryset=ReminderRule.objects.none())

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = ReminderRule.objects.filter(event=event).order_by("pk")
        # Several rules may share a kind (payment reminders before and after a deadline): say when.
        self.fields["rule"].label_from_instance = lambda rule: f"{rule.get_kind_display()} ({rule.when})"


class ZaloTokenForm(forms.ModelForm):
    """A new token pair pasted by hand (the OA authorised the app again). The fields are never
    filled in with the stored secrets; left empty, the stored pair stays."""

    new_access_token = forms.CharField(
        label=_("new access token"),
        required=False,
        max_length=4000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    new_refresh_token = forms.CharField(
        label=_("new refresh token"),
        required=False,
        max_length=4000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    expires_in = forms.IntegerField(
        label=_("access token valid for (seconds)"),
        required=False,
        min_value=60,
        max_value=10_000_000,
        help_text=_("The “expires_in” Zalo gave with the pair; empty: the next refresh finds out."),
    )

    class Meta:
        model = ZaloToken
        fields = ()

    def clean(self):
        cleaned = super().clean()
        access, refresh = cleaned.get("new_access_token"), cleaned.get("new_refresh_token")
        if bool(access) != bool(refresh):
            raise forms.ValidationError(_("Enter both the access token and the refresh token of the new pair."))
        if not access and self.instance._state.adding:
            raise forms.ValidationError(_("Enter the access token and the refresh token."))
        return cleaned
