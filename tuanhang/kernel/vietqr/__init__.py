"""Paying by bank transfer with a VietQR: the pure parts (no models, no views).

- payload.py  the EMVCo merchant-presented payload of a NAPAS 24/7 transfer to an account
- codes.py    short payment codes with a check character, and finding them again in bank memos
- banks.py    the bundled NAPAS bank list (banks.csv): BIN, short name, full name, code
- images.py   the QR image (segno): SVG for pages and letters, PNG for e-mail

Everything here is importable from this package.
"""

from .banks import Bank, bank, banks
from .codes import (
    CODE_ALPHABET,
    DEFAULT_PREFIX,
    decode_payment_code,
    find_payment_codes,
    is_payment_code,
    memo_for_code,
    payment_code,
)
from .images import qr_png, qr_svg
from .payload import build_payload, crc16_ccitt_false

__all__ = [
    "CODE_ALPHABET",
    "DEFAULT_PREFIX",
    "Bank",
    "bank",
    "banks",
    "build_payload",
    "crc16_ccitt_false",
    "decode_payment_code",
    "find_payment_codes",
    "is_payment_code",
    "memo_for_code",
    "payment_code",
    "qr_png",
    "qr_svg",
]
