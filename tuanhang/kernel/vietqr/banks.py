"""The bundled NAPAS bank list (banks.csv beside this file; where it comes from is written at its top).

Read once per process; an organiser's bank account keeps the BIN, and the name shown comes from here.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BANKS_CSV = Path(__file__).with_name("banks.csv")


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str
    code: str

    def __str__(self) -> str:
        return f"{self.short_name} – {self.name}"


@cache
def banks() -> tuple[Bank, ...]:
    """Every bank of the list, in the file's order (by short name)."""
    with BANKS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(Bank(**row) for row in rows)


@cache
def _by_bin() -> dict[str, Bank]:
    return {entry.bin: entry for entry in banks()}


def bank(bin: str) -> Bank | None:
    """The bank with this BIN, or None when the list does not know it."""
    return _by_bin().get(bin)
