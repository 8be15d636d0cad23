import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from booths.models import Assignment
from booths.services import booth_assign
from tests.factories import ApplicationFactory, BoothFactory, EventFactory, StaffUserFactory, VendorFactory
from vendors.models import Application, ApplicationStatusChange
from vendors.services import application_create, application_transition, applications_decide

A = Application.Status


def test_application_decision_records_who_when_from_and_why(db):
    staff = StaffUserFactory()
    application = ApplicationFactory(status=A.SUBMITTED)
    application_transition(application=application, to_status=A.REJECTED, by=staff, reason="Hết chỗ khu OCOP")
    application.refresh_from_db()
    assert application.status == A.REJECTED
    assert (application.decided_by, application.decision_reason) == (staff, "Hết chỗ khu OCOP")
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        A.SUBMITTED,
        A.REJECTED,
        staff,
        "Hết chỗ khu OCOP",
    )


def test_application_submit_sets_submitted_at(db):
    application = ApplicationFactory(status=A.DRAFT)
    application_transition(application=application, to_status=A.SUBMITTED)
    application.refresh_from_db()
    assert application.submitted_at is not None
    assert application.decided_at is None


@pytest.mark.parametrize(
    ("start", "target"),
    [(A.DRAFT, A.APPROVED), (A.WITHDRAWN, A.APPROVED), (A.CANCELLED, A.SUBMITTED), (A.APPROVED, A.DRAFT)],
)
def test_application_transition_refuses_invalid_steps_and_writes_nothing(db, start, target):
    application = ApplicationFactory(status=start)
    with pytest.raises(ValidationError):
        application_transition(application=application, to_status=target)
    application.refresh_from_db()
    assert application.status == start
    assert not ApplicationStatusChange.objects.exists()


@pytest.mark.parametrize("target", [A.REJECTED, A.WITHDRAWN, A.CANCELLED, A.WAITLISTED])
def test_leaving_approval_releases_the_booth(db, target):
    booth = BoothFactory()
    application = ApplicationFactory(event=booth.event, status=A.SUBMITTED)
    application_transition(application=application, to_status=A.APPROVED)
    booth_assign(booth=booth, application=application)
    if target == A.REJECTED:
        application_transition(application=application, to_status=A.WAITLISTED)
    application_transition(application=application, to_status=target)
    assignment = Assignment.objects.get(booth=booth)
    assert assignment.status == Assignment.Status.RELEASED
    assert assignment.released_at is not None
    # The booth is free again for someone else.
    other = ApplicationFactory(event=booth.event, status=A.APPROVED)
    assert booth_assign(booth=booth, application=other).status == Assignment.Status.HELD


def test_application_create_enforces_booth_limit(db):
    event = EventFactory(max_booths_per_participant=2)
    vendor = VendorFactory()
    with pytest.raises(ValidationError) as exc:
        application_create(vendor=vendor, event=event, booths_requested=3)
    assert "booths_requested" in exc.value.message_dict
    assert not Application.objects.exists()


def test_one_application_per_vendor_and_fair(db):
    application = ApplicationFactory()
    with pytest.raises(IntegrityError):
        application_create(vendor=application.vendor, event=application.event)


def test_application_create_with_status_goes_through_transitions(db):
    application = application_create(vendor=VendorFactory(), event=EventFactory(), status=A.SUBMITTED)
    assert application.status == A.SUBMITTED
    assert ApplicationStatusChange.objects.filter(application=application, to_status=A.SUBMITTED).exists()


def test_applications_decide_reports_each_failure(db):
    ok = ApplicationFactory(status=A.SUBMITTED)
    withdrawn = ApplicationFactory(status=A.WITHDRAWN)
    done, errors = applications_decide(applications=[ok, withdrawn], to_status=A.APPROVED)
    assert done == 1
    assert len(errors) == 1 and str(withdrawn.vendor) in errors[0]
    ok.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (ok.status, withdrawn.status) == (A.APPROVED, A.WITHDRAWN)


def test_fee_due_is_booths_times_fee_after_subsidy(db):
    event = EventFactory(booth_fee=5_000_000, subsidy_percent=30)
    application = ApplicationFactory(event=event, booths_requested=2)
    application.refresh_from_db()
    assert (application.owed.fee, application.owed.subsidy, application.owed.due) == (10_000_000, 3_000_000, 7_000_000)


def test_history_and_payment_read_well_in_the_admin(db):
    from django.utils import translation

    from vendors.models import Payment

    application = ApplicationFactory(status=A.SUBMITTED)
    application_transition(application=application, to_status=A.APPROVED)
    payment = Payment.objects.create(application=application, amount=1_500_000, paid_on="2024-05-02")
    with translation.override("en"):
        assert str(ApplicationStatusChange.objects.get()).endswith(": Submitted → Approved")
        assert str(payment).startswith("1.500.000 ₫ — ")
