"""Matching a bank statement's lines to the applications they pay (issue 20 item 3).

One import is one transaction: the receiving account's row is locked first (two imports of one
account run one after the other), lines already imported are recognised by their key and become
duplicates, and each new line is matched by the payment code in its memo
(vendors.payment_codes.application_ids_in) against the organiser's own applications:

    money out                                  → ignored
    no code, an unknown one, or two codes      → unmatched (a queue staff assign by hand)
    amount = what is still owed                → matched   (a Payment is recorded)
    amount < what is still owed                → partial   (a Payment; the rest is still owed)
    amount > what is still owed                → overpaid  (a Payment; to be refunded)

Payments follow vendors.services.payments' rules (method transfer, reference = the bank's
reference): an import stores its payments and their receipts in bulk (payments_record_many), an
assignment from the queue through payment_record. Every match, assignment and reversal writes a StatementLineChange.
"""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import OrganiserBankAccount
from tuanhang.kernel.bank_statements import Line, Statement

from ..models import Application, Payment, Receipt, StatementImport, StatementLine, StatementLineChange
from ..payment_codes import application_ids_in, code_for
from ..selectors.money import with_money
from .payments import payment_errors, payment_record, payments_record_many

S = StatementLine.State
PAID_STATES = (S.MATCHED, S.PARTIAL, S.OVERPAID)
CHUNK = 2000


class ImportRaced(Exception):
    """Another import of the same account wrote the same lines first (the unique key refused ours)."""


def line_key(line: Line) -> str:
    """How a line is known again: the bank's reference; else the feed service's own id (a retried
    delivery); else date + running balance + amount. A line with none of them has no key (the
    reader refuses such a layout)."""
    if line.reference.strip():
        return f"ref:{line.reference.strip().upper()}"[:200]
    if line.service_id:
        return f"svc:{line.service_id.strip().upper()}"[:200]
    if line.balance is None:
        raise ValueError("a statement line needs the bank's reference or the running balance")
    return f"bal:{line.booked_on.isoformat()}|{line.balance}|{line.amount}"


def balance_key(line: Line) -> str:
    """The line's second identity, date + running balance after it + amount ("" without a
    balance): how a bank-feed line and a statement line of the same transfer find each other when
    one of them lacks the bank's reference."""
    if line.balance is None:
        return ""
    return f"{line.booked_on.isoformat()}|{line.balance}|{line.amount}"


def _has_reference(key: str) -> bool:
    return key.startswith("ref:")


@dataclass
class LineOutcome:
    row: int
    booked_on: str
    amount: int
    reference: str
    memo: str
    state: str
    application: int | None
    payment_code: str | None
    line: int | None = None


@dataclass
class ImportResult:
    statement_import: int | None
    dry_run: bool
    counts: dict
    lines: list

    def as_json(self) -> dict:
        return {
            "import": self.statement_import,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "lines": [asdict(o) for o in self.lines],
        }


def lock_account(account: OrganiserBankAccount) -> None:
    """Take the receiving account's row lock until the transaction ends (PostgreSQL; SQLite writes
    one at a time anyway). A seam of its own so that the control test can leave it out."""
    OrganiserBankAccount.objects.select_for_update().filter(pk=account.pk).first()


def _known(account, keys) -> dict:
    known = {}
    for start in range(0, len(keys), CHUNK):
        rows = (
            StatementLine.objects.filter(account=account, key__in=keys[start : start + CHUNK])
            .exclude(state=S.DUPLICATE)
            .values_list("key", "pk")
        )
        known.update(rows)
    return known


def _known_by_balance(account, balance_keys) -> dict:
    """balance key → [(line id, has the bank's reference)] of the account's counted lines."""
    known = {}
    for start in range(0, len(balance_keys), CHUNK):
        rows = (
            StatementLine.objects.filter(account=account, balance_key__in=balance_keys[start : start + CHUNK])
            .exclude(state=S.DUPLICATE)
            .order_by("pk")
            .values_list("balance_key", "pk", "key")
        )
        for key, pk, line_key_ in rows:
            known.setdefault(key, []).append((pk, _has_reference(line_key_)))
    return known


