"""Payment codes: the short code in a transfer memo that tells whose payment a bank line is.

Shape: PREFIX + 5 body characters + 1 check character, all upper-case ASCII from Crockford's
base-32 alphabet (digits and letters without I, L, O and U, so nothing reads as another thing):
"TH" + "0007K" + check → "TH0007KX". The body is the number in base 32, zero-padded to a fixed
width, so a code has one length per prefix: a truncated code is then too short to be read as
another, valid one, and a code run together with the bank's text has one place to end.
5 characters hold 32**5 = 33,554,432 numbers per prefix.

The check character is Damm's construction for an alphabet of 2**5 symbols: read each character
as an element of GF(32) and fold x ∘ y = α·x ⊕ y (α = the field's generator x, polynomial
x⁵ + x² + 1), starting from 0; the check c makes the fold of the whole code 0 (c = α·fold(rest)).
As x ∘ y is a totally anti-symmetric quasigroup this detects every single wrong character and every
swap of two neighbours (ISO 7064 MOD 37,36 or MOD 33,32 miss about 0.15 % of such swaps; the
tests check both claims exhaustively). A random string passes the check one time in 32, which is
why find_payment_codes needs the prefix before it and the fixed width, and why the matcher looks a
found code up among the codes it issued.

Banks upper-case memos, drop spaces and punctuation, strip diacritics, put their own references
before or after (often glued on), and cut long memos. find_payment_codes undoes the first three and
scans the rest for PREFIX + 6 characters that pass the check.
"""

import re
import unicodedata

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_WIDTH = 5
MAX_NUMBER = len(CODE_ALPHABET) ** BODY_WIDTH - 1
DEFAULT_PREFIX = "TH"
_VALUE = {ch: i for i, ch in enumerate(CODE_ALPHABET)}
_PREFIX = re.compile(r"\A[A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z]{1,3}\Z")  # 2-4 characters, a letter first
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def _times_alpha(x: int) -> int:
    """x·α in GF(32) with the polynomial x⁵ + x² + 1 (0b100101)."""
    x <<= 1
    return x ^ 0b100101 if x & 0b100000 else x


def _fold(text: str) -> int:
    interim = 0
    for ch in text:
        interim = _times_alpha(interim) ^ _VALUE[ch]
    return interim


def check_character(text: str) -> str:
    """The character that makes `text` + it a valid code (text in CODE_ALPHABET)."""
    return CODE_ALPHABET[_times_alpha(_fold(text))]


def _check_prefix(prefix) -> None:
    if not (isinstance(prefix, str) and _PREFIX.match(prefix)):
        raise ValueError(f"payment-code prefix {prefix!r}: 2 to 4 characters of {CODE_ALPHABET}, the first a letter")


def payment_code(prefix: str, number: int) -> str:
    """The payment code of `number` (0..MAX_NUMBER) under `prefix`, e.g. payment_code("TH", 251)."""
    _check_prefix(prefix)
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= MAX_NUMBER:
        raise ValueError(f"payment-code number {number!r}: a whole number from 0 to {MAX_NUMBER}")
    digits = []
    for _position in range(BODY_WIDTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[digit])
    stem = prefix + "".join(reversed(digits))
    return stem + check_character(stem)


def is_payment_code(code, prefix: str = DEFAULT_PREFIX) -> bool:
    """True when `code` is exactly a well-formed code under `prefix` with a good check character."""
    return (
        isinstance(code, str)
        and len(code) == len(prefix) + BODY_WIDTH + 1
        and code.startswith(prefix)
        and all(ch in _VALUE for ch in code)
        and _fold(code) == 0
    )


def decode_payment_code(code: str, prefix: str = DEFAULT_PREFIX) -> int:
    """The number a code was made from; ValueError when it is not a valid code under `prefix`."""
    if not is_payment_code(code, prefix):
        raise ValueError(f"{code!r} is not a payment code under the prefix {prefix!r}")
    number = 0
    for ch in code[len(prefix) : len(prefix) + BODY_WIDTH]:
        number = number * len(CODE_ALPHABET) + _VALUE[ch]
    return number


def memo_for_code(code: str) -> str:
    """The transfer memo put in the QR: the code alone (8 characters with a 2-letter prefix), well
    under the 25 a memo holds and the length where banks start cutting."""
    if not (isinstance(code, str) and code and all(ch in _VALUE for ch in code) and _fold(code) == 0):
        raise ValueError(f"{code!r} is not a payment code")
    return code


def normalise_memo(memo: str) -> str:
    """A memo as the scanner reads it: diacritics stripped (đ → D), upper case, only A-Z and 0-9."""
    decomposed = unicodedata.normalize("NFD", (memo or "").replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(ch for ch in decomposed if ch.isascii())
    return _NOT_ALNUM.sub("", ascii_only.upper())


def find_payment_codes(memo: str, prefixes=(DEFAULT_PREFIX,)) -> list[str]:
    """The valid payment codes under any of `prefixes` found in a bank memo, in order, each once.

    Reads the memo as banks leave it (normalise_memo) and scans left to right; after a code is
    found the scan goes on after it, so a code's body is never read as the start of another."""
    for prefix in prefixes:
        _check_prefix(prefix)
    text = normalise_memo(memo)
    found: list[str] = []
    position = 0
    while position < len(text):
        code = _code_at(text, position, prefixes)
        if code is None:
            position += 1
            continue
        if code not in found:
            found.append(code)
        position += len(code)
    return found


def _code_at(text: str, position: int, prefixes) -> str | None:
    for prefix in prefixes:
        if text.startswith(prefix, position):
            candidate = text[position : position + len(prefix) + BODY_WIDTH + 1]
            if is_payment_code(candidate, prefix):
                return candidate
    return None
