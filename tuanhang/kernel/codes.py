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
