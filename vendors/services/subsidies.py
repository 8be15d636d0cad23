"""Khuyến công subsidies applied to applications, kept in the SubsidyGrant ledger.

subsidies_settle() is called by vendors.services.amounts inside every recompute of what
applications owe, so it runs in the same transaction as an approval, a withdrawal or a
cancellation (application_transition recomputes the amount due after the status change) and
when booths change. For each application at a fair that uses a programme: an approved one gets
(or keeps, resized) its grant under the programme's rules; any other releases its grant.

Caps count per programme and calendar year (of the fair's opening day) and follow the business by
tax code, its former codes included (a merged duplicate record's code, a household's old code).
The yearly cap and the budget are shared between fairs, so the programme rows are locked
(SELECT … FOR UPDATE, ordered by id) before the ledger is read: two fairs approving the same
business at the same moment take turns, and the second sees the first's grant. The database
holds one grant per (programme, application) and only positive amounts; a budget is a sum over
rows, which no constraint can express, so the lock is its protection."""

from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone

from events.fees import booth_subsidy
from events.models import SubsidyProgramme

from ..models import Application, Product, SubsidyGrant, SubsidyWaiting, Vendor, VendorFormerCode
from ..ocop import counting_day, ocop_valid_on

A = Application.Status
G = SubsidyGrant.Status
W = SubsidyWaiting.Reason

# At most this many waiting applications are recomputed when a grant is released (the oldest
# first); the rest wait for the next release or their own recompute.
HAND_ON_LIMIT = 50


def _lock_programmes(ids) -> dict[int, SubsidyProgramme]:
    """The programmes, locked for the rest of the transaction, in id order (no deadlock between
    two recomputes touching the same programmes)."""
    rows = SubsidyProgramme.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")
    return {p.pk: p for p in rows}


def _granted_ledger(programme_ids, codes) -> tuple[list[SubsidyGrant], dict[int, int]]:
    """The grants in force of these businesses' codes under these programmes, and each programme's
    budget used (by every business)."""
    grants = list(
        SubsidyGrant.objects.filter(programme_id__in=programme_ids, tax_code__in=codes, status=G.GRANTED).only(
            "programme_id", "application_id", "tax_code", "year", "amount"
        )
    )
    used = dict(
        SubsidyGrant.objects.filter(programme_id__in=programme_ids, status=G.GRANTED)
        .values_list("programme_id")
        .annotate(total=Sum("amount"))
    )
    return grants, used


def _businesses(vendor_ids) -> tuple[dict[int, Vendor], dict[str, int]]:
    """The vendors, and every code (current and former) → the vendor it belongs to now."""
    vendors = Vendor.objects.only("kind", "province_id", "tax_code").in_bulk(list(vendor_ids))
    owner = {v.tax_code: pk for pk, v in vendors.items()}
    for code, vendor_id in VendorFormerCode.objects.filter(vendor_id__in=list(vendors)).values_list(
        "tax_code", "vendor_id"
    ):
        owner[code] = vendor_id
    return vendors, owner


def _ocop_vendors(applications, programmes) -> set[tuple[int, int]]:
    """(event id, vendor id) pairs where the business has a product with an OCOP certificate valid
    on the fair's counting day, for fairs whose programme asks for one."""
    found = set()
    by_day = defaultdict(list)
    for a in applications:
        if programmes[a.event.subsidy_programme_id].ocop == SubsidyProgramme.Ocop.ONLY:
            by_day[counting_day(a.event)].append(a)
    for day, group in by_day.items():
        with_ocop = set(
            Product.objects.filter(ocop_valid_on(day), vendor_id__in={a.vendor_id for a in group}).values_list(
                "vendor_id", flat=True
            )
        )
        found |= {(a.event_id, a.vendor_id) for a in group if a.vendor_id in with_ocop}
    return found


def _eligible(programme, vendor, provinces, day, has_ocop) -> bool:
    return (
        programme.starts_on <= day <= programme.ends_on
        and (not programme.kind_set or vendor.kind in programme.kind_set)
        and (not provinces or vendor.province_id in provinces)
        and (programme.ocop != SubsidyProgramme.Ocop.ONLY or has_ocop)
    )


def share_of_booths(programme, lines: list[dict]) -> tuple[int, int]:
    """(booths subsidised, subsidy before the caps): the programme's share of each booth's fee,
    standard booths first (the order of the lines), at most max_booths booths."""
    left = programme.max_booths or sum(line["count"] for line in lines)
    booths = amount = 0
    for line in lines:
        count = min(line["count"], left)
        booths, amount, left = (
            booths + count,
            amount + count * booth_subsidy(line["fee"], programme.share_percent),
            left - count,
        )
    return booths, amount


def _capped(programme, lines, other_fairs: int, used_by_others: int) -> tuple[int, int, str]:
    """(booths, subsidy, waiting reason) for one approved, eligible application: the share of its
    booths, at most the cap per fair, nothing when the business already has its yearly number of
    fairs, at most what is left of the budget. The reason ("" when it got its full share) says what
    held it back."""
    if programme.max_fairs_per_year is not None and other_fairs >= programme.max_fairs_per_year:
        return 0, 0, W.YEARLY_CAP
    booths, amount = share_of_booths(programme, lines)
    if programme.cap_per_fair is not None:
        amount = min(amount, programme.cap_per_fair)
    granted = max(0, min(amount, programme.budget - used_by_others))
    return booths, granted, W.BUDGET if granted < amount else ""


