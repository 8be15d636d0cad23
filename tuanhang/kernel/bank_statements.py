"""Reading a bank's statement export (.xlsx or .csv) into lines: booked date, the bank's transaction
reference, amount (positive: money in), running balance and memo. No ORM: the vendors app matches
the lines to applications.

A Profile says which header names a bank's export uses for each field and how it writes dates.
The header row is found by looking for a row holding the profile's date, memo and amount columns
among the first rows (exports start with the account's name, period and opening balance). The
built-in profiles are written from the headers Vietnamese banks' internet-banking exports carry
(Vietnamese, often followed by the English, e.g. "Ngày giao dịch/Transaction date"); an organiser
whose export differs maps its columns once on the mapping screen, and that mapping is a Profile too.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .tabular.reading import ImportFileError, cell_text, header_key, read_rows

# The fields of a line: the header names accepted for each (compared as header_key: no case,
# accents, spaces or punctuation). A header "Ngày giao dịch/Transaction date" reduces to
# "ngaygiaodichtransactiondate" and is matched when it starts with one of the names.
FIELDS = ("booked_on", "reference", "credit", "debit", "amount", "balance", "memo")
HEADER_SEARCH_ROWS = 40

COMMON = {
    "booked_on": ("Ngày giao dịch", "Ngày GD", "Ngày hiệu lực", "Ngày hạch toán", "Transaction date", "Date"),
    "reference": ("Số tham chiếu", "Mã giao dịch", "Số giao dịch", "Số bút toán", "Số GD", "Reference", "Ref"),
    "credit": ("Số tiền ghi có", "Ghi có", "Có", "Gửi vào", "Credit", "Tiền vào"),
    "debit": ("Số tiền ghi nợ", "Ghi nợ", "Nợ", "Rút ra", "Debit", "Tiền ra"),
    "amount": ("Số tiền", "Amount"),
    "balance": ("Số dư", "Balance"),
    "memo": ("Mô tả", "Nội dung", "Diễn giải", "Chi tiết giao dịch", "Description", "Details"),
}


@dataclass(frozen=True)
class Profile:
    """How one bank's export is laid out. `columns` maps a field to the header names it may have;
    a profile needs a date, a memo, money in (credit, or a signed amount) and something that tells
    two identical transfers apart: the bank's reference or the running balance."""

    code: str
    name: str
    columns: dict
    date_formats: tuple = ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y")

    def keys(self, name: str) -> tuple:
        return tuple(header_key(h) for h in self.columns.get(name, ()))


def _bank(code, name, **specific) -> Profile:
    columns = {key: tuple(specific.get(key, ())) + COMMON[key] for key in COMMON}
    return Profile(code=code, name=name, columns=columns)


PROFILES = {
    p.code: p
    for p in (
        _bank("vcb", "Vietcombank", reference=("Số tham chiếu",), memo=("Mô tả", "Nội dung chi tiết")),
        _bank("tcb", "Techcombank", reference=("Số giao dịch", "Transaction No"), memo=("Diễn giải",)),
        _bank("mb", "MB", reference=("Số bút toán", "Mã giao dịch"), memo=("Nội dung",)),
        _bank("bidv", "BIDV", reference=("Số tham chiếu", "Số CT"), memo=("Mô tả giao dịch", "Mô tả")),
        _bank("acb", "ACB", reference=("Số GD", "Số giao dịch"), memo=("Nội dung giao dịch", "Nội dung")),
        _bank("ctg", "VietinBank", reference=("Số giao dịch", "Mã giao dịch"), memo=("Nội dung", "Diễn giải")),
    )
}


class RowProblem(ValueError):
    """A row that cannot be read, with the sentence that says why."""


@dataclass
class Line:
    row: int
    booked_on: dt.date
    amount: int  # VND; money out is negative
    memo: str
    reference: str = ""  # the bank's own transaction reference, as the bank writes it
    balance: int | None = None  # the running balance after this line
    # A bank-feed service's own id of the transaction (SePay's id, Casso's id), kept when the
    # service sends no bank reference: it tells a retried delivery apart, never a statement line.
    service_id: str = ""


@dataclass
class Statement:
    profile: Profile
    header_row: int
    lines: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row, message)


def profile_from_mapping(code: str, name: str, mapping: dict, date_format: str = "") -> Profile:
    """A profile from the mapping screen: field → the header text staff picked (one each)."""
    columns = {key: (header,) for key, header in mapping.items() if key in FIELDS and header}
    formats = (date_format,) + Profile.date_formats if date_format else Profile.date_formats
    return Profile(code=code, name=name, columns=columns, date_formats=formats)


def mapping_errors(mapping: dict) -> list:
    """What a mapping lacks before it can read a statement, as sentences for the form."""
    errors = []
    if not mapping.get("booked_on"):
        errors.append(_("Choose the column with the transaction date."))
    if not mapping.get("memo"):
        errors.append(_("Choose the column with the transfer memo."))
    if not (mapping.get("credit") or mapping.get("amount")):
        errors.append(_("Choose the column with the money received (credit) or the signed amount."))
    if not (mapping.get("reference") or mapping.get("balance")):
        errors.append(
            _(
                "Choose the bank's transaction reference or the running balance: without one of them two "
                "identical transfers on one day cannot be told apart from the same line imported twice."
            )
        )
    return errors


