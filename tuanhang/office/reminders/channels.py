"""The channels a message can go through, behind one interface.

    release = channel.prepare(outgoing)   # everything that can fail without sending anything
    ...record the message as sent and commit...
    reply = release.release()             # the point of no return, then the channel's answer

- EmailChannel: always there. HTML + plain text through Django's e-mail backend. With the SMTP
  backend it goes in two steps (reminders.smtp); with any other backend (console, locmem, file,
  an e-mail service's backend) the whole send happens in release().
- ZaloZnsChannel: optional (ZALO_ZNS_ENABLED). POSTs a pre-approved template and its data to the
  ZNS endpoint with the Official Account's access token; ZALO_ZNS_BACKEND=logging only logs what
  it would send (development). Any failure makes the message fall back to e-mail.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from .smtp import PermanentFailure, TemporaryFailure, TwoPhaseSMTPBackend, Unconfirmed, smtp_configured

logger = logging.getLogger(__name__)

__all__ = [
    "EmailChannel",
    "Outgoing",
    "PermanentFailure",
    "TemporaryFailure",
    "Unconfirmed",
    "ZaloZnsChannel",
    "zns_settings",
]


@dataclass
class ZnsRequest:
    phone: str  # 84xxxxxxxxx
    template_id: str
    template_data: dict
    tracking_id: str


@dataclass
class Outgoing:
    """One message ready to go: the e-mail, and the Zalo request when that channel is wanted."""

    email: EmailMultiAlternatives
    zns: ZnsRequest | None = None
    recipients: list[str] = field(default_factory=list)


class _Release:
    def release(self) -> str:
        raise NotImplementedError

    def abort(self):
        pass


class _BackendRelease(_Release):
    """Any Django e-mail backend: the whole send happens on release."""

    def __init__(self, message):
        self.message = message

    def release(self) -> str:
        try:
            sent = get_connection(fail_silently=False).send_messages([self.message])
        except Exception as exc:  # which exceptions depend on the backend: all of them end here
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise PermanentFailure("the e-mail backend sent nothing")
        return "accepted by the e-mail backend"


class EmailChannel:
    name = "email"

    def prepare(self, outgoing: Outgoing):
        if not outgoing.email.recipients():
            raise PermanentFailure("no e-mail address")
        if smtp_configured():
            return TwoPhaseSMTPBackend.shared().prepare(outgoing.email)
        return _BackendRelease(outgoing.email)


# --- Zalo ZNS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZnsSettings:
    enabled: bool
    backend: str  # "http" or "logging"
    endpoint: str
    access_token: str
    templates: dict  # reminder kind → template id
    timeout: float


def zns_settings() -> ZnsSettings:
    return ZnsSettings(
        enabled=getattr(settings, "ZALO_ZNS_ENABLED", False),
        backend=getattr(settings, "ZALO_ZNS_BACKEND", "http"),
        endpoint=getattr(settings, "ZALO_ZNS_ENDPOINT", ""),
        access_token=getattr(settings, "ZALO_ZNS_ACCESS_TOKEN", ""),
        templates=getattr(settings, "ZALO_ZNS_TEMPLATES", {}),
        timeout=getattr(settings, "ZALO_ZNS_TIMEOUT", 10),
    )


class _ZnsRelease(_Release):
    def __init__(self, config: ZnsSettings, request: ZnsRequest):
        self.config, self.request = config, request

    def release(self) -> str:
        payload = {
            "phone": self.request.phone,
            "template_id": self.request.template_id,
            "template_data": self.request.template_data,
            "tracking_id": self.request.tracking_id,
        }
        if self.config.backend == "logging":
            logger.info("Zalo ZNS (logging backend, nothing sent): %s", json.dumps(payload, ensure_ascii=False))
            return "logged"
        http_request = urllib.request.Request(  # noqa: S310 (the endpoint is the configured https URL)
            self.config.endpoint,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "access_token": self.config.access_token},
            method="POST",
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.config.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode() or "{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise TemporaryFailure(f"Zalo ZNS: {type(exc).__name__}: {exc}") from exc
        # ZNS answers HTTP 200 with {"error": 0, "data": {"msg_id": …}} on success, error ≠ 0 otherwise.
        if answer.get("error") != 0:
            raise PermanentFailure(f"Zalo ZNS error {answer.get('error')}: {answer.get('message', '')}"[:500])
        return f"Zalo ZNS msg_id {answer.get('data', {}).get('msg_id', '?')}"[:255]


class ZaloZnsChannel:
    name = "zalo"

    def __init__(self, config: ZnsSettings | None = None):
        self.config = config or zns_settings()

    def prepare(self, outgoing: Outgoing):
        config = self.config
        if not config.enabled:
            raise PermanentFailure("Zalo ZNS is not enabled (ZALO_ZNS_ENABLED)")
        request = outgoing.zns
        if request is None or not request.phone:
            raise PermanentFailure("no phone number for Zalo")
        if not request.template_id:
            raise PermanentFailure("no Zalo ZNS template for this reminder (ZALO_ZNS_TEMPLATE_…)")
        if config.backend != "logging" and not (config.endpoint and config.access_token):
            raise PermanentFailure("Zalo ZNS endpoint or access token missing")
        return _ZnsRelease(config, request)
