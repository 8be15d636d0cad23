"""Forms of the accounts part: sign-up, login by email, verification resend, password reset,
invitations. Validation and layout only; the views hand the cleaned data to services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from ..services.accounts import EMAIL_MAX_LENGTH, normalise_email


def _helper(submit_label, *, css_class="w-100"):
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", submit_label, css_class=css_class))
    return helper


class EmailField(forms.EmailField):
    """An email address, lower-cased; at most EMAIL_MAX_LENGTH characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Email"))
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_email(super().to_python(value))


class SignupForm(SetPasswordMixin, forms.Form):
    """Email and password twice. A known address is NOT an error here (that would tell anyone
    which addresses have accounts): the service emails the address instead."""

    email = EmailField(help_text=_("We send a link to this address to confirm it is yours."))
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create my account"))

    def clean(self):
        self.validate_passwords()
        email = self.cleaned_data.get("email")
        # The password validators compare the password with the address ("lan@…" / "lan12345").
        self.validate_password_for_user(get_user_model()(username=email or "", email=email or ""))
        return super().clean()


class LoginForm(AuthenticationForm):
    """Django's login form (it hands the request to authenticate(), which django-axes needs),
    asking for the email address that is the account's username."""

    username = forms.CharField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        # A text box that phones open with the email keyboard: organisers' accounts (sent here by
        # the staff pages too) may have a plain username, which an <input type=email> would refuse.
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "email", "autocapitalize": "none", "autofocus": True}
        ),
    )
    error_messages = {
        # The same words whether the address is unknown, the password wrong or the address not yet
        # verified: the page never tells which addresses have accounts.
        "invalid_login": _(
            "The email address or password is not correct. If you have just signed up, first open the "
            "link in the email we sent you."
        ),
        "inactive": _(
            "The email address or password is not correct. If you have just signed up, first open the "
            "link in the email we sent you."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].max_length = EMAIL_MAX_LENGTH
        self.fields["username"].widget.attrs["maxlength"] = EMAIL_MAX_LENGTH
        self.helper = _helper(_("Log in"))

    def clean_username(self):
        # An address is lower-cased before authenticate(): it is the username of a sign-up account, and
        # django-axes counts failures per username, so "Lan@…" and "lan@…" are one account for both.
        # A plain (staff) username is left as typed: Django usernames are case-sensitive.
        username = self.cleaned_data["username"].strip()
        return normalise_email(username) if "@" in username else username

    def get_invalid_login_error(self):
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class ResendVerificationForm(forms.Form):
    email = EmailField(help_text=_("The address you signed up with."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the link again"))


class ResetPasswordForm(PasswordResetForm):
    """Django's password reset form (it emails only active accounts with a password, and says
    nothing about whether the address was found) with our layout."""

    email = EmailField(help_text=_("The address of your account."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send me a reset link"))


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs["autofocus"] = True
        self.helper = _helper(_("Save my new password"))


class InvitationForm(forms.Form):
    email = EmailField(
        label=_("Colleague's email"),
        help_text=_("We email them a link, valid for 7 days, to act for your business."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the invitation"), css_class="")
