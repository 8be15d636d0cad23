"""{% load phone_login %} · {% phone_login_enabled as enabled %}: whether the site sends one-time
codes (OTP_BACKEND is not "off"), so pages offer "sign up / log in with your phone" only then."""

from django import template

from ..otp_channels import phone_login_enabled as enabled

register = template.Library()


@register.simple_tag
def phone_login_enabled() -> bool:
    return enabled()