class _Seen:
    """The lines already counted, in the database and earlier in this file: a new line repeats one
    with the same key, or (when either of them lacks the bank's reference) the same date, running
    balance and amount. Two lines that both carry a reference and differ in it are two transfers,
    whatever their balance says."""

    def __init__(self, account, keys, balance_keys):
        self.keys = _known(account, list(dict.fromkeys(keys)))
        self.balances = _known_by_balance(account, list(dict.fromkeys(k for k in balance_keys if k)))
        self.file_keys, self.file_balances = {}, {}

    def repeated(self, key: str, balance: str) -> tuple:
        """(line id in the database, index earlier in the file) of the line this one repeats."""
        if key in self.keys:
            return self.keys[key], None
        if key in self.file_keys:
            return None, self.file_keys[key]
        if balance:
            referenced = _has_reference(key)
            for pk, has_reference in self.balances.get(balance, ()):
                if not (referenced and has_reference):
                    return pk, None
            for index, has_reference in self.file_balances.get(balance, ()):
                if not (referenced and has_reference):
                    return None, index
        return None, None

    def add(self, index: int, key: str, balance: str) -> None:
        self.file_keys[key] = index
        if balance:
            self.file_balances.setdefault(balance, []).append((index, _has_reference(key)))


def _outstanding(organiser_id, ids) -> dict:
    """What each of these applications of the organiser still owes (amount due − paid), by id."""
    owing = {}
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        queryset = with_money(
            Application.objects.filter(pk__in=ids[start : start + CHUNK], event__organiser_id=organiser_id)
        )
        owing.update(queryset.values_list("pk", "outstanding"))
    return owing


def state_for(amount: int, outstanding: int) -> str:
    if amount == outstanding:
        return S.MATCHED
    return S.PARTIAL if amount < outstanding else S.OVERPAID


def _decide(line: Line, owing: dict) -> tuple:
    """(state, application id) of a new line; `owing` is updated by what it pays."""
    if line.amount <= 0:
        return S.IGNORED, None
    ids = application_ids_in(line.memo)
    if len(ids) != 1 or ids[0] not in owing:
        return S.UNMATCHED, None
    state = state_for(line.amount, owing[ids[0]])
    owing[ids[0]] -= line.amount
    return state, ids[0]


def statement_import(
    *, account: OrganiserBankAccount, statement: Statement, file_name: str, by, dry_run=False, source="upload"
) -> ImportResult:
    """Import a statement's lines for `account`: records StatementImport, a StatementLine per line,
    a Payment per matched/partial/overpaid line and a StatementLineChange for each match, in one
    transaction. With dry_run everything is computed the same way and rolled back.

    Raises ImportRaced when a concurrent import of the account stored the same lines first."""
    try:
        with transaction.atomic():
            result = _import(account, statement, file_name, by, source)
            result.dry_run = dry_run
            if dry_run:
                transaction.set_rollback(True)
                result.statement_import = None
                for outcome in result.lines:
                    outcome.line = None
            return result
    except IntegrityError as exc:
        raise ImportRaced(_("Another import of this account ran at the same time; import the file again.")) from exc


def _import(account, statement, file_name, by, source) -> ImportResult:
    lock_account(account)
    lines = statement.lines
    keys = [line_key(line) for line in lines]
    balances = [balance_key(line) for line in lines]
    seen = _Seen(account, keys, balances)
    candidates = {ids[0] for line in lines if line.amount > 0 and len(ids := application_ids_in(line.memo)) == 1}
    owing = _outstanding(account.organiser_id, candidates)
    record = StatementImport.objects.create(
        organiser_id=account.organiser_id,
        account=account,
        file_name=file_name[:255],
        profile=statement.profile.code,
        source=source,
        uploaded_by=by,
    )
    rows, earlier, payments = [], {}, []
    for index, (line, key, balance) in enumerate(zip(lines, keys, balances, strict=True)):
        known_id, earlier_index = seen.repeated(key, balance)
        if known_id or earlier_index is not None:
            state, application_id = S.DUPLICATE, None
            if earlier_index is not None:
                earlier[index] = earlier_index
        else:
            state, application_id = _decide(line, owing)
            seen.add(index, key, balance)
        payment = None
        if state in PAID_STATES:
            payment = _payment(application_id, line, by)
            if payment is None:
                owing[application_id] += line.amount  # nothing is recorded: it is still owed
                state, application_id = S.UNMATCHED, None
            else:
                payments.append(payment)
        rows.append(
            StatementLine(
                statement_import=record,
                account=account,
                row=line.row,
                key=key,
                balance_key=balance,
                reference=(line.reference or line.service_id)[:120],
                booked_on=line.booked_on,
                amount=line.amount,
                balance=line.balance,
                memo=line.memo,
                state=state,
                application_id=application_id,
                payment=payment,
                duplicate_of_id=known_id,
            )
        )
    payments_record_many(payments, organiser_id=account.organiser_id)  # gives each its id before the lines
    created = StatementLine.objects.bulk_create(rows, batch_size=1000)
    _link_file_duplicates(created, earlier)
    StatementLineChange.objects.bulk_create(
        [
            StatementLineChange(
                line=row, action=StatementLineChange.Action.MATCHED, to_application_id=row.application_id, by=by
            )
            for row in created
            if row.state in PAID_STATES
        ],
        batch_size=1000,
    )
    counts = dict.fromkeys(S.values, 0)
    for row in created:
        counts[row.state] += 1
    record.counts = counts
    record.save(update_fields=["counts"])
    outcomes = [_outcome(row) for row in created]
    return ImportResult(statement_import=record.pk, dry_run=False, counts=counts, lines=outcomes)


