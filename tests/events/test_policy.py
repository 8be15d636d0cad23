"""Who may do what at which fair (events/policy.py): roles, fairs limits, other organisers, superusers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from events.models import Membership
from events.policy import (
    CAPABILITIES,
    READ_ONLY,
    ROLE_CAPABILITIES,
    can,
    fair_or_404,
    fairs_for,
    members_with,
    scoped_or_404,
)
from tests import factories
from vendors.models import Application

R = Membership.Role


@pytest.fixture
def two_organisers(db):
    first = factories.OrganiserFactory(name="Trung tâm Khuyến công Hải Phòng")
    second = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp Thủy Nguyên")
    return {
        "first": first,
        "second": second,
        "fair": factories.EventFactory(organiser=first, slug="tuan-hang-1"),
        "other_fair_of_first": factories.EventFactory(organiser=first, slug="tuan-hang-2"),
        "fair_of_second": factories.EventFactory(organiser=second, slug="hoi-cho-hiep-hoi"),
    }


def member(organiser, role, *, events=()):
    user = factories.StaffUserFactory(role=None)
    membership = Membership.objects.create(organiser=organiser, user=user, role=role)
    membership.events.set(events)
    return user


def test_every_role_has_a_known_set_of_capabilities():
    assert set(ROLE_CAPABILITIES) == set(R)
    assert all(capabilities <= set(CAPABILITIES) for capabilities in ROLE_CAPABILITIES.values())
    assert ROLE_CAPABILITIES[R.ADMIN] == set(CAPABILITIES)


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (R.REVIEWER, {"application.decide", "export"}, {"payment.record", "checkin.record", "fair.manage"}),
        (R.ACCOUNTANT, {"payment.record", "export"}, {"application.decide", "checkin.record"}),
        (R.FLOOR, {"checkin.record", "fair.view"}, {"application.decide", "export", "payment.record"}),
        (R.VIEWER, {"report.view", "fair.view"}, {"application.decide", "payment.record", "checkin.record", "export"}),
        (
            R.OVERSIGHT,
            {"fair.view", "report.view", "export"},
            {"application.decide", "payment.record", "checkin.record", "print.build", "fair.manage", "team.manage"},
        ),
    ],
)
def test_a_role_may_do_its_jobs_and_nothing_else(two_organisers, role, allowed, refused):
    user = member(two_organisers["first"], role)
    fair = two_organisers["fair"]
    assert {c for c in allowed if can(user, c, fair)} == allowed
    assert {c for c in refused if can(user, c, fair)} == set()


def test_an_administrator_of_one_organiser_may_do_nothing_at_another_organisers_fair(two_organisers):
    user = member(two_organisers["first"], R.ADMIN)
    assert can(user, "application.decide", two_organisers["fair"])
    assert [c for c in CAPABILITIES if can(user, c, two_organisers["fair_of_second"])] == []
    assert set(fairs_for(user)) == {two_organisers["fair"], two_organisers["other_fair_of_first"]}


def test_a_membership_limited_to_some_fairs_covers_only_those(two_organisers):
    user = member(two_organisers["first"], R.REVIEWER, events=[two_organisers["fair"]])
    assert can(user, "application.decide", two_organisers["fair"])
    assert not can(user, "application.decide", two_organisers["other_fair_of_first"])
    assert list(fairs_for(user, "application.decide")) == [two_organisers["fair"]]


def test_staff_without_an_organiser_sees_no_fair(two_organisers):
    user = factories.StaffUserFactory(role=None)
    assert not can(user, "fair.view", two_organisers["fair"])
    assert list(fairs_for(user)) == []


def test_fairs_for_a_capability_leaves_out_the_fairs_where_the_role_lacks_it(two_organisers):
    user = member(two_organisers["first"], R.FLOOR)
    member_of_second = Membership.objects.create(organiser=two_organisers["second"], user=user, role=R.ACCOUNTANT)
    assert member_of_second.pk
    assert set(fairs_for(user, "checkin.record")) == {two_organisers["fair"], two_organisers["other_fair_of_first"]}
    assert list(fairs_for(user, "payment.record")) == [two_organisers["fair_of_second"]]


def test_a_superuser_may_do_everything_and_strangers_nothing(two_organisers):
    superuser = factories.StaffUserFactory(is_superuser=True)
    fair = two_organisers["fair_of_second"]
    assert all(can(superuser, c, fair) for c in CAPABILITIES)
    assert fairs_for(superuser).count() == 3
    inactive = member(two_organisers["second"], R.ADMIN)
    inactive.is_active = False
    assert not can(inactive, "fair.view", fair)
    assert not can(AnonymousUser(), "fair.view", fair)
    assert list(fairs_for(AnonymousUser())) == []


def test_an_unknown_capability_is_a_programming_error(two_organisers):
    with pytest.raises(ValueError, match="unknown capability"):
        can(factories.StaffUserFactory(is_superuser=True), "application.approve", two_organisers["fair"])


def test_members_with_a_capability_are_those_whose_role_and_fairs_cover_it(two_organisers):
    fair = two_organisers["fair"]
    viewer = member(two_organisers["first"], R.VIEWER)
    floor = member(two_organisers["first"], R.FLOOR)
    elsewhere = member(two_organisers["first"], R.ADMIN, events=[two_organisers["other_fair_of_first"]])
    stranger = member(two_organisers["second"], R.ADMIN)
    readers = set(members_with("report.view", fair))
    assert viewer in readers
    assert {floor, elsewhere, stranger} & readers == set()


def test_the_oversight_role_only_reads():
    assert ROLE_CAPABILITIES[R.OVERSIGHT] <= READ_ONLY
    assert {"fair.manage", "application.decide", "payment.record", "checkin.record"}.isdisjoint(READ_ONLY)


def test_oversight_is_granted_over_named_organisers_only(two_organisers):
    overseer = member(two_organisers["first"], R.OVERSIGHT)
    assert set(fairs_for(overseer)) == {two_organisers["fair"], two_organisers["other_fair_of_first"]}
    assert not can(overseer, "fair.view", two_organisers["fair_of_second"])


def test_fair_or_404_hides_other_organisers_fairs_and_refuses_a_missing_capability(two_organisers):
    floor = member(two_organisers["first"], R.FLOOR)
    assert fair_or_404(floor, "tuan-hang-1", "checkin.record") == two_organisers["fair"]
    with pytest.raises(Http404):
        fair_or_404(floor, "hoi-cho-hiep-hoi", "fair.view")  # the other organiser's: as if it did not exist
    with pytest.raises(Http404):
        fair_or_404(floor, "khong-co-hoi-cho-nay")
    with translation.override("vi"), pytest.raises(PermissionDenied) as refused:
        fair_or_404(floor, "tuan-hang-1", "application.decide")
    assert "hồ sơ" in str(refused.value)


def test_scoped_or_404_finds_objects_only_through_fairs_the_user_sees(two_organisers):
    accountant = member(two_organisers["first"], R.ACCOUNTANT)
    mine = factories.ApplicationFactory(event=two_organisers["fair"])
    theirs = factories.ApplicationFactory(event=two_organisers["fair_of_second"])
    assert scoped_or_404(Application.objects.all(), accountant, "payment.record", pk=mine.pk) == mine
    with pytest.raises(Http404):
        scoped_or_404(Application.objects.all(), accountant, None, pk=theirs.pk)
    with pytest.raises(PermissionDenied):
        scoped_or_404(Application.objects.all(), accountant, "application.decide", pk=mine.pk)


def test_managing_the_team_is_organiser_wide_so_a_fair_limited_administrator_does_not(two_organisers):
    """A limited administrator could otherwise lift its own limit on the team page; the policy, the
    team page, the organiser's admin page and the staff home's link all read this one rule."""
    from events.policy import can_anywhere, organisers_for

    limited = member(two_organisers["first"], R.ADMIN, events=[two_organisers["fair"]])
    full = member(two_organisers["first"], R.ADMIN)

    assert can(limited, "fair.manage", two_organisers["fair"])
    assert not can(limited, "team.manage", two_organisers["fair"])
    assert not can_anywhere(limited, "team.manage")
    assert list(organisers_for(limited, "team.manage")) == []
    assert list(organisers_for(full, "team.manage")) == [two_organisers["first"]]
    assert full in members_with("team.manage", two_organisers["fair"])
    assert limited not in members_with("team.manage", two_organisers["fair"])
