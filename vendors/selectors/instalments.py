"""What a business has paid, payment by payment, and which instalment it owes next: for the
business's dashboard and application page and for the payment reminders. What is owed in all is
vendors.selectors.money's outstanding (amount due − paid); this module only splits it by deadline.

The rule for the instalment: the deposit is met once what was paid covers it; until then the next
deadline is the deposit's, afterwards the balance's."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, Q

from ..models import AmountDue, Payment

# The business's payments, oldest first, as `application.payments_received` (one query for any
# number of applications).
PAYMENTS_RECEIVED = Prefetch(
    "payments", queryset=Payment.objects.order_by("paid_on", "pk"), to_attr="payments_received"
)


def deposit_unmet_q() -> Q:
    """Over with_money(): the deposit is not yet covered by what was paid (the SQL form of
    next_instalment's first branch)."""
    return Q(owed__deposit__gt=0, paid__lt=F("owed__deposit"))


@dataclass(frozen=True)
class Instalment:
    amount: int  # still to pay by `due_on`
    due_on: date | None


def next_instalment(owed: AmountDue | None, paid: int, outstanding: int, deadline: str = "") -> Instalment | None:
    """The next instalment not yet covered: the rest of the deposit by its deadline while the
    deposit is not met, else everything outstanding by the balance deadline; None when nothing is
    outstanding (`outstanding` as with_money computes it). With deadline="deposit" or "balance",
    that instalment instead (the rest of the deposit, or everything outstanding), None when met."""
    if owed is None or outstanding <= 0:
        return None
    deposit_left = min(owed.deposit - paid, outstanding) if owed.deposit else 0
    if deadline == "deposit" or (not deadline and deposit_left > 0):
        return Instalment(amount=deposit_left, due_on=owed.deposit_due_on) if deposit_left > 0 else None
    return Instalment(amount=outstanding, due_on=owed.balance_due_on or owed.deposit_due_on)
