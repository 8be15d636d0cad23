"""How a one-time code reaches a phone: one interface, `channel.send_code(phone, code)`.

- ConsoleChannel (OTP_BACKEND=console, development): the log, and an e-mail to
  <digits>@otp.invalid through Django's e-mail backend (the console in development, the outbox in
  tests), so the code can be read without a phone.
- SmsGatewayChannel (OTP_BACKEND=sms): a generic HTTP gateway. POST OTP_SMS_URL with
  `Authorization: Bearer OTP_SMS_API_KEY` and the JSON body {"to": "+84…", "text": "…"}. Expected
  answer: HTTP 2xx with a JSON object; {"error": …} or any other status means refused (nothing
  sent). An "id" or "message_id" in the answer is recorded with the code.
- ZaloOtpChannel (OTP_BACKEND=zalo): the ZNS OTP template OTP_ZALO_TEMPLATE_ID, with the data
  {"otp": code}. Sent by the reminders app (vendors.hooks.otp_zalo_send), which keeps the OA token.

send_code returns what the channel answered; it raises ChannelFailed when nothing went out (the
user is told, and may ask again). A request that went out and got no answer (a timeout) returns
"unconfirmed: …": it counts as sent, and nothing sends a second code by itself.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from tuanhang.kernel.http_json import NotSent, Unconfirmed, post_json

from . import hooks

logger = logging.getLogger(__name__)


class ChannelFailed(Exception):
    """Nothing was sent (the reason is for the log, not for the user)."""


def code_text(code: str) -> str:
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    text = _(
        "%(code)s is your sign-in code for the fair registration. It is valid for %(minutes)s minutes. "
        "Never give it to anyone."
    )
    return text % {"code": code, "minutes": minutes}


class ConsoleChannel:
    name = "console"

    def send_code(self, phone: str, code: str) -> str:
        text = code_text(code)
        logger.warning("One-time code for %s (console backend, no SMS sent): %s", phone, text)
        try:
            send_mail(text, text, None, [f"{phone.lstrip('+')}@otp.invalid"])
        except Exception as exc:  # which exceptions depend on the e-mail backend
            raise ChannelFailed(f"console: the e-mail backend failed: {type(exc).__name__}: {exc}") from exc
        return "console"


class SmsGatewayChannel:
    name = "sms"

    def send_code(self, phone: str, code: str) -> str:
        if not settings.OTP_SMS_URL:
            raise ChannelFailed("sms: OTP_SMS_URL is not set")
        headers = {"Authorization": f"Bearer {settings.OTP_SMS_API_KEY}"} if settings.OTP_SMS_API_KEY else {}
        try:
            answer = post_json(
                settings.OTP_SMS_URL,
                {"to": phone, "text": code_text(code)},
                headers=headers,
                timeout=settings.OTP_SMS_TIMEOUT,
            )
        except NotSent as exc:
            raise ChannelFailed(f"sms: {exc}") from exc
        except Unconfirmed as exc:
            return f"unconfirmed: sms: {exc}"[:255]
        if not 200 <= answer.status < 300 or answer.data.get("error"):
            raise ChannelFailed(f"sms: HTTP {answer.status}: {answer.data}"[:500])
        reference = answer.data.get("id") or answer.data.get("message_id") or ""
        return f"sms {reference}".strip()[:255]


class ZaloOtpChannel:
    name = "zalo"

    def send_code(self, phone: str, code: str) -> str:
        if not settings.OTP_ZALO_TEMPLATE_ID:
            raise ChannelFailed("zalo: OTP_ZALO_TEMPLATE_ID is not set")
        reply = hooks.otp_zalo_send(
            phone, code, template_id=settings.OTP_ZALO_TEMPLATE_ID, ttl_minutes=max(1, settings.OTP_TTL_SECONDS // 60)
        )
        if reply is None:
            raise ChannelFailed("zalo: no Zalo sender installed (the reminders app)")
        return str(reply)[:255]


CHANNELS = {"console": ConsoleChannel, "sms": SmsGatewayChannel, "zalo": ZaloOtpChannel}


def phone_login_enabled() -> bool:
    return settings.OTP_BACKEND in CHANNELS


def current_channel():
    """The channel OTP_BACKEND names, or None when phone log-in is off."""
    channel = CHANNELS.get(settings.OTP_BACKEND)
    return channel() if channel else None
