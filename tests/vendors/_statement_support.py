"""Statements as banks export them, for the statement import tests."""

import csv
import io

from events.models import OrganiserBankAccount
from tests import factories
from vendors.payment_codes import code_for

VCB_HEADER = ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"]


def account_for(organiser, number="0011004455667") -> OrganiserBankAccount:
    return OrganiserBankAccount.objects.create(
        organiser=organiser, bank_bin="970436", account_number=number, account_name="TT KHUYEN CONG HAI PHONG"
    )


def approved(event, **kwargs):
    return factories.ApplicationFactory(event=event, status="approved", **kwargs)


def vcb_csv(lines) -> bytes:
    """A Vietcombank-like export: a title block, the header row, then (date, ref, debit, credit,
    balance, memo) rows and a total row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["SAO KÊ TÀI KHOẢN"])
    writer.writerow(["Số tài khoản: 0011004455667"])
    writer.writerow([])
    writer.writerow(VCB_HEADER)
    for number, (date, ref, debit, credit, balance, memo) in enumerate(lines, start=1):
        writer.writerow([number, date, ref, debit, credit, balance, memo])
    writer.writerow(["", "Tổng cộng", "", "", "", "", ""])
    return out.getvalue().encode("utf-8-sig")


def memo_for(application, noise="CT TU 0123456789 NGUYEN VAN A") -> str:
    """A memo as banks leave it: their own words around the code, spaced and lower-cased."""
    code = code_for(application.pk)
    return f"MBVCB.1234.{noise} {code[:4].lower()} {code[4:]} FT24261XYZ"
