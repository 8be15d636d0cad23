"""Vietnamese text helpers shared by every app: search folding, tone-placement
normalisation, collation key, and phone/tax-code handling on top of
phonenumbers and python-stdnum."""

import re
import unicodedata

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

# Combining marks for the five tones (ngang has none), in collation order.
TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền hỏi ngã sắc nặng
_TONE_RANK = {mark: i + 1 for i, mark in enumerate(TONES)}
# Marks that make a different letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

# The Vietnamese alphabet, with f j w z (foreign words) where Latin puts them.
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, đ→d, single-spaced: the key for accent-insensitive search."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WS.sub(" ", stripped).strip().lower()


def normalise_tones(text: str) -> str:
    """Lower-case NFC text with each syllable's tone mark in one canonical place.

    "Hoà" and "Hòa", "Thuỷ" and "Thủy" differ even after NFC; here they compare equal
    while "Hà" and "Hạ" stay different.
    """
    out = []
    for word in _WS.sub(" ", text or "").strip().lower().split(" "):
        decomposed = unicodedata.normalize("NFD", word)
        tone = "".join(ch for ch in decomposed if ch in _TONE_RANK)
        rest = "".join(ch for ch in decomposed if ch not in _TONE_RANK)
        out.append(unicodedata.normalize("NFC", rest) + tone)
    return " ".join(out)


def _letters(text: str):
    """Yield (letter, tone_rank, is_upper) for each character, letters with their marks merged."""
    decomposed = unicodedata.normalize("NFD", text)
    base, tone, upper = None, 0, False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch in _TONE_RANK:
                tone = _TONE_RANK[ch]
            elif ch in _LETTER_MARKS and base is not None:
                base += ch
            continue
        if base is not None:
            yield unicodedata.normalize("NFC", base), tone, upper
        upper = ch.isupper()
        base, tone = ch.lower(), 0
    if base is not None:
        yield unicodedata.normalize("NFC", base), tone, upper


def sort_key(text: str) -> tuple:
    """Vietnamese collation key: letters in the Vietnamese alphabet order first, tones second.

    Matches PostgreSQL's ICU "vi-x-icu" collation on the names we handle: Đ after D, Ư after U,
    ngang < huyền < hỏi < ngã < sắc < nặng.
    """
    primary, secondary, tertiary = [], [], []
    for letter, tone, upper in _letters(text or ""):
        rank = _LETTER_RANK.get(letter)
        primary.append((0, rank) if rank is not None else (1 if letter.isdigit() else -1, ord(letter)))
        secondary.append(tone)
        tertiary.append(upper)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def initial(text: str) -> str:
    """The first letter of `text` as an index heading: upper case, tone dropped, letter marks kept
    ("Ánh" → "A", "ấp" → "Â", "Đông" → "Đ", "Ưu" → "Ư"); "#" when it starts with no letter."""
    for letter, _tone, _upper in _letters((text or "").strip()):
        return letter.upper() if letter in _LETTER_RANK else "#"
    return "#"


def sqlite_collation(a: str, b: str) -> int:
    """cmp-style wrapper of sort_key, registered as the "vi-x-icu" collation on SQLite."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


# --- phones -----------------------------------------------------------------------------

_MOBILE = re.compile(r"^[35789]\d{8}$")
_LANDLINE = re.compile(r"^2\d{9}$")


def parse_phone(raw: str) -> str:
    """Return the E.164 form (+84…) of a Vietnamese phone number written in any common way.

    Accepts +84, 0084, 84, spaces, dots, dashes and "+84 0912…". Raises ValueError when the
    text cannot be a Vietnamese mobile (0 + 9 digits) or landline (02x, 11 digits with the 0).
    phonenumbers parses; the shape rule decides, because its allocation table lags new ranges.
    """
    text = re.sub(r"[\s.\-()/]", "", raw or "")
    if not text:
        raise ValueError("empty")
    if text.startswith("00"):
        text = "+" + text[2:]
    # "+84 0912…": a trunk 0 kept after the country code.
    if text.startswith("+840") or (text.startswith("840") and len(text) == 12):
        text = "+84" + text.lstrip("+")[3:]
    if not re.fullmatch(r"\+?\d{8,14}", text):
        raise ValueError("not a number")
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from exc
    national = str(number.national_number)
    if number.country_code != 84 or not (_MOBILE.match(national) or _LANDLINE.match(national)):
        raise ValueError("not a Vietnamese number")
    return f"+84{national}"


def format_phone(e164: str) -> str:
    """Show a stored +84 number in national form: 0912 345 678, 0225 3842 123."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    national = "0" + str(number.national_number)
    if len(national) == 10:
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    return f"{national[:4]} {national[4:8]} {national[8:]}"


# --- tax codes --------------------------------------------------------------------------

_PERSONAL_ID = re.compile(r"^\d{12}$")


def clean_tax_code(raw: str, kind: str) -> str:
    """Validate a tax code for a participant kind and return its stored form.

    DN and HTX: a 10-digit enterprise code with a valid check digit, or a branch code
    "NNNNNNNNNN-NNN". HKD: the same, or the representative's 12-digit personal ID.
    Raises ValueError with a short reason.
    """
    text = re.sub(r"[\s.]", "", raw or "")
    if not text:
        raise ValueError("empty")
    if kind == "HKD" and _PERSONAL_ID.match(text):
        return text
    try:
        code = mst.validate(text)
    except StdnumError as exc:
        raise ValueError(str(exc)) from exc
    return mst.format(code)


MASK = "•"


def mask_personal_id(code: str) -> str:
    """A personal ID number (or a household's tax code) shown to someone who may not read it:
    the first four and the last three characters, the rest as dots (001234567345 → 0012•••••345).
    Enough to tell two businesses apart on a list, not enough to use the number. The one place
    that decides how a masked number looks."""
    code = code or ""
    if len(code) <= 7:
        return MASK * len(code)
    return code[:4] + MASK * (len(code) - 7) + code[-3:]


_UNIT_PREFIX = re.compile(r"^(thanh pho|tp\.?|tinh|xa|x\.|phuong|p\.|dac khu|thi tran)\s*")


def _place_key(chunk: str) -> str:
    """ "Phường Ngô Quyền" and "ngo quyen", "TP. Hải Phòng" and "Hải Phòng" give one key."""
    return _UNIT_PREFIX.sub("", fold(chunk)).strip(" .")


def join_address(*parts: str) -> str:
    """One complete address from its parts, most precise first ("Ấp 3", "Xã Tân Phú", "Đồng
    Tháp" → "Ấp 3, Xã Tân Phú, Đồng Tháp"): empty parts left out, and a piece (between commas)
    already written — a commune or province the street address names, a venue repeated in the
    address; accents, case and "Xã"/"Phường"/"Tỉnh"/"TP." ignored — not written twice. The one
    place that decides how an address reads."""
    written: list[str] = []
    seen: set[str] = set()
    for part in parts:
        for chunk in (part or "").split(","):
            chunk = _WS.sub(" ", chunk).strip()
            key = _place_key(chunk)
            if key and key not in seen:
                seen.add(key)
                written.append(chunk)
    return ", ".join(written)
