"""Reads for the automatic allocation: what the algorithm needs about a fair (booths, approved
applications, current assignments, rules) in a fixed number of queries, the fair's runs, one run,
and the changes a plan makes against the current assignments."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext

from events.models import Event, Zone
from vendors.models import Application, Product, ZonePreference

from .. import allocation as alg
from ..models import AllocationRules, AllocationRun, Assignment, Booth
from ..plans import StoredPlan

A = Application.Status


def fingerprint(pairs) -> str:
    """sha256 of the sorted (booth id, application id) pairs of the active assignments."""
    text = ";".join(f"{booth}:{application}" for booth, application in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()


def active_pairs(event) -> list[tuple[int, int]]:
    return list(
        Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).values_list(
            "booth_id", "application_id"
        )
    )


def current_fingerprint(event) -> str:
    return fingerprint(active_pairs(event))


def rules_for(event) -> AllocationRules:
    """The fair's rules, or the defaults (unsaved) when it has none yet."""
    try:
        return AllocationRules.objects.get(event=event)
    except AllocationRules.DoesNotExist:
        return AllocationRules(event=event)


@dataclass
class AllocationInput:
    """Everything allocate() needs, plus labels for the plan and what is currently assigned.

    Keep mode (default): every application holding booths keeps them (they are `fixed`); the
    approved applications without a booth are placed. Re-plan mode: pinned and confirmed booths
    stay; held, unpinned booths of approved applications are given up and those applications are
    placed again with the others."""

    booths: list
    requests: list
    fixed: dict  # application id → [booth ids] kept where they are
    kept: set  # fixed applications that simply keep their booths (not pinned by staff)
    to_place: list  # application ids the run places
    current: dict  # application id → [booth ids] held now
    pinned_now: set  # applications whose current booths are pinned
    fingerprint: str
    rules: alg.Rules
    zones: dict = field(default_factory=dict)  # zone id → "A – Khu OCOP"
    booth_codes: dict = field(default_factory=dict)  # booth id → code
    names: dict = field(default_factory=dict)  # application id → business name


def _ocop_stars(event):
    """The best OCOP rating among the products an application shows, valid when the fair opens."""
    valid = Q(ocop_expires_on__isnull=True) | Q(ocop_expires_on__gte=event.opens_at.date())
    best = (
        Product.objects.filter(valid, applications=OuterRef("pk"), ocop_stars__isnull=False)
        .order_by("-ocop_stars")
        .values("ocop_stars")[:1]
    )
    return Subquery(best)


def allocation_input(event: Event, *, replan: bool = False) -> AllocationInput:
    """The fair as the algorithm sees it, in six queries whatever its size."""
    booths = list(
        Booth.objects.filter(event=event)
        .select_related("zone")
        .prefetch_related(Prefetch("zone__categories", to_attr="category_list"))
        .order_by("zone__position", "zone__code", "row", "x", "pk")
    )
    assignments = list(
        Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE)
        .order_by("booth__x", "pk")
        .values_list("booth_id", "application_id", "status", "pinned")
    )
    holders = {application_id for _booth, application_id, _status, _pinned in assignments}
    applications = list(
        Application.objects.filter(Q(event=event) & (Q(status=A.APPROVED) | Q(pk__in=holders)))
        .select_related("vendor")
        .prefetch_related(
            Prefetch("categories", to_attr="category_list"),
            Prefetch("zone_ranks", queryset=ZonePreference.objects.order_by("rank"), to_attr="rank_list"),
        )
        .annotate(best_ocop=_ocop_stars(event))
        .order_by("submitted_at", "pk")
    )
    rules = alg.Rules.from_object(rules_for(event))
    return _build(event, booths, assignments, applications, rules, replan)


