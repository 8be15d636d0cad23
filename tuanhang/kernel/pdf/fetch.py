"""Printed documents fetch only our own static and media files, read from disk: SafeURLFetcher
for WeasyPrint, cairosvg_url_fetcher for CairoSVG, local_file() for anything else (ReportLab
images). No HTTP request is ever made."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from .weasy import import_weasyprint

# --- our own files only ---------------------------------------------------------------------


class UnsafeURL(ValueError):
    """A document asked for something that is not one of our static or media files."""


def base_url() -> str:
    """The address relative links in printed documents resolve against: the site itself."""
    return settings.SITE_URL.rstrip("/") + "/"


def _url_path(setting: str) -> str:
    path = urlsplit(setting).path or "/"
    return path if path.startswith("/") else "/" + path


def local_file(url: str) -> Path:
    """The file on disk behind one of our URLs: /static/… (found as the static files app finds
    it, or in STATIC_ROOT) or /media/… (inside MEDIA_ROOT), relative or on SITE_URL's host.
    Everything else raises UnsafeURL: file:// paths, other hosts and ports, other schemes, our
    own pages, and paths that climb out of their folder."""
    parts = urlsplit(urljoin(base_url(), url))
    site = urlsplit(base_url())
    if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise UnsafeURL(f"not one of our files: {url[:200]}")
    path = unquote(parts.path)
    if "\\" in path or "\x00" in path or ".." in path.split("/"):
        raise UnsafeURL(f"not one of our files: {url[:200]}")
    static, media = _url_path(settings.STATIC_URL), _url_path(settings.MEDIA_URL)
    if path.startswith(static):
        return _static_file(posixpath.normpath(path[len(static) :]), url)
    if path.startswith(media):
        return _inside(Path(settings.MEDIA_ROOT), path[len(media) :], url)
    raise UnsafeURL(f"not one of our files: {url[:200]}")


def _static_file(relative: str, url: str) -> Path:
    found = finders.find(relative)
    if found:
        return Path(found).resolve()
    return _inside(Path(settings.STATIC_ROOT), relative, url)


def _inside(root: Path, relative: str, url: str) -> Path:
    root = root.resolve()
    path = (root / relative.lstrip("/")).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise UnsafeURL(f"not one of our files: {url[:200]}")
    return path


@lru_cache(maxsize=1)
def _weasyprint_fetcher_class():
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """WeasyPrint's fetcher limited to our own static and media files, read from disk (no
        HTTP request is ever made), plus data: URLs, which carry their content inline."""

        def __init__(self):
            super().__init__(allowed_protocols=("data", "http", "https"))

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = local_file(url)
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})

    return SafeURLFetcher


def safe_url_fetcher():
    """A new SafeURLFetcher for one WeasyPrint rendering."""
    return _weasyprint_fetcher_class()()


def cairosvg_url_fetcher(url: str, resource_type: str | None = None) -> bytes:
    """The same rule for CairoSVG (its url_fetcher takes the URL and a resource type and returns
    bytes): our static and media files only."""
    return local_file(url).read_bytes()


def _content_type(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