def _link_file_duplicates(created, earlier: dict) -> None:
    """A line twice in one file: the second copy points at the first."""
    changed = []
    for index, first in earlier.items():
        row = created[index]
        row.duplicate_of_id = created[first].pk
        changed.append(row)
    if changed and all(row.pk for row in changed):
        StatementLine.objects.bulk_update(changed, ["duplicate_of"], batch_size=1000)


def _payment(application_id, line: Line, by) -> Payment | None:
    """The (unsaved) payment a paying line records, or None when payment_record's rules refuse it
    (e.g. a date after today: left for staff to look at)."""
    method = Payment.Method.TRANSFER
    if payment_errors(amount=line.amount, paid_on=line.booked_on, method=method):
        return None
    reference = (line.reference or line.service_id)[:120].strip()
    return Payment(
        application_id=application_id,
        amount=line.amount,
        paid_on=line.booked_on,
        method=method,
        reference=reference,
        recorded_by=by,
    )


def _outcome(row: StatementLine) -> LineOutcome:
    return LineOutcome(
        row=row.row,
        booked_on=row.booked_on.isoformat(),
        amount=row.amount,
        reference=row.reference,
        memo=row.memo,
        state=row.state,
        application=row.application_id,
        payment_code=code_for(row.application_id) if row.application_id else None,
        line=row.pk,
    )


def statement_line_assign(*, line: StatementLine, application: Application, by) -> StatementLine:
    """Assign an unmatched line to an application of the same organiser by hand: records a Payment
    and the line's state (matched, partial or overpaid against what is still owed), logged.

    Raises ValidationError when the line is not waiting in the queue or the application belongs
    to another organiser."""
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().select_related("statement_import").get(pk=line.pk)
        if line.state != S.UNMATCHED:
            raise ValidationError({"line": _("Only a line that is not matched can be assigned.")})
        if application.event.organiser_id != line.statement_import.organiser_id:
            raise ValidationError({"application": _("This application is not one of this organiser's.")})
        Application.objects.select_for_update().filter(pk=application.pk).first()
        outstanding = _outstanding(line.statement_import.organiser_id, [application.pk]).get(application.pk, 0)
        payment = payment_record(
            application=application,
            amount=line.amount,
            paid_on=line.booked_on,
            method=Payment.Method.TRANSFER,
            reference=line.reference,
            by=by,
        )
        line.state, line.application, line.payment = state_for(line.amount, outstanding), application, payment
        line.save(update_fields=["state", "application", "payment"])
        StatementLineChange.objects.create(
            line=line, action=StatementLineChange.Action.ASSIGNED, to_application=application, by=by
        )
        return line


def statement_line_reverse(*, line: StatementLine, by, reason: str = "") -> StatementLine:
    """Undo a line's match or assignment: its Payment's receipt is voided (it keeps its number) and
    the Payment deleted (what it paid is owed again), and
    the line goes back to the unmatched queue, logged with the application it came from and
    `reason`.

    Raises ValidationError when the line pays nothing."""
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().get(pk=line.pk)
        if line.state not in PAID_STATES:
            raise ValidationError({"line": _("This line pays no application.")})
        was = line.application_id
        payment_id = line.payment_id
        line.state, line.application, line.payment = S.UNMATCHED, None, None
        line.save(update_fields=["state", "application", "payment"])
        if payment_id:
            # Its receipt is voided and keeps its number (no gap in the series); then it is gone.
            Receipt.objects.filter(payment_id=payment_id, voided_at__isnull=True).update(
                voided_at=timezone.now(), void_reason=(reason or _("Bank line reversed"))[:255]
            )
            Payment.objects.filter(pk=payment_id).delete()
        StatementLineChange.objects.create(
            line=line, action=StatementLineChange.Action.REVERSED, from_application_id=was, by=by, reason=reason[:300]
        )
        return line
