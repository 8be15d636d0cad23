"""The one pattern of our stored codes: booth, zone and booth-type codes.

A code is ASCII letters and digits, in groups joined by single hyphens: "A01", "B-12", "std",
"merged-3x3". Nothing else: no spaces, no accents, no other script, and none of the characters that
Unicode counts as digits but int() does not take ("²") or takes as another number ("٣" is 3).
The length limit is each field's max_length (booth 12, zone 8, booth type 20).

Booth and zone codes are upper-cased on the way in (upper_code), as the hall's signs show them;
booth-type codes are internal names and keep their case. Lookups compare codes without case.

Every way a code is written goes through validate_code: it is a validator of the model fields, so
the admin and every model form refuse a bad code with a field-level message, and the booth import
and the floor-plan services call it too. Rows written before the rule existed are left as they are;
booths.codes.booth_code_key sorts any string, so they are still shown and exported.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"\A[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\Z")
CODE_MESSAGE = _("Use only unaccented letters, digits and single hyphens between them, e.g. A01 or B-12.")


def is_code(value) -> bool:
    return isinstance(value, str) and CODE_PATTERN.match(value) is not None


def validate_code(value) -> None:
    """Model-field validator: refuses anything that is not a code of the pattern above."""
    if not is_code(value):
        raise ValidationError(CODE_MESSAGE, code="invalid_code")


def upper_code(value):
    """A booth or zone code as it is stored: upper case, no surrounding spaces (other values as they are)."""
    return value.strip().upper() if isinstance(value, str) else value


# --- looking a code up from what someone typed ------------------------------------------------

_TYPED_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
_SEARCH_KEY = re.compile(r"\A(?=[A-Z0-9]*[0-9])[A-Z0-9]{1,12}\Z")


def code_search_key(text) -> str:
    """The key a typed code is looked up by: upper case, hyphens and spaces dropped, leading zeros
    of each number dropped, so "b04", "B-04", "B 04", "b-4" and "B4" all have the key "B4" and find
    the booth "B04" (or one stored as "B-04" or "B4"), while "B4" never finds "B40" or "B41": the
    numbers are compared whole. "" when the text cannot be a code (no digit, other characters,
    longer than a booth code): searches then do not look at booths at all."""
    if not isinstance(text, str):
        return ""
    key = _TYPED_SEPARATORS.sub("", text)
    # ASCII before upper(): "ß".upper() is "SS", "ı".upper() is "I".
    if not (key.isascii() and _SEARCH_KEY.match(key.upper())):
        return ""
    return "".join(_strip_zeros(run) for run in _RUNS.findall(key.upper()))


_RUNS = re.compile(r"[A-Z]+|[0-9]+")


def _strip_zeros(run: str) -> str:
    return (run.lstrip("0") or "0") if run.isdigit() else run


def code_search_q(field: str, key: str) -> Q:
    """The condition "the code stored in `field` has the search key `key`" (a code_search_key), in
    SQL for PostgreSQL and SQLite alike: a case-insensitive regular expression that lets a hyphen
    stand between any two characters and zeros lead each number ("B4" becomes ^B-?0*4$, which
    matches B04, B-04, b4, B004 but not B40 or B14). The key holds only [A-Z0-9], so nothing needs
    escaping."""
    parts = []
    for run in _RUNS.findall(key):
        joined = "-?".join(run)
        parts.append(f"0*{joined}" if run.isdigit() else joined)
    return Q(**{f"{field}__iregex": "^" + "-?".join(parts) + "$"})
