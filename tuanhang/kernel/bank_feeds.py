"""Bank-feed services' webhooks (SePay, Casso): checking that a delivery comes from the service and
reading its transactions as statement lines (tuanhang.kernel.bank_statements.Line).

- SePay sends one transaction per POST with "Authorization: Apikey <key>" (the API-key scheme of
  its webhook settings): id, transactionDate "YYYY-MM-DD HH:MM:SS", accountNumber, content,
  transferType "in"/"out", transferAmount, accumulated (the balance after it), referenceCode.
- Casso (webhook v2) sends {"error": 0, "data": [...]} with the security key of its integration in
  the "secure-token" header: each transaction has id, tid (the bank's reference), description,
  amount (negative for money out), cusum_balance, when "YYYY-MM-DD HH:MM:SS", bank_sub_acc_id.

Keys are compared in constant time. Both services retry; a transaction seen again is a duplicate
line, as in a statement. The bank's reference is the line's reference; the service's own id is
kept apart (service_id): it recognises a retried delivery, never a statement line.
"""

import datetime as dt
import hmac

from .bank_statements import Line, parse_amount

PROVIDERS = ("sepay", "casso")


class FeedError(ValueError):
    """A delivery whose body is not the service's transaction format."""


def authentic(provider: str, headers, key: str) -> bool:
    """Whether the request headers carry the provider's key (never true for an empty key)."""
    if not key:
        return False
    if provider == "sepay":
        given = headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        return scheme.lower() == "apikey" and hmac.compare_digest(value.strip().encode(), key.encode())
    if provider == "casso":
        return hmac.compare_digest(headers.get("secure-token", "").encode(), key.encode())
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


def transactions(provider: str, payload) -> list[tuple[str, Line]]:
    """(receiving account number, line) for each transaction of a delivery."""
    if not isinstance(payload, dict):
        raise FeedError("not an object")
    if provider == "sepay":
        amount = _amount(payload.get("transferAmount"))
        if payload.get("transferType") == "out":
            amount = -abs(amount)
        balance = payload.get("accumulated")
        line = Line(
            row=1,
            booked_on=_date(payload.get("transactionDate")),
            amount=amount,
            memo=str(payload.get("content") or payload.get("description") or ""),
            reference=str(payload.get("referenceCode") or ""),
            balance=_amount(balance) if balance not in (None, "") else None,
            service_id=f"SEPAY-{payload.get('id')}",
        )
        return [(str(payload.get("accountNumber") or ""), line)]
    if provider == "casso":
        data = payload.get("data")
        if not isinstance(data, list):
            raise FeedError("no data list")
        found = []
        for row, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise FeedError("a transaction is not an object")
            balance = item.get("cusum_balance")
            line = Line(
                row=row,
                booked_on=_date(item.get("when")),
                amount=_amount(item.get("amount")),
                memo=str(item.get("description") or ""),
                reference=str(item.get("tid") or ""),
                balance=_amount(balance) if balance not in (None, "") else None,
                service_id=f"CASSO-{item.get('id')}",
            )
            found.append((str(item.get("bank_sub_acc_id") or ""), line))
        return found
    raise FeedError("unknown provider")
