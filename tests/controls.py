"""Control characters in request data are refused before any view runs (tuanhang/kernel/middleware.py):
the fuzzing tests expect 400 for such input and their usual answers otherwise."""

import unicodedata


def has_control(*texts) -> bool:
    """Whether any text holds a control character other than tab, CR and LF."""
    return any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for text in texts for c in str(text))


def expected(values, usual: tuple) -> tuple:
    """The statuses a request carrying `values` may get."""
    return (400,) if has_control(*values) else usual
