"""Khuyến công subsidies: the programme's rules applied at approval, released on withdrawal,
caps that follow a business by tax code across fairs, and the yearly cap under concurrent approval."""

import datetime as dt
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from events.models import Province, SubsidyProgramme
from tests import factories
from vendors.models import Application, SubsidyGrant, Vendor
from vendors.services import subsidies as services
from vendors.services.amounts import recompute_amount_due
from vendors.services.core import application_transition
from vendors.services.registry import vendors_merge

A = Application.Status
G = SubsidyGrant.Status


def programme_for(*events, **rules) -> SubsidyProgramme:
    today = timezone.localdate()
    fields = {
        "name": "Chương trình khuyến công 2025",
        "legal_basis": "QĐ 09/2021/QĐ-UBND",
        "budget": 100_000_000,
        "starts_on": today - dt.timedelta(days=365),
        "ends_on": today + dt.timedelta(days=365),
        "share_percent": 50,
    }
    provinces = rules.pop("provinces", ())
    fields.update(rules)
    programme = SubsidyProgramme.objects.create(organiser=events[0].organiser, **fields)
    programme.provinces.set(provinces)
    for event in events:
        event.subsidy_programme = programme
        event.save(update_fields=["subsidy_programme"])
    return programme


def approve(application) -> Application:
    application_transition(application=application, to_status=A.APPROVED, notify=False)
    application.refresh_from_db()
    return application


def subsidy(application) -> int:
    return Application.objects.get(pk=application.pk).owed.subsidy


def test_programme_pays_its_share_of_the_booth_fee_on_approval(event):
    programme = programme_for(event, share_percent=40)
    application = approve(factories.ApplicationFactory(event=event, booths_requested=2))
    assert subsidy(application) == 2 * 2_000_000  # 40 % of 5.000.000 per booth, not the fair's flat 50 %
    grant = SubsidyGrant.objects.get(application=application)
    assert (grant.programme, grant.tax_code, grant.year, grant.booths, grant.amount, grant.status) == (
        programme,
        application.vendor.tax_code,
        timezone.localdate(event.opens_at).year,
        2,
        4_000_000,
        G.GRANTED,
    )
    assert Application.objects.get(pk=application.pk).owed.due == 10_000_000 - 4_000_000


def test_submitted_application_gets_no_subsidy_before_approval(event):
    programme_for(event)
    application = factories.ApplicationFactory(event=event)
    assert subsidy(application) == 0
    assert not SubsidyGrant.objects.exists()


def test_fair_without_programme_keeps_its_flat_share(event):
    application = approve(factories.ApplicationFactory(event=event))
    assert subsidy(application) == 2_500_000
    assert not SubsidyGrant.objects.exists()


def test_cap_per_business_per_fair(event):
    programme_for(event, cap_per_fair=3_000_000)
    application = approve(factories.ApplicationFactory(event=event, booths_requested=3))
    assert subsidy(application) == 3_000_000


def test_maximum_booths_subsidised(event):
    programme_for(event, max_booths=2)
    application = approve(factories.ApplicationFactory(event=event, booths_requested=3))
    assert subsidy(application) == 2 * 2_500_000
    assert SubsidyGrant.objects.get(application=application).booths == 2


def test_yearly_maximum_of_fairs_per_business_counts_across_fairs(event):
    second, third = factories.EventFactory(organiser=event.organiser), factories.EventFactory(organiser=event.organiser)
    programme_for(event, second, third, max_fairs_per_year=2)
    vendor = factories.VendorFactory()
    apps = [approve(factories.ApplicationFactory(event=e, vendor=vendor)) for e in (event, second, third)]
    assert [subsidy(a) for a in apps] == [2_500_000, 2_500_000, 0]


def test_withdrawal_releases_the_grant_and_frees_the_yearly_place(event):
    second = factories.EventFactory(organiser=event.organiser)
    programme_for(event, second, max_fairs_per_year=1)
    vendor = factories.VendorFactory()
    first = approve(factories.ApplicationFactory(event=event, vendor=vendor))
    later = approve(factories.ApplicationFactory(event=second, vendor=vendor))
    assert (subsidy(first), subsidy(later)) == (2_500_000, 0)

    application_transition(application=first, to_status=A.WITHDRAWN, notify=False)

    grant = SubsidyGrant.objects.get(application=first)
    assert (grant.status, grant.released_at is not None) == (G.RELEASED, True)
    assert subsidy(first) == 0
    # The other fair's approval was waiting: it got the yearly place at once (it keeps it on re-approval).
    application_transition(application=later, to_status=A.WAITLISTED, notify=False)
    assert subsidy(approve(later)) == 2_500_000


