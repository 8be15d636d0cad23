"""Bank-feed services' webhooks (SePay, Casso): checking that a delivery comes from the service and
reading its transactions as statement lines (tuanhang.kernel.bank_statements.Line).

- SePay sends one transaction per POST with "Authorization: Apikey <key>" (the API-key scheme of
  its webhook settings): id, transactionDate "YYYY-MM-DD HH:MM:SS", accountNumber, content,
  transferType "in"/"out", transferAmount, accumulated (the balance after it), referenceCode (the
  bank's reference).
- Casso's webhook v2 sends {"error": 0, "data": {...}}: id, reference (the bank's), description,
  amount (negative for money out), runningBalance, transactionDateTime "YYYY-MM-DD HH:MM:SS",
  accountNumber. It signs each delivery in "X-Casso-Signature: t=<ms since epoch>,v1=<hex>": an
  HMAC-SHA512 with the integration's key over "<t>." + the body as compact JSON with every object's
  keys sorted (the scheme of Casso's developer documentation, whose published sample verifies).
  A signature older or newer than SIGNATURE_TOLERANCE is refused, so a captured delivery cannot be
  replayed later.
- Casso's older webhook (v1) put the key itself in a "secure-token" header and sent a list of
  transactions (id, tid, description, amount, cusum_balance, when, bank_sub_acc_id). Accepted only
  when the installation allows it (settings.BANK_WEBHOOK_CASSO_LEGACY): a bare key can be replayed.

Keys and signatures are compared in constant time. Both services retry; a transaction seen again is
a duplicate line, as in a statement. The bank's reference is the line's reference; the service's own
id is kept apart (service_id): it recognises a retried delivery, never a statement line.
"""

import datetime as dt
import hashlib
import hmac
import json
import re
import time

from .bank_statements import Line, parse_amount

PROVIDERS = ("sepay", "casso")
SIGNATURE_TOLERANCE = 300  # seconds either side of now
_CASSO_SIGNATURE = re.compile(r"^t=(\d{1,16}),v1=([0-9a-fA-F]{128})$")


class FeedError(ValueError):
    """A delivery whose body is not the service's transaction format."""


def casso_signed_message(timestamp: str, payload) -> bytes:
    """What Casso signs: the timestamp, a dot and the body as compact JSON with sorted keys."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{timestamp}.{body}".encode()


def casso_signature_valid(header: str, payload, key: str, *, now: float | None = None) -> bool:
    """Whether an X-Casso-Signature header signs this payload with `key`, made within the tolerance."""
    found = _CASSO_SIGNATURE.match((header or "").strip())
    if not key or not found:
        return False
    stamp, given = found.groups()
    seconds = int(stamp) / 1000 if len(stamp) > 11 else int(stamp)  # Casso sends milliseconds
    if abs((time.time() if now is None else now) - seconds) > SIGNATURE_TOLERANCE:
        return False
    expected = hmac.new(key.encode(), casso_signed_message(stamp, payload), hashlib.sha512).hexdigest()
    return hmac.compare_digest(expected, given.lower())


def authentic(provider: str, headers, key: str, payload=None, *, legacy: bool = False) -> bool:
    """Whether the request comes from the provider: SePay's API key; Casso's signature over
    `payload` (or, with `legacy`, its v1 secure-token). Never true for an empty key."""
    if not key:
        return False
    if provider == "sepay":
        given = headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        return scheme.lower() == "apikey" and hmac.compare_digest(value.strip().encode(), key.encode())
    if provider == "casso":
        if "X-Casso-Signature" in headers:
            return casso_signature_valid(headers["X-Casso-Signature"], payload, key)
        token = headers.get("secure-token")
        return legacy and token is not None and hmac.compare_digest(token.encode(), key.encode())
    return False


def _date(text) -> dt.date:
    try:
        return dt.datetime.strptime(str(text)[:19], "%Y-%m-%d %H:%M:%S").date()
    except ValueError:
        try:
            return dt.date.fromisoformat(str(text)[:10])
        except ValueError as exc:
            raise FeedError(f"bad date {text!r}") from exc


def _amount(value) -> int:
    try:
        amount = parse_amount(value)
    except ValueError as exc:
        raise FeedError(f"bad amount {value!r}") from exc
    if amount is None:
        raise FeedError("no amount")
    return amount


def _balance(value):
    return _amount(value) if value not in (None, "") else None


def _sepay(payload) -> list[tuple[str, Line]]:
    amount = _amount(payload.get("transferAmount"))
    if payload.get("transferType") == "out":
        amount = -abs(amount)
    line = Line(
        row=1,
        booked_on=_date(payload.get("transactionDate")),
        amount=amount,
        memo=str(payload.get("content") or payload.get("description") or ""),
        reference=str(payload.get("referenceCode") or ""),
        balance=_balance(payload.get("accumulated")),
        service_id=f"SEPAY-{payload.get('id')}",
    )
    return [(str(payload.get("accountNumber") or ""), line)]


def _casso_item(row: int, item) -> tuple[str, Line]:
    if not isinstance(item, dict):
        raise FeedError("a transaction is not an object")
    v2 = "transactionDateTime" in item or "accountNumber" in item
    line = Line(
        row=row,
        booked_on=_date(item.get("transactionDateTime" if v2 else "when")),
        amount=_amount(item.get("amount")),
        memo=str(item.get("description") or ""),
        reference=str(item.get("reference" if v2 else "tid") or ""),
        balance=_balance(item.get("runningBalance" if v2 else "cusum_balance")),
        service_id=f"CASSO-{item.get('id')}",
    )
    return str(item.get("accountNumber" if v2 else "bank_sub_acc_id") or ""), line


def transactions(provider: str, payload) -> list[tuple[str, Line]]:
    """(receiving account number, line) for each transaction of a delivery."""
    if not isinstance(payload, dict):
        raise FeedError("not an object")
    if provider == "sepay":
        return _sepay(payload)
    if provider == "casso":
        data = payload.get("data")
        if isinstance(data, dict):
            data = [data]  # v2: one transaction per delivery
        if not isinstance(data, list):
            raise FeedError("no data")
        return [_casso_item(row, item) for row, item in enumerate(data, start=1)]
    raise FeedError("unknown provider")
