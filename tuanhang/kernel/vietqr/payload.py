"""The VietQR payload: an EMVCo merchant-presented QR string for a NAPAS 24/7 transfer to an account.

Each field is ID (2 digits) + length (2 digits) + value; 38 and 62 nest fields the same way:

    00 "01"                 payload format indicator
    01 "12"                 point of initiation: dynamic, a one-time code with an amount ("11" is reusable)
    38 00 "A000000727"      NAPAS GUID
       01 00 BIN            the receiving bank's 6-digit BIN
          01 account        the account number
       02 "QRIBFTTA"        service: transfer to an account ("QRIBFTTC" would be to a card)
    53 "704"                currency VND
    54 amount               whole đồng, no decimals (VND has no minor unit)
    58 "VN"
    59 name                 (optional) the account holder's name, unaccented
    62 08 memo              the transfer memo ("purpose of transaction")
    63 CRC                  CRC-16/CCITT-FALSE over everything before it, "6304" included, 4 upper-case hex

Published sample strings get the CRC variant, the 11/12 meaning and the GUID wrong (docs/DOMAIN), so
the tests check this builder with a separate parser, a standard QR decoder and binascii.crc_hqx.

Inputs are ASCII only: a memo with Vietnamese diacritics is refused, not transliterated (banks strip
them anyway, and a transliteration we did not choose is a memo the business did not see). The memo
we put in is the payment code alone (codes.memo_for_code).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
MAX_AMOUNT = 9_999_999_999_999  # field 54 holds at most 13 characters
MAX_ACCOUNT_LENGTH = 19
MAX_MEMO_LENGTH = 25  # EMVCo 62/08 and what banks keep
MAX_NAME_LENGTH = 25  # EMVCo 59

BIN_MESSAGE = _("Enter the bank's 6-digit BIN, e.g. 970436 for Vietcombank.")
ACCOUNT_MESSAGE = _("Enter the account number: 1 to 19 unaccented letters and digits, without spaces.")
AMOUNT_MESSAGE = _("The amount must be a whole number of đồng from 1 to 9,999,999,999,999.")
MEMO_MESSAGE = _(
    "The transfer memo must be 1 to 25 unaccented characters (letters, digits, spaces and simple punctuation)."
)
NAME_MESSAGE = _("The account name must be 1 to 25 unaccented characters.")


def _is_printable_ascii(value: str) -> bool:
    return value.isascii() and all(" " <= ch <= "~" for ch in value)


def validate_bin(value) -> None:
    if not (isinstance(value, str) and len(value) == 6 and value.isascii() and value.isdigit()):
        raise ValidationError(BIN_MESSAGE, code="invalid_bin")


def validate_account_number(value) -> None:
    ok = isinstance(value, str) and 1 <= len(value) <= MAX_ACCOUNT_LENGTH and value.isascii() and value.isalnum()
    if not ok:
        raise ValidationError(ACCOUNT_MESSAGE, code="invalid_account")


def validate_amount(value) -> None:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_AMOUNT:
        raise ValidationError(AMOUNT_MESSAGE, code="invalid_amount")


def validate_memo(value) -> None:
    ok = isinstance(value, str) and 1 <= len(value) <= MAX_MEMO_LENGTH and _is_printable_ascii(value)
    if not ok or value != value.strip():
        raise ValidationError(MEMO_MESSAGE, code="invalid_memo")


def validate_merchant_name(value) -> None:
    ok = isinstance(value, str) and 1 <= len(value) <= MAX_NAME_LENGTH and _is_printable_ascii(value)
    if not ok or value != value.strip():
        raise ValidationError(NAME_MESSAGE, code="invalid_name")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, not reflected, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:  # the length is two digits; inputs are validated so this is a programming error
        raise ValueError(f"EMVCo field {tag} is {len(value)} characters long, at most 99 fit")
    return f"{tag}{len(value):02d}{value}"


def build_payload(bin: str, account: str, amount, memo: str, *, merchant_name: str | None = None) -> str:
    """The VietQR string for a one-time transfer of `amount` đồng to `account` at the bank `bin`,
    with `memo` as the transfer memo. Raises ValidationError with a message per bad argument
    (keys: bin, account, amount, memo, merchant_name)."""
    errors = {}
    checks = [("bin", validate_bin, bin), ("account", validate_account_number, account)]
    checks += [("amount", validate_amount, amount), ("memo", validate_memo, memo)]
    if merchant_name is not None:
        checks.append(("merchant_name", validate_merchant_name, merchant_name))
    for field, validate, value in checks:
        try:
            validate(value)
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
    beneficiary = _tlv("00", bin) + _tlv("01", account)
    merchant_account = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    body = (
        _tlv("00", "01")
        + _tlv("01", "12")
        + _tlv("38", merchant_account)
        + _tlv("53", CURRENCY_VND)
        + _tlv("54", str(int(amount)))
        + _tlv("58", COUNTRY_VN)
        + (_tlv("59", merchant_name) if merchant_name is not None else "")
        + _tlv("62", _tlv("08", memo))
        + "6304"
    )
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"
