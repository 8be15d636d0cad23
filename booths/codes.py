"""Booth codes in the order people read them.

The pattern a code must follow is tuanhang.kernel.codes'; this order takes any string at all
(rows from before the pattern, row labels, whatever a legacy import stored) and never raises.
Pure Python, so the allocation solver (booths/allocation) uses it too.
"""

import re

# ASCII digits only: "²" and "٣" are Unicode digits that int() refuses or reads as another number.
_DIGITS = re.compile(r"([0-9]+)")


def booth_code_key(code) -> tuple:
    """Natural order of codes: "A2" before "A10", letters compared without case, total on any string.

    split() with a capturing group alternates text (even places) and digit runs (odd places), so two
    keys hold the same kind of value at each place and always compare. A digit run is compared by
    its value without int() (no limit on its length): fewer significant digits first, then the digits;
    "A1" before "A01". The code itself breaks the remaining ties ("a1" / "A1"), so the order is total.
    """
    text = code if isinstance(code, str) else ("" if code is None else str(code))
    parts = []
    for place, part in enumerate(_DIGITS.split(text)):
        if place % 2:
            significant = part.lstrip("0")
            parts.append((len(significant), significant, len(part)))
        else:
            parts.append(part.casefold())
    return (tuple(parts), text)
