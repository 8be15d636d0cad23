"""What an application owes and what was paid for it, in VND: one definition for the review pages,
the business's dashboard, the exports and the prints."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BigIntegerField, Case, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from events.models import Event, OrganiserBankAccount

from ..models import AmountDue, Application, Payment, Refund
from .vietqr import NoQR, PaymentQR, payment_qr

A = Application.Status


def _sum_of(model, application_ref: str):
    total = (
        model.objects.filter(application=OuterRef(application_ref))
        .order_by()
        .values("application")
        .annotate(t=Sum("amount"))
    )
    return Coalesce(Subquery(total.values("t")[:1], output_field=BigIntegerField()), Value(0))


def paid_total(application_ref: str = "pk"):
    """What the application has paid: the sum of its payments less the sum of its refunds, 0 when
    it has none (subqueries, so they multiply no rows). THE definition of "paid" for every page,
    export and print. `application_ref` names the application's id in the outer query (e.g.
    "application_id" over rows that point at an application)."""
    return ExpressionWrapper(
        _sum_of(Payment, application_ref) - _sum_of(Refund, application_ref), output_field=BigIntegerField()
    )


# An application that is out of the fair owes nothing (what it paid is then to be refunded).
NOTHING_DUE = (A.REJECTED, A.WITHDRAWN, A.CANCELLED)


def amount_due(application: Application) -> int:
    """What the participant owes for the application, in VND: its stored AmountDue
    (vendors.services.amounts), or 0 once it is rejected, withdrawn or cancelled or before anything
    was computed (a draft)."""
    if application.status in NOTHING_DUE:
        return 0
    owed = owed_for(application)
    return owed.due if owed else 0


def owed_for(application: Application) -> AmountDue | None:
    """The application's AmountDue row (a query unless select_related("owed") fetched it), or None."""
    try:
        return application.owed
    except AmountDue.DoesNotExist:
        return None


def with_money(queryset: QuerySet[Application], event: Event | None = None) -> QuerySet[Application]:
    """Annotate amount_due (as amount_due() computes it: the stored due amount), paid (payments less
    refunds, paid_total()) and outstanding
    (amount_due − paid; negative when more was paid than is due), in VND, in the same query."""
    return queryset.annotate(
        paid=paid_total(),
        amount_due=Case(
            When(status__in=NOTHING_DUE, then=Value(0)),
            default=Coalesce(F("owed__due"), Value(0)),
            output_field=BigIntegerField(),
        ),
    ).annotate(outstanding=ExpressionWrapper(F("amount_due") - F("paid"), output_field=BigIntegerField()))


@dataclass(frozen=True)
class Terms:
    """What a business is told it owes: the amount, its deposit and balance with their deadlines,
    the booths by type, and where to pay (the fair's receiving account, or None)."""

    due: int
    fee: int
    subsidy: int
    deposit: int
    deposit_due_on: date | None
    balance: int
    balance_due_on: date | None
    lines: list
    account: OrganiserBankAccount | None
    # The VietQR of what is still to pay (selectors.vietqr.payment_qr), or why there is none.
    qr: PaymentQR | NoQR | None = None


def payment_terms(application: Application, event: Event) -> Terms | None:
    """The terms for `application` of `event` (whose bank_account should be select_related), or None
    when nothing is due (out of the fair, or nothing computed yet). With the VietQR of what is still
    to pay: a query for the payments unless `paid` is annotated (paid_total)."""
    owed = None if application.status in NOTHING_DUE else owed_for(application)
    if owed is None:
        return None
    return Terms(
        due=owed.due,
        fee=owed.fee,
        subsidy=owed.subsidy,
        deposit=owed.deposit,
        deposit_due_on=owed.deposit_due_on,
        balance=owed.balance,
        balance_due_on=owed.balance_due_on,
        lines=owed.lines,
        account=event.bank_account,
        qr=payment_qr(application, event),
    )
