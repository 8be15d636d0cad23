"""A transfer that reached us by a bank-feed webhook and again in the uploaded statement (or the
other way round) is one bank transaction (issue 20, item 1 of the finish): the second copy is a
duplicate line, not a second payment. Known by the bank's reference when both copies carry one;
when one of them lacks it, by date + running balance + amount; never by date, amount and memo."""

import io
import json

import pytest

from tests import factories
from tests.vendors._statement_support import account_for, approved, memo_for, vcb_csv
from tuanhang.kernel.bank_statements import read_statement
from vendors.models import Payment, StatementLine
from vendors.services.statements import statement_import

S = StatementLine.State
KEY = "khoa-sepay-0123456789"
NUMBER = "0071000123456"


@pytest.fixture
def fair(db, settings):
    settings.BANK_WEBHOOK_KEYS = {"sepay": KEY}
    event = factories.EventFactory()  # 2.500.000 ₫ due per approved application
    event.account = account_for(event.organiser, number=NUMBER)
    return event


def feed(client, application, *, amount=2_500_000, balance=19_077_000, reference="FT26324001", sepay_id=92704):
    """A SePay delivery of one transfer into the fair's account; the states it produced."""
    body = {
        "id": sepay_id,
        "gateway": "Vietcombank",
        "transactionDate": "2026-11-20 14:02:37",
        "accountNumber": NUMBER,
        "content": memo_for(application),
        "transferType": "in",
        "transferAmount": amount,
        "accumulated": balance,
        "referenceCode": reference,
    }
    headers = {"Authorization": f"Apikey {KEY}"}
    response = client.post("/hooks/bank/sepay/", json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    return response.json()["states"]


def upload(fair, lines):
    """The statement file staff upload: (ref, credit, balance, memo) rows of 20/11/2026."""
    dots = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    rows = [("20/11/2026", ref, "", dots(credit), dots(balance), memo) for ref, credit, balance, memo in lines]
    statement = read_statement(io.BytesIO(vcb_csv(rows)), "sao-ke.csv")
    assert statement.errors == []
    result = statement_import(account=fair.account, statement=statement, file_name="sao-ke.csv", by=None)
    return [o.state for o in result.lines]


def test_webhook_then_statement_with_the_same_reference_is_one_payment(client, fair):
    application = approved(fair)

    first = feed(client, application, reference="FT26324001")
    later = upload(fair, [("ft26324001", 2_500_000, 19_077_000, memo_for(application))])

    assert (first, later) == (["matched"], ["duplicate"])
    assert Payment.objects.filter(application=application).count() == 1
    line = StatementLine.objects.get(state=S.DUPLICATE)
    assert line.duplicate_of == StatementLine.objects.get(state=S.MATCHED)


def test_statement_then_webhook_with_the_same_reference_is_one_payment(client, fair):
    application = approved(fair)

    first = upload(fair, [("FT26324001", 2_500_000, 19_077_000, memo_for(application))])
    later = feed(client, application, reference="FT26324001")

    assert (first, later) == (["matched"], ["duplicate"])
    assert Payment.objects.filter(application=application).count() == 1


def test_a_statement_without_references_finds_the_webhook_line_by_its_balance(client, fair):
    application = approved(fair)

    feed(client, application, reference="FT26324001", balance=19_077_000)
    later = upload(fair, [("", 2_500_000, 19_077_000, memo_for(application))])

    assert later == ["duplicate"]
    assert Payment.objects.filter(application=application).count() == 1


def test_a_webhook_without_the_bank_reference_finds_the_statement_line_by_its_balance(client, fair):
    application = approved(fair)

    upload(fair, [("FT26324001", 2_500_000, 19_077_000, memo_for(application))])
    later = feed(client, application, reference="", balance=19_077_000)
    retried = feed(client, application, reference="", balance=19_077_000)

    assert (later, retried) == (["duplicate"], ["duplicate"])
    assert Payment.objects.filter(application=application).count() == 1


def test_a_webhook_without_reference_and_a_different_balance_is_another_transfer(client, fair):
    application = approved(fair)

    upload(fair, [("FT26324001", 1_250_000, 19_077_000, memo_for(application))])
    later = feed(client, application, amount=1_250_000, reference="", balance=20_327_000)

    assert later == ["matched"]
    assert Payment.objects.filter(application=application).count() == 2


def test_two_identical_transfers_on_one_day_by_webhook_then_statement_are_two_payments(client, fair):
    application = approved(fair)
    memo = memo_for(application)

    fed = feed(client, application, amount=1_250_000, balance=5_000_000, reference="FT100", sepay_id=1)
    fed += feed(client, application, amount=1_250_000, balance=6_250_000, reference="FT101", sepay_id=2)
    with_references = upload(fair, [("FT100", 1_250_000, 5_000_000, memo), ("FT101", 1_250_000, 6_250_000, memo)])
    without = upload(fair, [("", 1_250_000, 5_000_000, memo), ("", 1_250_000, 6_250_000, memo)])

    assert fed == ["partial", "matched"]
    assert with_references == without == ["duplicate", "duplicate"]
    assert Payment.objects.filter(application=application).count() == 2


def test_two_references_are_two_transfers_even_with_the_same_balance(client, fair):
    """Money in, the same sum out, the same sum in again on one day: equal balance after the first
    and the third. Both carry the bank's reference, and the references differ: two payments."""
    application = approved(fair)

    feed(client, application, amount=1_000_000, balance=9_000_000, reference="FT200")
    later = upload(fair, [("FT202", 1_000_000, 9_000_000, memo_for(application))])

    assert later == ["partial"]
    assert Payment.objects.filter(application=application).count() == 2