def test_cancellation_releases_the_grant(event):
    programme = programme_for(event, budget=2_500_000)
    application = approve(factories.ApplicationFactory(event=event))
    application_transition(application=application, to_status=A.CANCELLED, notify=False)
    assert SubsidyGrant.objects.get(application=application).status == G.RELEASED
    # The budget it held is free for the next business.
    other = approve(factories.ApplicationFactory(event=event))
    assert subsidy(other) == 2_500_000
    assert programme.grants.filter(status=G.GRANTED).get().application == other


def test_budget_is_never_exceeded(event):
    programme_for(event, budget=4_000_000)
    first = approve(factories.ApplicationFactory(event=event))
    second = approve(factories.ApplicationFactory(event=event))
    third = approve(factories.ApplicationFactory(event=event))
    assert [subsidy(a) for a in (first, second, third)] == [2_500_000, 1_500_000, 0]


def test_kind_eligibility(event):
    programme_for(event, kinds="HTX,HKD")
    company = approve(factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(kind=Vendor.Kind.DN)))
    coop = approve(factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(kind=Vendor.Kind.HTX)))
    assert (subsidy(company), subsidy(coop)) == (0, 2_500_000)


def test_province_eligibility(event):
    hai_phong, other = Province.objects.get(pk="31"), Province.objects.exclude(pk="31").first()
    programme_for(event, provinces=[hai_phong])
    local = approve(factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(province=hai_phong)))
    away = approve(factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(province=other)))
    assert (subsidy(local), subsidy(away)) == (2_500_000, 0)


def test_ocop_eligibility_needs_a_certificate_valid_at_the_fair(event):
    programme_for(event, ocop=SubsidyProgramme.Ocop.ONLY)
    opening = timezone.localdate(event.opens_at)
    certified, expired, none = factories.VendorFactory(), factories.VendorFactory(), factories.VendorFactory()
    factories.ProductFactory(vendor=certified, ocop_stars=4, ocop_decision_date=opening - dt.timedelta(days=100))
    factories.ProductFactory(vendor=expired, ocop_stars=4, ocop_decision_date=opening - dt.timedelta(days=4 * 365))
    apps = [approve(factories.ApplicationFactory(event=event, vendor=v)) for v in (certified, expired, none)]
    assert [subsidy(a) for a in apps] == [2_500_000, 0, 0]


def test_fair_outside_the_programme_period_gets_nothing(event):
    today = timezone.localdate()
    programme_for(event, starts_on=today - dt.timedelta(days=100), ends_on=today)
    assert subsidy(approve(factories.ApplicationFactory(event=event))) == 0


def test_merged_business_records_are_counted_together(event):
    """A grant given to a duplicate record still counts for the business after the merge: the
    ledger follows the tax code, the merged code included."""
    second = factories.EventFactory(organiser=event.organiser)
    programme_for(event, second, max_fairs_per_year=1)
    kept, duplicate = factories.VendorFactory(), factories.VendorFactory()
    granted = approve(factories.ApplicationFactory(event=event, vendor=duplicate))
    assert subsidy(granted) == 2_500_000
    vendors_merge(keep=kept, duplicate=duplicate)

    later = approve(factories.ApplicationFactory(event=second, vendor=kept))

    assert subsidy(later) == 0
    assert SubsidyGrant.objects.get(application=granted).tax_code == duplicate.tax_code


def test_booth_change_after_approval_resizes_the_grant(event):
    programme_for(event, budget=100_000_000)
    application = approve(factories.ApplicationFactory(event=event, booths_requested=1))
    Application.objects.filter(pk=application.pk).update(booths_requested=2)
    recompute_amount_due(application)
    assert subsidy(application) == 5_000_000
    assert SubsidyGrant.objects.get(application=application).amount == 5_000_000


def test_database_refuses_two_grants_for_one_application(event):
    programme = programme_for(event)
    application = approve(factories.ApplicationFactory(event=event))
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyGrant.objects.create(
            programme=programme,
            application=application,
            tax_code=application.vendor.tax_code,
            year=2025,
            booths=1,
            amount=1,
            granted_at=timezone.now(),
        )


