"""Server errors reach someone: the ADMINS setting read from the environment, and Sentry (or any
Sentry-compatible service such as GlitchTip) when SENTRY_DSN is set. Imported by settings: no models."""

from email.utils import getaddresses

from django.core.exceptions import ImproperlyConfigured


def parse_admins(text: str) -> list[tuple[str, str]]:
    """ "Ban tổ chức <a@b.vn>, ops@c.vn" → [("Ban tổ chức", "a@b.vn"), ("ops@c.vn", "ops@c.vn")]."""
    admins = []
    for name, address in getaddresses([text]):
        if not address:
            continue
        if "@" not in address:
            raise ImproperlyConfigured(f"ADMINS: {address!r} is not an e-mail address.")
        admins.append((name or address, address))
    return admins


def init_sentry(dsn: str, *, environment: str, release: str | None, traces_sample_rate: float = 0.0) -> None:
    """Sends unhandled errors of requests and Celery tasks to the DSN. No personal data: no cookies,
    no user e-mail or address, no request bodies (send_default_pii=False), and no local variables of
    the stack frames (a view's locals hold phones, tax codes and ID numbers; only the code is sent)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
    )
