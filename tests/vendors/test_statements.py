"""Bank statement import and matching (issue 20 item 3): each line's state, importing the same
statement again, two identical transfers on one day, overlapping statements, the queue staff assign
by hand and reverse, and the import command's --json."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from tests.vendors._statement_support import account_for, approved, memo_for, vcb_csv
from tuanhang.kernel.bank_statements import parse_amount, read_statement
from vendors.models import Payment, StatementLine, StatementLineChange
from vendors.selectors.money import with_money
from vendors.services.statements import statement_import, statement_line_assign, statement_line_reverse

S = StatementLine.State
DAY = dt.date(2026, 11, 20)


@pytest.fixture
def fair(db):
    event = factories.EventFactory()  # one booth at 5.000.000 ₫ with 50 % subsidy: 2.500.000 ₫ due
    event.account = account_for(event.organiser)
    return event


def run(fair, lines, *, dry_run=False, by=None):
    statement = read_statement(io.BytesIO(vcb_csv(lines)), "sao-ke.csv")
    assert statement.errors == []
    return statement_import(account=fair.account, statement=statement, file_name="sao-ke.csv", by=by, dry_run=dry_run)


def outstanding(application) -> int:
    return with_money(type(application).objects.filter(pk=application.pk)).get().outstanding


def test_each_state_of_a_line(fair):
    exact, short, over, other = (approved(fair) for _ in range(4))
    foreign = approved(factories.EventFactory(organiser=factories.OrganiserFactory(name="Sở Công Thương Đồng Tháp")))
    result = run(
        fair,
        [
            ("20/11/2026", "FT1", "", "2.500.000", "10.000.000", memo_for(exact)),
            ("20/11/2026", "FT2", "", "1.000.000", "11.000.000", memo_for(short)),
            ("20/11/2026", "FT3", "", "3.000.000", "14.000.000", memo_for(over)),
            ("20/11/2026", "FT4", "", "500.000", "14.500.000", "CHUYEN TIEN GIAN HANG"),
            ("20/11/2026", "FT5", "", "500.000", "15.000.000", memo_for(foreign)),
            ("20/11/2026", "FT6", "", "500.000", "15.500.000", memo_for(other) + " " + memo_for(exact)),
            ("21/11/2026", "FT7", "200.000", "", "15.300.000", "PHI DICH VU"),
        ],
    )

    assert [o.state for o in result.lines] == [
        S.MATCHED,
        S.PARTIAL,
        S.OVERPAID,
        S.UNMATCHED,
        S.UNMATCHED,
        S.UNMATCHED,
        S.IGNORED,
    ]
    assert [o.application for o in result.lines[:3]] == [exact.pk, short.pk, over.pk]
    assert (outstanding(exact), outstanding(short), outstanding(over), outstanding(other)) == (
        0,
        1_500_000,
        -500_000,
        2_500_000,
    )
    payment = Payment.objects.get(application=exact)
    assert (payment.amount, payment.paid_on, payment.method, payment.reference) == (2_500_000, DAY, "transfer", "FT1")
    assert not Payment.objects.filter(application=foreign).exists()
    assert StatementLineChange.objects.filter(action="matched").count() == 3


def test_importing_the_same_statement_again_changes_nothing(fair):
    application = approved(fair)
    lines = [("20/11/2026", "FT1", "", "2.500.000", "10.000.000", memo_for(application))]
    run(fair, lines)

    again = run(fair, lines)

    assert [o.state for o in again.lines] == [S.DUPLICATE]
    assert Payment.objects.filter(application=application).count() == 1
    assert outstanding(application) == 0
    duplicate = StatementLine.objects.get(state=S.DUPLICATE)
    assert duplicate.duplicate_of == StatementLine.objects.get(state=S.MATCHED)


def test_two_identical_transfers_on_one_day_are_two_payments(fair):
    application = approved(fair)
    same = memo_for(application)
    result = run(
        fair,
        [
            ("20/11/2026", "FT100", "", "1.250.000", "5.000.000", same),
            ("20/11/2026", "FT101", "", "1.250.000", "6.250.000", same),
        ],
    )

    assert [o.state for o in result.lines] == [S.PARTIAL, S.MATCHED]
    assert Payment.objects.filter(application=application).count() == 2
    assert outstanding(application) == 0


def test_overlapping_statements_count_the_shared_lines_once(fair):
    first, second, third = approved(fair), approved(fair), approved(fair)
    a = ("19/11/2026", "FT1", "", "2.500.000", "2.500.000", memo_for(first))
    b = ("20/11/2026", "FT2", "", "2.500.000", "5.000.000", memo_for(second))
    c = ("21/11/2026", "FT3", "", "2.500.000", "7.500.000", memo_for(third))
    run(fair, [a, b])

    result = run(fair, [b, c])

    assert [o.state for o in result.lines] == [S.DUPLICATE, S.MATCHED]
    assert Payment.objects.count() == 3
    assert outstanding(first) == outstanding(second) == outstanding(third) == 0


def test_without_references_the_running_balance_tells_identical_transfers_apart(fair):
    application = approved(fair)
    same = memo_for(application)
    lines = [
        ("20/11/2026", "", "", "1.250.000", "5.000.000", same),
        ("20/11/2026", "", "", "1.250.000", "6.250.000", same),
    ]
    assert [o.state for o in run(fair, lines).lines] == [S.PARTIAL, S.MATCHED]

    assert [o.state for o in run(fair, lines).lines] == [S.DUPLICATE, S.DUPLICATE]
    assert Payment.objects.count() == 2


def test_a_dry_run_writes_nothing(fair):
    application = approved(fair)
    result = run(fair, [("20/11/2026", "FT1", "", "2.500.000", "10.000.000", memo_for(application))], dry_run=True)

    assert [o.state for o in result.lines] == [S.MATCHED] and result.statement_import is None
    assert not Payment.objects.exists() and not StatementLine.objects.exists()


def test_staff_assign_an_unmatched_line_and_reverse_it_logged(fair):
    application = approved(fair)
    staff = factories.UserFactory()
    run(fair, [("20/11/2026", "FT9", "", "2.500.000", "10.000.000", "NOP TIEN GIAN HANG CTY NONG SAN")])
    line = StatementLine.objects.get()

    statement_line_assign(line=line, application=application, by=staff)
    line.refresh_from_db()
    assert (line.state, line.application, outstanding(application)) == (S.MATCHED, application, 0)

    statement_line_reverse(line=line, by=staff)
    line.refresh_from_db()
    assert (line.state, line.application, line.payment) == (S.UNMATCHED, None, None)
    assert outstanding(application) == 2_500_000 and not Payment.objects.exists()
    log = list(line.changes.values_list("action", "from_application", "to_application", "by"))
    assert log == [("assigned", None, application.pk, staff.pk), ("reversed", application.pk, None, staff.pk)]


def test_a_line_cannot_be_assigned_to_another_organisers_application(fair):
    foreign = approved(factories.EventFactory(organiser=factories.OrganiserFactory(name="Sở Công Thương Đồng Tháp")))
    run(fair, [("20/11/2026", "FT9", "", "2.500.000", "10.000.000", "NOP TIEN")])

    with pytest.raises(ValidationError) as refused:
        statement_line_assign(line=StatementLine.objects.get(), application=foreign, by=factories.UserFactory())

    assert "application" in refused.value.message_dict and not Payment.objects.exists()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1500000", 1_500_000),
        ("1.500.000,00", 1_500_000),
        ("-200.000", -200_000),
        ("(200.000)", -200_000),
        (2500000.0, 2_500_000),
        ("", None),
    ],
)
def test_amounts_as_banks_write_them(text, value):
    assert parse_amount(text) == value


def test_the_command_prints_each_lines_state_and_application_as_json(fair, tmp_path, capsys):
    application = approved(fair)
    path = tmp_path / "sao-ke.csv"
    path.write_bytes(
        vcb_csv(
            [
                ("20/11/2026", "FT1", "", "2.500.000", "10.000.000", memo_for(application)),
                ("20/11/2026", "FT2", "", "100.000", "10.100.000", "KHONG RO"),
            ]
        )
    )

    call_command("import_bank_statement", str(path), "--organiser", fair.slug, "--json")
    data = json.loads(capsys.readouterr().out)
    call_command("import_bank_statement", str(path), "--organiser", str(fair.organiser.pk), "--json")
    again = json.loads(capsys.readouterr().out)

    assert data["layout"] == "vcb" and data["dry_run"] is False
    assert [(line["state"], line["application"], line["reference"]) for line in data["lines"]] == [
        ("matched", application.pk, "FT1"),
        ("unmatched", None, "FT2"),
    ]
    assert [line["state"] for line in again["lines"]] == ["duplicate", "duplicate"]
    assert again["counts"]["duplicate"] == 2 and Payment.objects.count() == 1


def test_the_command_exit_codes(fair, tmp_path):
    path = tmp_path / "sao-ke.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError) as unknown:
        call_command("import_bank_statement", str(path), "--organiser", "khong-co")
    with pytest.raises(CommandError) as unreadable:
        call_command("import_bank_statement", str(path), "--organiser", fair.slug)
    assert (unknown.value.returncode, unreadable.value.returncode) == (2, 1)


def test_reversing_a_matched_line_voids_its_receipt_and_keeps_the_number(fair):
    # A payment's receipt is numbered without gaps (vendors/services/receipts.py): taking the payment
    # back voids the receipt, which keeps its number, instead of failing on it.
    from vendors.models import Receipt

    application = approved(fair)
    staff = factories.UserFactory()
    run(fair, [("20/11/2026", "FT9", "", "2.500.000", "10.000.000", "NOP TIEN GIAN HANG")])
    line = StatementLine.objects.get()
    statement_line_assign(line=line, application=application, by=staff)
    line.refresh_from_db()
    number = Receipt.objects.get(payment=line.payment).number

    statement_line_reverse(line=line, by=staff, reason="Nhầm đơn")

    receipt = Receipt.objects.get()
    assert (receipt.number, receipt.payment_id, receipt.void_reason) == (number, None, "Nhầm đơn")
    assert receipt.voided_at is not None and not Payment.objects.exists()
    assert outstanding(application) == 2_500_000
