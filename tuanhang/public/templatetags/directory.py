"""Template helpers of the public directory: {% load directory %}.

{{ name|file_version }} → a short token of a stored file's name, put in a picture's address so
that a new picture gets a new address (the pictures are cached by browsers for a day);
{{ stars|ocop_stars }} → "★★★★" for 4 (with the number for screen readers in the template)."""

import hashlib

from django import template

register = template.Library()


@register.filter
def file_version(name) -> str:
    return hashlib.sha256(str(name or "").encode()).hexdigest()[:10]


@register.filter
def ocop_stars(stars) -> str:
    try:
        return "★" * int(stars)
    except (TypeError, ValueError):
        return ""