def test_database_refuses_a_grant_of_nothing(event):
    programme = programme_for(event)
    application = factories.ApplicationFactory(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyGrant.objects.create(
            programme=programme,
            application=application,
            tax_code="x",
            year=2025,
            booths=1,
            amount=0,
            granted_at=timezone.now(),
        )


# --- concurrency (PostgreSQL: two fairs approve the same business at the same moment) -------


def _approve_both_at_once(application_pks, pause):
    """Both applications approved in two threads released together; the ledger read is slowed
    down so that the two transactions overlap. Returns the errors raised."""
    barrier, errors, real = threading.Barrier(len(application_pks)), [], services._granted_ledger

    def slow_ledger(*args):
        found = real(*args)
        time.sleep(pause)  # widen the read-then-write window
        return found

    def run(pk):
        try:
            barrier.wait()
            application_transition(application=Application.objects.get(pk=pk), to_status=A.APPROVED, notify=False)
        except Exception as exc:  # anything else is a bug the test must show
            errors.append(repr(exc))
        finally:
            connection.close()

    services._granted_ledger = slow_ledger
    try:
        threads = [threading.Thread(target=run, args=(pk,)) for pk in application_pks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        services._granted_ledger = real
    return errors


def _two_fairs_one_business():
    first = factories.EventFactory()
    second = factories.EventFactory(organiser=first.organiser)
    programme_for(first, second, max_fairs_per_year=1)
    vendor = factories.VendorFactory()
    return [factories.ApplicationFactory(event=e, vendor=vendor).pk for e in (first, second)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_yearly_cap_holds_when_two_fairs_approve_at_once(on_postgres):
    pks = _two_fairs_one_business()
    assert _approve_both_at_once(pks, pause=0.3) == []
    assert Application.objects.filter(pk__in=pks, status=A.APPROVED).count() == 2
    assert SubsidyGrant.objects.filter(status=G.GRANTED).count() == 1
    assert sorted(Application.objects.filter(pk__in=pks).values_list("owed__subsidy", flat=True)) == [0, 2_500_000]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_programme_lock_both_fairs_subsidise(on_postgres, monkeypatch):
    """Control: with the programme rows read without a lock the same race gives both fairs a
    subsidy, so the test above proves the lock, not luck."""
    monkeypatch.setattr(
        services, "_lock_programmes", lambda ids: {p.pk: p for p in SubsidyProgramme.objects.filter(pk__in=ids)}
    )
    pks = _two_fairs_one_business()
    assert _approve_both_at_once(pks, pause=0.3) == []
    assert SubsidyGrant.objects.filter(status=G.GRANTED).count() == 2


# --- a released grant hands its place on ------------------------------------------------


def test_released_grant_hands_the_yearly_place_to_the_business_waiting(event):
    second = factories.EventFactory(organiser=event.organiser)
    programme = programme_for(event, second, max_fairs_per_year=1)
    vendor = factories.VendorFactory()
    first = approve(factories.ApplicationFactory(event=event, vendor=vendor))
    later = approve(factories.ApplicationFactory(event=second, vendor=vendor))
    assert list(programme.waiting.values_list("application_id", "reason")) == [(later.pk, "year")]

    application_transition(application=first, to_status=A.WITHDRAWN, notify=False)

    assert subsidy(later) == 2_500_000  # in the withdrawal's transaction, no other change needed
    assert SubsidyGrant.objects.get(application=later).status == G.GRANTED
    assert not programme.waiting.exists()


def test_released_grant_hands_the_budget_on_first_come_first_served(event):
    programme = programme_for(event, budget=3_000_000)
    first = approve(factories.ApplicationFactory(event=event))
    short = approve(factories.ApplicationFactory(event=event))  # 500.000 left of the budget
    nothing = approve(factories.ApplicationFactory(event=event))
    assert [subsidy(a) for a in (first, short, nothing)] == [2_500_000, 500_000, 0]
    assert list(programme.waiting.order_by("since", "id").values_list("application_id", "reason")) == [
        (short.pk, "budget"),
        (nothing.pk, "budget"),
    ]

    application_transition(application=first, to_status=A.CANCELLED, notify=False)

    # the oldest waiting gets its full share, the next what is left
    assert [subsidy(a) for a in (first, short, nothing)] == [0, 2_500_000, 500_000]
    assert list(programme.waiting.values_list("application_id", flat=True)) == [nothing.pk]
    assert programme.grants.filter(status=G.GRANTED).aggregate(total=Sum("amount"))["total"] == 3_000_000


def test_business_that_does_not_qualify_is_not_waiting(event):
    hanoi = Province.objects.get(pk="01")
    programme = programme_for(event, budget=2_500_000, provinces=[hanoi])
    approve(factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(province=hanoi)))
    held_back = approve(factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(province=hanoi)))
    approve(factories.ApplicationFactory(event=event))  # a Hải Phòng business: Hà Nội's programme is not for it
    assert list(programme.waiting.values_list("application_id", flat=True)) == [held_back.pk]


def test_hand_on_is_bounded_and_takes_the_oldest(event, monkeypatch):
    monkeypatch.setattr(services, "HAND_ON_LIMIT", 1)
    programme_for(event, budget=2_500_000)
    first = approve(factories.ApplicationFactory(event=event))
    older, newer = (approve(factories.ApplicationFactory(event=event)) for _ in range(2))

    application_transition(application=first, to_status=A.WITHDRAWN, notify=False)

    assert (subsidy(older), subsidy(newer)) == (2_500_000, 0)


def test_waiting_list_read_is_one_query(event, django_assert_num_queries):
    programme = programme_for(event, budget=2_500_000)
    approve(factories.ApplicationFactory(event=event))
    waiting = [approve(factories.ApplicationFactory(event=event)).pk for _ in range(3)]
    with django_assert_num_queries(1):
        assert services.waiting_to_hand_on({programme.pk}, exclude=[]) == waiting
