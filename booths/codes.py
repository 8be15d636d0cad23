"""Booth codes in the order people read them."""

import re

_DIGITS = re.compile(r"(\d+)")


def booth_code_key(code: str) -> tuple:
    """Natural order of booth codes: "A2" before "A10", letters compared without case."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(code or ""))
