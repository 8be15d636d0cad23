"""The site's own address, for links that leave a request behind (e-mails, prints, QR codes), and
the safe way back a form posts."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def site_url(path: str) -> str:
    """An absolute link: settings.SITE_URL (scheme and host) + path."""
    return settings.SITE_URL.rstrip("/") + path


def posted_next(request, default: str) -> str:
    """The "next" address the form posted if it is a path on this site (same host, https when
    the request is), else `default`: a form cannot send anyone elsewhere, and a bare word (which
    Django's redirect() would take for a URL name) is not a path."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