def header_cells(source, filename: str) -> list:
    """The texts of the first non-empty row that looks like a header (most non-empty text cells
    among the first rows), for the mapping screen."""
    rows = read_rows(source, filename)[:HEADER_SEARCH_ROWS]
    best = max(rows, key=lambda r: sum(1 for c in r[1] if cell_text(c)), default=(0, []))
    return [cell_text(c) for c in best[1]]


def _header_parts(text: str) -> tuple:
    """A header cell's keys: the whole and each part of a bilingual "Ngày GD/Date" or two-line one."""
    parts = [text, *re.split(r"[/\n|]", text)]
    return tuple(dict.fromkeys(k for k in (header_key(p) for p in parts) if k))


def _matches(parts: tuple, keys: tuple) -> bool:
    # A short name ("Có", "Nợ") only as the whole part: "Nội dung" must not be read as "Nợ".
    return any(part == k or (len(k) >= 5 and part.startswith(k)) for part in parts for k in keys)


def _find(keys: tuple, headers: list) -> int | None:
    for index, parts in enumerate(headers):
        if parts and _matches(parts, keys):
            return index
    return None


def _locate(profile: Profile, headers: list) -> dict | None:
    """Column index per field, or None when this row is not the profile's header row."""
    taken, found = set(), {}
    # Longer names first, so that "Số tiền ghi có" is not taken by "Số tiền".
    for name in ("booked_on", "reference", "credit", "debit", "balance", "memo", "amount"):
        keys = tuple(sorted(profile.keys(name), key=len, reverse=True))
        free = [h if i not in taken else () for i, h in enumerate(headers)]
        index = _find(keys, free)
        if index is not None:
            found[name] = index
            taken.add(index)
    if "booked_on" not in found or "memo" not in found or not ({"credit", "amount"} & set(found)):
        return None
    if not ({"reference", "balance"} & set(found)):
        return None
    return found


def detect(rows: list, profiles) -> tuple:
    """(profile, header row number, column indexes) of the first profile whose header row is among
    the first rows; ImportFileError when none fits."""
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        headers = [_header_parts(cell_text(c)) for c in cells]
        for profile in profiles:
            found = _locate(profile, headers)
            if found:
                return profile, number, found
    raise ImportFileError(
        _(
            "No known statement layout was found in the first rows (date, memo, money received, and the "
            "reference or balance). Map the columns by hand."
        )
    )


def parse_amount(value) -> int | None:
    """VND as an int: 1.500.000, 1,500,000, 1500000, 1.500.000,00, -200.000, (200.000); None if empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if value != int(value):
            raise ValueError(value)
        return int(value)
    text = re.sub(r"\s|VND|VNĐ|đ|₫", "", str(value), flags=re.IGNORECASE)
    if not text:
        return None
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-+()")
    cents = re.search(r"[.,](\d{1,2})$", text)
    if cents:
        if int(cents.group(1)):
            raise ValueError(value)
        text = text[: cents.start()]
    if not re.fullmatch(r"\d{1,3}([.,]?\d{3})*|\d+", text):
        raise ValueError(value)
    number = int(re.sub(r"[.,]", "", text))
    return -number if negative else number


def parse_date(value, formats) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for candidate in (text, text[:19], text[:16], text[:10]):
        for fmt in formats:
            try:
                return dt.datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
    raise ValueError(value)


def _line(number, cells, profile, at) -> Line | None:
    def cell(name):
        index = at.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    when = cell("booked_on")
    if not cell_text(when):
        return None  # a blank or summary row ("Tổng cộng", the closing balance) has no date
    try:
        booked_on = parse_date(when, profile.date_formats)
    except ValueError:
        if "credit" in at and parse_amount_or_none(cell("credit")) is None:
            return None  # a text row under the table (signatures, totals)
        raise RowProblem(_("the date “%(value)s” is not a date") % {"value": cell_text(when)}) from None
    try:
        if "amount" in at and "credit" not in at:
            amount = parse_amount(cell("amount")) or 0
        else:
            amount = (parse_amount(cell("credit")) or 0) - abs(parse_amount(cell("debit")) or 0)
        balance = parse_amount(cell("balance")) if "balance" in at else None
    except ValueError as exc:
        value = cell_text(exc.args[0]) if exc.args else ""
        raise RowProblem(_("the amount “%(value)s” is not a whole number of đồng") % {"value": value}) from None
    return Line(
        row=number,
        booked_on=booked_on,
        amount=amount,
        memo=cell_text(cell("memo")),
        reference=cell_text(cell("reference")),
        balance=balance,
    )


def parse_amount_or_none(value):
    try:
        return parse_amount(value)
    except ValueError:
        return None


def read_statement(source, filename: str, profiles=None) -> Statement:
    """The lines of a statement file, read with the first of `profiles` (default: all built-in
    ones) whose header row it has. Rows that cannot be read are listed in `errors`."""
    rows = read_rows(source, filename)
    profile, header_row, at = detect(rows, list(profiles or PROFILES.values()))
    statement = Statement(profile=profile, header_row=header_row)
    for number, cells in rows:
        if number <= header_row or not any(cell_text(c) for c in cells):
            continue
        try:
            line = _line(number, list(cells), profile, at)
        except RowProblem as exc:
            statement.errors.append((number, str(exc)))
            continue
        if line is not None:
            statement.lines.append(line)
    return statement
