"""The organiser's team page: invitations by e-mail and phone, role and fair changes, removals with
a confirmation, the last administrator kept, the change log; and that nobody reaches another
organiser's team (404) or manages a team without the role (403)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Membership
from events.models.teams import TeamChange
from tests import factories

User = get_user_model()
R = Membership.Role
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory()


@pytest.fixture
def fair(organiser):
    return factories.EventFactory()


@pytest.fixture
def admin(organiser):
    return factories.StaffUserFactory(username="quantri", first_name="Phạm Thu Hà")


@pytest.fixture
def other(db):
    organiser = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp nhỏ và vừa Hải Phòng", short_name="")
    fair = factories.EventFactory(organiser=organiser, slug="hoi-cho-hiep-hoi", name="Hội chợ Hiệp hội")
    admin = factories.StaffUserFactory(username="hiephoi", organiser=organiser)
    return organiser, fair, admin


def page(organiser):
    return reverse("team:page", args=[organiser.pk])


def invite(client, organiser, **data):
    return client.post(reverse("team:invite", args=[organiser.pk]), {"role": "reviewer", **data})


def snapshot():
    return (
        sorted(Membership.objects.values_list("organiser_id", "user_id", "role")),
        sorted(Membership.events.through.objects.values_list("membership_id", "event_id")),
        User.objects.count(),
        TeamChange.objects.count(),
    )


def logs_in(client, username, password) -> bool:
    """Through the login page, as a person would; staff land on the staff home."""
    response = client.post(reverse("vendors:login"), {"username": username, "password": password})
    return response.status_code == 302 and response.url == reverse("events:staff_home")


def link_in(text):
    return re.search(r"https?://\S+/staff/invitation/\S+/\S+/", text).group(0)


# --- the page ----------------------------------------------------------------------------------


def test_team_page_lists_members_with_their_roles_in_vietnamese(client, organiser, fair, admin):
    factories.StaffUserFactory(
        username="duyet", first_name="Nguyễn Văn Minh", email="minh@example.vn", role="reviewer", fairs=[fair]
    )
    client.force_login(admin)

    response = client.get(page(organiser))

    assert response.status_code == 200
    assertContains(response, "Nguyễn Văn Minh")
    assertContains(response, "minh@example.vn")
    assertContains(response, '<td class="cell-state">Duyệt hồ sơ</td>', html=True)
    assertContains(response, '<td class="cell-state">Quản trị</td>', html=True)
    assertContains(response, f'<td class="small" data-label="Hội chợ">{fair.name}</td>', html=True)
    assertContains(response, "Mời thêm người")  # the invitation form, in Vietnamese


def test_team_page_of_another_organiser_is_not_found(client, organiser, admin, other):
    other_organiser, _, other_admin = other
    client.force_login(admin)

    assert client.get(page(other_organiser)).status_code == 404
    assert client.get(reverse("team:page", args=[987654])).status_code == 404
    # the control: its own administrator reaches it
    client.force_login(other_admin)
    assert client.get(page(other_organiser)).status_code == 200


@pytest.mark.parametrize("role", ["reviewer", "accountant", "floor", "viewer", "oversight"])
def test_team_page_refuses_a_role_without_team_manage(client, organiser, admin, role):
    member = factories.StaffUserFactory(role=role)
    client.force_login(member)

    with translation.override("en"):
        response = client.get(page(organiser), HTTP_ACCEPT_LANGUAGE="en")
        refused_invite = invite(client, organiser, contact="moi@example.vn")

    assert response.status_code == 403
    assertContains(response, "Only the organiser&#x27;s administrators can manage its staff.", status_code=403)
    assert refused_invite.status_code == 403
    assert not User.objects.filter(username="moi@example.vn").exists()


def test_team_page_needs_an_unlimited_administrator(client, organiser, fair, admin):
    limited = factories.StaffUserFactory(role="admin", fairs=[fair])
    client.force_login(limited)
    assert client.get(page(organiser)).status_code == 403


def test_team_page_other_visitors(client, organiser, admin):
    assert client.get(page(organiser)).status_code == 302  # anonymous: the login page
    client.force_login(factories.UserFactory())  # a business account
    assert client.get(page(organiser)).status_code == 403
    client.force_login(factories.StaffUserFactory(role=None))  # staff of no organiser
    assert client.get(page(organiser)).status_code == 404
    client.force_login(factories.StaffUserFactory(username="sieu", is_superuser=True))
    assert client.get(page(organiser)).status_code == 200


def test_team_page_query_count_does_not_grow_with_members(client, organiser, fair, admin):
    client.force_login(admin)
    first = factories.StaffUserFactory(role="floor", fairs=[fair])
    TeamChange.objects.create(organiser=organiser, member=first, member_name="0", action="invited", changed_by=admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(organiser)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        member = factories.StaffUserFactory(role="reviewer", fairs=[fair])
        TeamChange.objects.create(
            organiser=organiser, member=member, member_name=str(n), action="invited", changed_by=admin
        )
    assert queries() == few


# --- invitations -------------------------------------------------------------------------------


def test_invite_by_email_creates_an_account_and_emails_a_working_link(
    client, organiser, fair, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organiser, contact=" Lan.Nguyen@Example.VN ", name="Nguyễn Thị Lan", fairs=[fair.pk])

    assert response.status_code == 200
    assertContains(response, 'id="emailed"')
    assertNotContains(response, "/staff/invitation/")  # the link goes to the address only
    user = User.objects.get(username="lan.nguyen@example.vn")
    assert (user.email, user.first_name, user.is_staff, user.is_active) == (
        "lan.nguyen@example.vn",
        "Nguyễn Thị Lan",
        True,
        True,
    )
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organiser, membership.role, list(membership.events.all())) == (organiser, "reviewer", [fair])
    change = TeamChange.objects.get(member=user)
    assert (change.action, change.new_role, change.changed_by, change.member_name) == (
        "invited",
        "reviewer",
        admin,
        "Nguyễn Thị Lan",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan.nguyen@example.vn"]
    assert organiser.name in mail.outbox[0].subject
    link = link_in(mail.outbox[0].body)

    # The person opens the link, anonymous, and chooses a password.
    client.logout()
    opened = client.get(link)
    assert opened.status_code == 302
    form = client.get(opened.url)
    assertContains(form, "lan.nguyen@example.vn")
    done = client.post(opened.url, {"new_password1": "Hoi-cho-2024!", "new_password2": "Hoi-cho-2024!"})

    assert done.status_code == 302 and done.url == reverse("vendors:login")
    user.refresh_from_db()
    assert user.check_password("Hoi-cho-2024!")
    accepted = TeamChange.objects.filter(member=user, action="accepted").get()
    assert (accepted.organiser, accepted.changed_by) == (organiser, user)
    assert logs_in(client, "lan.nguyen@example.vn", "Hoi-cho-2024!")
    # The link works once.
    client.logout()
    assertContains(client.get(link, follow=True), 'id="invitation-link-invalid"')


def test_invite_by_phone_shows_the_link_to_pass_on(client, organiser, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organiser, contact="+84 912.345.678", role="floor")

    assert response.status_code == 200
    user = User.objects.get(username="0912345678")
    assert user.email == "" and user.is_staff and not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "floor"
    assert mail.outbox == []
    assertContains(response, 'id="pass-on"')
    link = link_in(response.content.decode())
    assert TeamChange.objects.filter(member=user, action="invited").count() == 1
    listing = client.get(page(organiser))
    assertContains(listing, "0912 345 678")
    # The link lets the person choose a password.
    client.logout()
    opened = client.get(link)
    client.post(opened.url, {"new_password1": "Hoi-cho-2024!", "new_password2": "Hoi-cho-2024!"})
    assert logs_in(client, "0912345678", "Hoi-cho-2024!")


def test_invite_an_existing_account_adds_the_membership(client, organiser, admin, django_capture_on_commit_callbacks):
    existing = factories.UserFactory(username="hong", email="Hong@Example.vn", is_staff=False)
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organiser, contact="hong@example.vn", role="accountant")

    assert response.status_code == 200
    assertContains(response, 'id="existing-account"')
    existing.refresh_from_db()
    assert existing.is_staff and existing.check_password("mat-khau-123")
    assert Membership.objects.get(user=existing).role == "accountant"
    assert User.objects.filter(email__iexact="hong@example.vn").count() == 1
    assert mail.outbox == []
    assert TeamChange.objects.filter(member=existing, action="invited").exists()


def test_invite_refuses_a_member_twice_a_bad_contact_and_another_organisers_fair(client, organiser, admin, other):
    member = factories.StaffUserFactory(username="duyet", email="duyet@example.vn", role="reviewer")
    _, other_fair, _ = other
    client.force_login(admin)
    before = snapshot()

    twice = invite(client, organiser, contact="duyet@example.vn")
    bad = invite(client, organiser, contact="12345")
    foreign_fair = invite(client, organiser, contact="moi@example.vn", fairs=[other_fair.pk])
    huge_id = invite(client, organiser, contact="moi@example.vn", fairs=["9" * 40])

    assert (twice.status_code, bad.status_code, foreign_fair.status_code, huge_id.status_code) == (400, 400, 400, 400)
    assertContains(twice, "đã ở trong nhóm", status_code=400)
    assertContains(bad, "số điện thoại Việt Nam", status_code=400)
    assert snapshot() == before
    assert Membership.objects.get(user=member).role == "reviewer"


# --- changes and removals ----------------------------------------------------------------------


def test_change_role_and_fairs_logs_each_change(client, organiser, fair, admin):
    member = factories.StaffUserFactory(username="duyet", role="reviewer")
    membership = Membership.objects.get(user=member)
    client.force_login(admin)
    url = reverse("team:member", args=[organiser.pk, membership.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "accountant", "fairs": [fair.pk]})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, list(membership.events.all())) == ("accountant", [fair])
    changes = list(
        TeamChange.objects.filter(member=member).order_by("id").values_list("action", "old_role", "new_role")
    )
    assert changes == [("role_changed", "reviewer", "accountant"), ("fairs_limited", "", "accountant")]
    log = client.get(page(organiser))
    assertContains(log, "Duyệt hồ sơ → Kế toán")
    # Saving the same values again changes and logs nothing.
    client.post(url, {"role": "accountant", "fairs": [fair.pk]})
    assert TeamChange.objects.filter(member=member).count() == 2


def test_remove_asks_first_then_removes_and_logs(client, organiser, admin):
    member = factories.StaffUserFactory(username="hientruong", first_name="Vũ Đức Thắng", role="floor")
    membership = Membership.objects.get(user=member)
    client.force_login(admin)
    url = reverse("team:remove", args=[organiser.pk, membership.pk])

    question = client.get(url)
    assert question.status_code == 200
    assertContains(question, "Vũ Đức Thắng")
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = client.post(url)

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=member.pk).exists()  # the account itself stays
    change = TeamChange.objects.get(action="removed")
    assert (change.member, change.old_role, change.changed_by) == (member, "floor", admin)


def test_last_administrator_cannot_be_removed_demoted_or_limited(client, organiser, fair, admin):
    mine = Membership.objects.get(user=admin)
    client.force_login(admin)
    before = snapshot()

    removed = client.post(reverse("team:remove", args=[organiser.pk, mine.pk]))
    demoted = client.post(reverse("team:member", args=[organiser.pk, mine.pk]), {"role": "viewer"})
    limited = client.post(reverse("team:member", args=[organiser.pk, mine.pk]), {"role": "admin", "fairs": [fair.pk]})

    assert (removed.status_code, demoted.status_code, limited.status_code) == (400, 400, 400)
    assertContains(removed, "quản trị cuối cùng", status_code=400)
    assertContains(demoted, "quản trị cuối cùng", status_code=400)
    assert snapshot() == before
    # the control: with a second administrator, the first one may step down
    factories.StaffUserFactory(username="quantri2", role="admin")
    assert client.post(reverse("team:member", args=[organiser.pk, mine.pk]), {"role": "viewer"}).status_code == 302
    assert Membership.objects.get(pk=mine.pk).role == "viewer"


def test_another_organisers_membership_id_is_not_found_and_nothing_changes(client, organiser, admin, other):
    other_organiser, _, other_admin = other
    theirs = Membership.objects.get(user=other_admin)
    client.force_login(admin)
    before = snapshot()

    answers = [
        client.post(reverse("team:member", args=[organiser.pk, theirs.pk]), {"role": "floor"}).status_code,
        client.post(reverse("team:remove", args=[organiser.pk, theirs.pk])).status_code,
        client.post(reverse("team:link", args=[organiser.pk, theirs.pk])).status_code,
        client.post(reverse("team:remove", args=[other_organiser.pk, theirs.pk])).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert snapshot() == before
    assert Membership.objects.get(pk=theirs.pk).role == "admin"


def test_new_link_for_a_member_without_a_password(client, organiser, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    invite(client, organiser, contact="0987654321", role="floor")
    membership = Membership.objects.get(user__username="0987654321")

    response = client.post(reverse("team:link", args=[organiser.pk, membership.pk]))

    assert response.status_code == 200
    link = link_in(response.content.decode())
    client.logout()
    assert client.get(link).status_code == 302  # to the form where the password is chosen
    assertNotContains(client.get(link, follow=True), 'id="invitation-link-invalid"')


def test_link_of_an_account_pending_at_another_organiser_is_not_shown(client, organiser, admin, other):
    other_organiser, _, other_admin = other
    client.force_login(other_admin)
    first = invite(client, other_organiser, contact="0987654321", role="floor")
    assertContains(first, 'id="pass-on"')  # the account works for that organiser only, so far
    client.force_login(admin)

    response = invite(client, organiser, contact="0987 654 321", role="viewer")
    membership = Membership.objects.get(organiser=organiser, user__username="0987654321")
    again = client.post(reverse("team:link", args=[organiser.pk, membership.pk]))

    assert response.status_code == again.status_code == 200
    for answer in (response, again):
        assertContains(answer, 'id="link-withheld"')
        assertNotContains(answer, "/staff/invitation/")
    # Now that it works for both, only the installation's superuser is shown a new link.
    client.force_login(other_admin)
    theirs = Membership.objects.get(organiser=other_organiser, user__username="0987654321")
    assertContains(client.post(reverse("team:link", args=[other_organiser.pk, theirs.pk])), 'id="link-withheld"')
    client.force_login(factories.StaffUserFactory(username="sieu", is_superuser=True))
    assertContains(client.post(reverse("team:link", args=[other_organiser.pk, theirs.pk])), 'id="pass-on"')


def test_change_log_is_paginated_newest_first(client, organiser, admin):
    for n in range(30):
        TeamChange.objects.create(organiser=organiser, member_name=f"Người {n:02d}", action="invited")
    client.force_login(admin)

    first = client.get(page(organiser))
    second = client.get(page(organiser), {"page": 2})

    assertContains(first, "Người 29")
    assertNotContains(first, "Người 04")
    assertContains(second, "Người 04")
