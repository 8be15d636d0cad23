"""Two imports of the same statement at the same moment count each transfer once (issue 20 item 3),
on PostgreSQL. The import locks the receiving account's row first, and the database refuses a
second line with the same key for an account. The controls take the lock away (the unique key alone
then refuses the slower import as a whole) and then the key as well: then both imports record the
payment, which shows the test can see the race."""

import io
import threading

import pytest
from django.db import connection

from tests import factories
from tests.vendors._statement_support import account_for, approved, memo_for, vcb_csv
from tuanhang.kernel.bank_statements import read_statement
from vendors.models import Payment, StatementLine
from vendors.services import statements

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _import_twice_at_once(monkeypatch, account, data, *, locked: bool):
    barrier = threading.Barrier(2)
    real_lock, real_known = statements.lock_account, statements._known
    if locked:

        def lock(account):
            barrier.wait(timeout=10)  # both imports ask for the lock together
            real_lock(account)

        monkeypatch.setattr(statements, "lock_account", lock)
    else:

        def known(account, keys):
            found = real_known(account, keys)
            barrier.wait(timeout=10)  # both have looked for the lines before either writes
            return found

        monkeypatch.setattr(statements, "lock_account", lambda account: None)
        monkeypatch.setattr(statements, "_known", known)
    outcomes = []

    def run():
        try:
            statement = read_statement(io.BytesIO(data), "sao-ke.csv")
            result = statements.statement_import(account=account, statement=statement, file_name="sao-ke.csv", by=None)
            outcomes.append("+".join(sorted({o.state for o in result.lines})))
        except statements.ImportRaced:
            outcomes.append("raced")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@pytest.fixture
def setup(db):
    event = factories.EventFactory()
    account = account_for(event.organiser)
    application = approved(event)
    data = vcb_csv([("20/11/2026", "FT1", "", "2.500.000", "10.000.000", memo_for(application))])
    return account, application, data


def test_two_imports_at_once_record_the_transfer_once(monkeypatch, on_postgres, setup):
    account, application, data = setup
    outcomes = _import_twice_at_once(monkeypatch, account, data, locked=True)

    assert outcomes == ["duplicate", "matched"]
    assert Payment.objects.filter(application=application).count() == 1


def test_control_without_the_lock_the_unique_key_refuses_the_second_import(monkeypatch, on_postgres, setup):
    account, application, data = setup
    outcomes = _import_twice_at_once(monkeypatch, account, data, locked=False)

    assert outcomes == ["matched", "raced"]
    assert Payment.objects.filter(application=application).count() == 1


def test_control_without_lock_and_key_a_double_import_counts_twice(monkeypatch, on_postgres, setup):
    account, application, data = setup
    constraint = next(c for c in StatementLine._meta.constraints if c.name == "statement_line_once_per_account")
    with connection.schema_editor() as editor:
        editor.remove_constraint(StatementLine, constraint)
    try:
        outcomes = _import_twice_at_once(monkeypatch, account, data, locked=False)
    finally:
        StatementLine.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(StatementLine, constraint)

    assert outcomes == ["matched", "matched"]
    assert Payment.objects.filter(application=application).count() == 2
