"""Ids and whole numbers read from a request (query strings, form lists, JSON bodies), in one place.

Python's own readers are too generous for input from strangers: str.isdigit() is true for "²",
int() reads "٣" as 3, " 1" as 1 and "1_000" as 1000, and an id past 64 bits overflows the database
driver. Here a number is ASCII digits only (a JSON integer is taken as it is, a JSON true is not),
checked against a range; anything else raises BadParameter, which the caller turns into a 400 or a
field message. JSON bodies are read with a size limit and every way of being malformed (deep
nesting included) is the same BadParameter.
"""

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # the largest value of a 64-bit signed integer column
_DIGITS = re.compile(r"[0-9]{1,19}")  # 19 digits: every 64-bit value, and int() is cheap
_ASCII_DIGITS = re.compile(r"[0-9]+")


class BadParameter(ValueError):
    """A value from the request that is not what the page expects; str() is a message for the user."""


def parse_int(value, *, min_value: int, max_value: int) -> int:
    """The whole number in `value` (ASCII digits, or an int from a JSON body) if it lies in
    min_value..max_value; BadParameter otherwise."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        number = None
    if number is None or not min_value <= number <= max_value:
        raise BadParameter(
            _("“%(value)s” is not a whole number from %(min)s to %(max)s.")
            % {"value": str(value)[:40], "min": min_value, "max": max_value}
        )
    return number


def parse_id(value) -> int:
    """A database id (1..2**63-1) from the request; BadParameter otherwise."""
    return parse_int(value, min_value=1, max_value=MAX_ID)


def parse_ids(values) -> list[int]:
    """Ids from a list (a form's getlist() or a JSON array); BadParameter for anything else."""
    if not isinstance(values, list | tuple):
        raise BadParameter(_("Send a list of ids."))
    return [parse_id(value) for value in values]


def optional_int(value, *, min_value: int, max_value: int) -> int | None:
    """Like parse_int, but a missing or empty value is None (an optional query filter)."""
    if value is None or value == "":
        return None
    return parse_int(value, min_value=min_value, max_value=max_value)


def is_digits(value, *, max_length: int | None = None) -> bool:
    """Whether value is a non-empty string of ASCII digits, at most max_length of them: the check to
    use instead of str.isdigit() (true for "²", "٣" and "１２")."""
    return (
        isinstance(value, str)
        and _ASCII_DIGITS.fullmatch(value) is not None
        and (max_length is None or len(value) <= max_length)
    )


def is_id(value) -> bool:
    """Whether parse_id would take the value."""
    try:
        parse_id(value)
    except BadParameter:
        return False
    return True


def json_body(request, *, max_bytes: int | None = None):
    """The request's JSON body, at most max_bytes long (settings.JSON_BODY_MAX_BYTES unless given).

    Raises BadParameter when it is larger, not UTF-8, not JSON, or nested too deep for the parser."""
    limit = settings.JSON_BODY_MAX_BYTES if max_bytes is None else max_bytes
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_large = _("The request is too large (at most %(size)s KB).") % {"size": limit // 1024}
    if declared > limit:
        raise BadParameter(too_large)
    body = request.body
    if len(body) > limit:
        raise BadParameter(too_large)
    try:
        return json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):
        # ValueError covers UnicodeDecodeError, JSONDecodeError and integers too long to read.
        raise BadParameter(_("The request is not valid JSON.")) from None