def _build(event, booths, assignments, applications, rules, replan) -> AllocationInput:
    current, pinned_now, movable_booths = {}, set(), {}
    approved = {a.pk for a in applications if a.status == A.APPROVED}
    for booth_id, application_id, status, pinned in assignments:
        current.setdefault(application_id, []).append(booth_id)
        if pinned:
            pinned_now.add(application_id)
        if replan and not pinned and status == Assignment.Status.HELD and application_id in approved:
            movable_booths.setdefault(application_id, []).append(booth_id)
    # An application moves only when all of its booths may move.
    movable = {a for a, ids in movable_booths.items() if len(ids) == len(current[a])}
    fixed = {a: ids for a, ids in current.items() if a not in movable}
    to_place = [a.pk for a in applications if a.pk in approved and a.pk not in fixed]
    requests = [
        alg.RequestSpec(
            id=a.pk,
            booths_needed=a.booths_requested,
            booth_type_id=a.booth_type_id,
            category_ids=frozenset(c.pk for c in a.category_list),
            zone_ranks=tuple(p.zone_id for p in a.rank_list),
            province=a.vendor.province_id or "",
            ocop_stars=a.best_ocop or 0,
            host_province=a.vendor.province_id == event.province_id,
            order=position,
        )
        for position, a in enumerate(applications)
    ]
    specs = [
        alg.BoothSpec(
            id=b.pk,
            code=b.code,
            zone_id=b.zone_id,
            row=b.row,
            x=float(b.x),
            width=float(b.width),
            y=float(b.y),
            booth_type_id=b.booth_type_id,
            blocked=b.blocked,
            zone_categories=frozenset(c.pk for c in b.zone.category_list),
        )
        for b in booths
    ]
    zones = {b.zone_id: str(b.zone) for b in booths}
    return AllocationInput(
        booths=specs,
        requests=requests,
        fixed=fixed,
        kept={a for a in fixed if a not in pinned_now},
        to_place=to_place,
        current=current,
        pinned_now=pinned_now,
        fingerprint=fingerprint((b, a) for b, a, _s, _p in assignments),
        rules=rules,
        zones=zones,
        booth_codes={b.pk: b.code for b in booths},
        names={a.pk: a.vendor.sign_name for a in applications},
    )


# --- pages ------------------------------------------------------------------------------------


def allocation_runs(event, limit=20) -> list[AllocationRun]:
    return list(AllocationRun.objects.filter(event=event).select_related("created_by", "applied_by")[:limit])


def zones_of(event) -> list[Zone]:
    return list(Zone.objects.filter(event=event).order_by("position", "code"))


@dataclass
class Change:
    """One line of the changes table: an application, its booths now and in the plan."""

    application_id: int
    name: str
    kind: str  # "new", "moved", "unchanged", "unplaced"
    now: list
    planned: list
    pinned: bool = False
    explanation: list = field(default_factory=list)
    reason: dict | None = None


def plan_changes(run: AllocationRun) -> list[Change]:
    """The plan against the assignments of now (one query): new, moved, unchanged, unplaced."""
    current = {}
    for booth_code, application_id in (
        Assignment.objects.filter(booth__event_id=run.event_id, status__in=Assignment.ACTIVE)
        .order_by("booth__x", "pk")
        .values_list("booth__code", "application_id")
    ):
        current.setdefault(application_id, []).append(booth_code)
    plan = run.stored_plan
    rows = []
    for application_id, entry in plan.assignments.items():
        now = current.get(application_id, [])
        planned = list(entry.codes)
        if not now:
            kind = "new"
        elif sorted(now) == sorted(planned):
            kind = "unchanged"
        else:
            kind = "moved"
        rows.append(
            Change(
                application_id=application_id,
                name=entry.name,
                kind=kind,
                now=now,
                planned=planned,
                pinned=entry.pinned,
                explanation=list(entry.explanation),
            )
        )
    for application_id, entry in plan.unplaced.items():
        rows.append(
            Change(
                application_id=application_id,
                name=entry.name,
                kind="unplaced",
                now=current.get(application_id, []),
                planned=[],
                reason=entry.reason,
            )
        )
    order = {"moved": 0, "new": 1, "unplaced": 2, "unchanged": 3}
    rows.sort(key=lambda row: (order[row.kind], row.planned[:1], row.name))
    return rows


def reason_text(plan: StoredPlan, reason: dict) -> str:
    """One stored reason ({"code", "params"}) as text in the active language, with the plan's
    labels for zones, booths and businesses."""
    names = plan.names()

    def booths(ids):
        labels = [plan.booth_codes.get(int(i), "?") for i in ids]
        return labels[0] if len(labels) == 1 else f"{labels[0]}–{labels[-1]}"

    return alg.describe(
        alg.Reason(reason["code"], reason.get("params", {})),
        translate=gettext,
        zone=lambda zone_id: plan.zones.get(int(zone_id), "?"),
        booths=booths,
        request=lambda request_id: names.get(int(request_id), "?"),
    )
