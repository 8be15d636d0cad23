"""The payment code of an application: the short code its transfer memo carries (in the VietQR and
on the letter) and the statement matcher reads back. One rule: the application's id under the
installation's prefix (settings.PAYMENT_CODE_PREFIX), as tuanhang.kernel.vietqr.codes makes and
checks codes. A code found in a memo is only a candidate: the matcher still looks its id up among
the organiser's applications (a random string passes the check one time in 32)."""

from django.conf import settings

from tuanhang.kernel.vietqr.codes import decode_payment_code, find_payment_codes, payment_code


def prefix() -> str:
    return settings.PAYMENT_CODE_PREFIX


def code_for(application_id: int) -> str:
    """The application's payment code, e.g. "TH0007VF" for application 251."""
    return payment_code(prefix(), application_id)


def application_ids_in(memo: str) -> list[int]:
    """The application ids whose payment codes a bank memo carries, in order, each once."""
    return [decode_payment_code(code, prefix()) for code in find_payment_codes(memo, (prefix(),))]
