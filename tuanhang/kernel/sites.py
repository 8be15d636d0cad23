"""The site's own address, for links that leave a request behind (e-mails, prints, QR codes)."""

from django.conf import settings


def site_url(path: str) -> str:
    """An absolute link: settings.SITE_URL (scheme and host) + path."""
    return settings.SITE_URL.rstrip("/") + path
