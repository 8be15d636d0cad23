"""What an application owes and what was paid for it, in VND: one definition for the review pages,
the business's dashboard, the exports and the prints."""

from django.db.models import BigIntegerField, Case, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from events.models import Event

from ..models import Application, Payment

A = Application.Status


def paid_total():
    """Sum of the application's payments, 0 when it has none (a subquery, so it multiplies no rows)."""
    total = (
        Payment.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


# An application that is out of the fair owes nothing (what it paid is then to be refunded).
NOTHING_DUE = (A.REJECTED, A.WITHDRAWN, A.CANCELLED)


def amount_due(application: Application) -> int:
    """What the participant owes for the application, in VND: Application.fee_due (booths × fee
    after subsidy), or 0 once it is rejected, withdrawn or cancelled."""
    return 0 if application.status in NOTHING_DUE else application.fee_due


def with_money(queryset: QuerySet[Application], event: Event) -> QuerySet[Application]:
    """Annotate amount_due (as amount_due() computes it), paid and outstanding (amount_due − paid;
    negative when more was paid than is due), in VND."""
    fee = event.fee_after_subsidy
    return queryset.annotate(
        paid=paid_total(),
        amount_due=Case(
            When(status__in=NOTHING_DUE, then=Value(0)),
            default=F("booths_requested") * Value(fee),
            output_field=BigIntegerField(),
        ),
    ).annotate(outstanding=ExpressionWrapper(F("amount_due") - F("paid"), output_field=BigIntegerField()))