def subsidies_settle(
    applications: list[Application], lines: dict[int, list[dict]], freed: set[int] | None = None
) -> dict[int, int]:
    """Grant, resize or release the subsidy of every application in `applications` (with their
    event loaded) whose fair uses a programme; `lines` are the booths charged for, by application.
    An approved application held back by the yearly cap or the budget is put on the programme's
    waiting list (SubsidyWaiting), and taken off once it gets its full share or stops qualifying.
    Must run inside a transaction. Returns {application id: subsidy in VND} for those applications
    (the others keep the fair's flat share); the ids of the programmes where a grant was released
    or shrunk are added to `freed` (see waiting_to_hand_on)."""
    covered = [a for a in applications if a.event.subsidy_programme_id]
    if not covered:
        return {}
    freed = set() if freed is None else freed
    programmes = _lock_programmes({a.event.subsidy_programme_id for a in covered})
    provinces = defaultdict(set)
    for programme_id, province_id in SubsidyProgramme.provinces.through.objects.filter(
        subsidyprogramme_id__in=list(programmes)
    ).values_list("subsidyprogramme_id", "province_id"):
        provinces[programme_id].add(province_id)
    vendors, owner = _businesses({a.vendor_id for a in covered})
    ledger, used = _granted_ledger(list(programmes), list(owner))
    counted = defaultdict(set)  # (programme, year, vendor) → application ids with a grant in force
    for grant in ledger:
        counted[grant.programme_id, grant.year, owner[grant.tax_code]].add(grant.application_id)
    mine = {
        g.application_id: g
        for g in SubsidyGrant.objects.filter(application_id__in=[a.pk for a in covered], programme_id__in=programmes)
    }
    ocop = _ocop_vendors(covered, programmes)
    waiting = {}  # application id → (programme, reason) for those held back
    result = {}
    for a in covered:
        programme, vendor, grant = programmes[a.event.subsidy_programme_id], vendors[a.vendor_id], mine.get(a.pk)
        day = counting_day(a.event)
        key = (programme.pk, day.year, vendor.pk)
        own = grant.amount if grant is not None and grant.status == G.GRANTED else 0
        booths, amount, reason = 0, 0, ""
        eligible = _eligible(programme, vendor, provinces[programme.pk], day, (a.event_id, vendor.pk) in ocop)
        if a.status == A.APPROVED and eligible:
            booths, amount, reason = _capped(
                programme, lines[a.pk], len(counted[key] - {a.pk}), used.get(programme.pk, 0) - own
            )
        if reason:
            waiting[a.pk] = (programme.pk, reason)
        if amount < own:
            freed.add(programme.pk)
        used[programme.pk] = used.get(programme.pk, 0) - own + amount
        if amount:
            counted[key].add(a.pk)
            _write_grant(grant, programme, a, vendor, day.year, booths, amount)
        else:
            counted[key].discard(a.pk)
            if own:
                grant.status, grant.released_at = G.RELEASED, timezone.now()
                grant.save(update_fields=["status", "released_at", "updated_at"])
        result[a.pk] = amount
    _update_waiting(covered, programmes, waiting)
    return result


def _update_waiting(covered, programmes, waiting: dict[int, tuple[int, str]]) -> None:
    """The waiting list as this settle left it: held-back applications on it (keeping their place
    when already there), the others of `covered` off it."""
    SubsidyWaiting.objects.filter(application_id__in=[a.pk for a in covered], programme_id__in=programmes).exclude(
        application_id__in=list(waiting)
    ).delete()
    now = timezone.now()
    SubsidyWaiting.objects.bulk_create(
        [SubsidyWaiting(programme_id=p, application_id=a, reason=r, since=now) for a, (p, r) in waiting.items()],
        update_conflicts=True,
        unique_fields=["programme", "application"],
        update_fields=["reason"],
    )


def waiting_to_hand_on(programme_ids, exclude) -> list[int]:
    """The applications waiting under these programmes (the oldest first, at most HAND_ON_LIMIT,
    none of `exclude`), to recompute after a grant of the programme was released. One indexed
    query."""
    if not programme_ids:
        return []
    rows = (
        SubsidyWaiting.objects.filter(programme_id__in=list(programme_ids))
        .exclude(application_id__in=list(exclude))
        .order_by("since", "id")
        .values_list("application_id", flat=True)
    )
    return list(rows[:HAND_ON_LIMIT])


def _write_grant(grant, programme, application, vendor, year, booths, amount) -> None:
    fields = {"tax_code": vendor.tax_code, "year": year, "booths": booths, "amount": amount}
    if grant is None:
        SubsidyGrant.objects.create(programme=programme, application=application, granted_at=timezone.now(), **fields)
        return
    changed = {name for name, value in fields.items() if getattr(grant, name) != value}
    if grant.status != G.GRANTED:
        grant.status, grant.released_at, grant.granted_at = G.GRANTED, None, timezone.now()
        changed |= {"status", "released_at", "granted_at"}
    if changed:
        for name, value in fields.items():
            setattr(grant, name, value)
        grant.save(update_fields=[*changed, "updated_at"])
