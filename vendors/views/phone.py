"""Sign-up and log-in by phone (issue 18): the number (with consent to the processing of personal
data, in plain words), then the one-time code, then logged in: a new phone gets a new account.

The pages answer the same for a phone with an account and one without; which it was shows only
after the code is accepted. `next` (e.g. "apply to this fair") is carried through every step.
Small on purpose: the four-screen application flow embeds these two steps."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tuanhang.kernel.lockout import client_address

from ..forms.phone import PRIVACY_TEXT_VERSION, CodeForm, PhoneForm, shown_phone
from ..otp_channels import phone_login_enabled
from ..selectors import accounts as selectors
from ..services import otp
from .accounts import MODEL_BACKEND, _safe_next

SESSION_PHONE, SESSION_CONSENT = "otp_phone", "otp_consent"


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@require_http_methods(["GET", "POST"])
def phone_start(request):
    """Step 1: the phone number and the consent box; sends the code."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    enabled = phone_login_enabled()
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and enabled and form.is_valid():
        phone = form.cleaned_data["phone"]
        request.session[SESSION_PHONE] = phone
        request.session[SESSION_CONSENT] = [PRIVACY_TEXT_VERSION, timezone.now().isoformat()]
        try:
            otp.otp_request(phone=phone, address=client_address(request))
        except otp.OtpRefused as refusal:
            if refusal.code != "wait":
                request.session.pop(SESSION_PHONE, None)
                form.add_error(None, refusal.message)
                return render(request, "vendors/accounts/phone_start.html", _start_context(form, next_url, enabled))
            messages.info(request, refusal.message)
        return redirect(_with_next("vendors:phone_code", next_url))
    return render(request, "vendors/accounts/phone_start.html", _start_context(form, next_url, enabled))


def _start_context(form, next_url, enabled):
    return {"form": form, "next": next_url, "enabled": enabled, "privacy_version": PRIVACY_TEXT_VERSION}


@require_http_methods(["GET", "POST"])
def phone_code(request):
    """Step 2: the code. Right → logged in (a new phone gets a new account) and on to `next`, or
    to the business profile for an account that has none yet. Also "send me a new code"."""
    next_url = _safe_next(request)
    phone = request.session.get(SESSION_PHONE)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if not phone:
        return redirect(_with_next("vendors:phone_start", next_url))
    form = CodeForm(request.POST if "resend" not in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            otp.otp_request(phone=phone, address=client_address(request))
        except otp.OtpRefused as refusal:
            messages.warning(request, refusal.message)
        else:
            messages.success(request, _("A new code is on its way. Only the newest code works."))
        return redirect(_with_next("vendors:phone_code", next_url))
    if request.method == "POST" and form.is_valid():
        try:
            otp.otp_verify(phone=phone, code=form.cleaned_data["code"])
        except otp.OtpInvalid as invalid:
            form.add_error("code", invalid.message)
        else:
            return _logged_in(request, phone, next_url)
    context = {"form": form, "next": next_url, "phone": shown_phone(phone)}
    return render(request, "vendors/accounts/phone_code.html", context)


def _logged_in(request, phone, next_url):
    version, agreed_at = request.session.get(SESSION_CONSENT) or [PRIVACY_TEXT_VERSION, None]
    user = otp.phone_account_login(
        phone=phone, consent_version=version, consent_at=parse_datetime(agreed_at) if agreed_at else None
    )
    request.session.pop(SESSION_PHONE, None)
    request.session.pop(SESSION_CONSENT, None)
    if not user.is_active:
        messages.error(request, _("This account is switched off. Please contact the organisers."))
        return redirect("vendors:login")
    login(request, user, backend=MODEL_BACKEND)
    if next_url:
        messages.success(request, _("Your phone number is confirmed and you are logged in."))
        return redirect(next_url)
    if selectors.membership_of(user) is not None:
        messages.success(request, _("Your phone number is confirmed and you are logged in."))
        return redirect("vendors:dashboard")
    messages.success(
        request, _("Your phone number is confirmed and you are logged in. Now tell us about your business.")
    )
    return redirect("vendors:profile_create")


urlpatterns = [
    path("account/phone/", phone_start, name="phone_start"),
    path("account/phone/code/", phone_code, name="phone_code"),
]
