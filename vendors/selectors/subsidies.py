"""Reads of the subsidy ledger (vendors.SubsidyGrant): a programme's budget used and left, for the
fair dashboard and the settlement pack. The grants themselves are written by
vendors.services.subsidies."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from events.models import SubsidyProgramme

from ..models import SubsidyGrant

G = SubsidyGrant.Status


@dataclass(frozen=True)
class ProgrammeBudget:
    budget: int
    granted: int  # the grants in force, every fair of the programme
    businesses: int  # distinct businesses holding a grant in force
    fairs: int  # fairs with at least one grant in force
    granted_here: int = 0  # at the fair asked about (0 without one)
    businesses_here: int = 0

    @property
    def left(self) -> int:
        return self.budget - self.granted


def programme_budget(programme: SubsidyProgramme, event=None) -> ProgrammeBudget:
    """The programme's budget, what its grants in force take of it and how many businesses and fairs
    they cover, and the same at `event` when given. One aggregate query. Businesses are counted by
    their record (a merged duplicate's grants moved with its applications)."""
    here = Q(application__event=event) if event is not None else Q(pk__in=[])
    totals = SubsidyGrant.objects.filter(programme=programme, status=G.GRANTED).aggregate(
        granted=Sum("amount"),
        businesses=Count("application__vendor", distinct=True),
        fairs=Count("application__event", distinct=True),
        granted_here=Sum("amount", filter=here),
        businesses_here=Count("application__vendor", filter=here, distinct=True),
    )
    return ProgrammeBudget(
        budget=programme.budget,
        granted=totals["granted"] or 0,
        businesses=totals["businesses"],
        fairs=totals["fairs"],
        granted_here=totals["granted_here"] or 0,
        businesses_here=totals["businesses_here"],
    )


def programme_budgets(programmes) -> dict[int, ProgrammeBudget]:
    """programme id → its budget figures (as programme_budget() without a fair), for a list of
    programmes in one grouped query."""
    programmes = list(programmes)
    totals = {
        row["programme_id"]: row
        for row in SubsidyGrant.objects.filter(programme__in=programmes, status=G.GRANTED)
        .values("programme_id")
        .annotate(
            granted=Sum("amount"),
            businesses=Count("application__vendor", distinct=True),
            fairs=Count("application__event", distinct=True),
        )
        .order_by()
    }
    empty = {"granted": 0, "businesses": 0, "fairs": 0}
    return {
        p.pk: ProgrammeBudget(
            budget=p.budget,
            granted=totals.get(p.pk, empty)["granted"] or 0,
            businesses=totals.get(p.pk, empty)["businesses"],
            fairs=totals.get(p.pk, empty)["fairs"],
        )
        for p in programmes
    }
