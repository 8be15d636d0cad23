"""seed_demo's two organisers and its logins: one account per role, each kept to its organiser's
fairs, made once however often the seed runs, and listed in its output."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from events import policy
from events.models import Event, Membership, Organiser
from events.models.teams import TeamChange
from tests.shared_setup import made_once
from tuanhang.office.demo import DEFAULT_PASSWORD, data
from vendors.models import Application

User = get_user_model()
FIRST = "tuan-hang-viet-nam-vsip-thuy-nguyen-2024"
SECOND = "hoi-cho-doanh-nghiep-nho-va-vua-hai-phong-2024"
ROLES_EN = {
    "admin": "Administrator",
    "reviewer": "Application reviewer",
    "accountant": "Accountant",
    "floor": "Floor staff",
    "viewer": "Reports only",
    "oversight": "Oversight (read-only)",
}


def seed():
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def team_counts():
    return {
        "users": User.objects.count(),
        "organisers": Organiser.objects.count(),
        "memberships": Membership.objects.count(),
        "team changes": TeamChange.objects.count(),
        "fairs": Event.objects.count(),
        "applications": Application.objects.count(),
    }


def logs_in(client, username, password=DEFAULT_PASSWORD) -> bool:
    response = client.post(reverse("vendors:login"), {"username": username, "password": password})
    return response.status_code == 302 and response.url == reverse("events:staff_home")


@pytest.fixture(scope="class")
def _seeded_once(django_db_setup, django_db_blocker):
    yield from made_once(django_db_blocker, seed)


@pytest.fixture
def demo(_seeded_once, db):
    return _seeded_once


def test_seed_demo_twice_adds_no_login_membership_or_log_row(db):
    seed()
    first = team_counts()
    hashes = dict(User.objects.values_list("username", "password"))

    output = seed()

    assert team_counts() == first
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert "Created: nothing (already there)" in output


def test_seed_demo_login_table_in_vietnamese(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    text = out.getvalue()
    assert "Tên đăng nhập" in text and "Mật khẩu" in text
    assert "ttkc.hientruong  tuanhang-demo" in text
    assert next(line for line in text.splitlines() if line.startswith("ttkc.duyethoso")).endswith("Duyệt hồ sơ")
    oversight = next(line for line in text.splitlines() if line.startswith("so.congthuong"))
    assert oversight.endswith("Cơ quan quản lý (chỉ xem)")


class TestTheSeededDemo:
    """Checks of one demo seed, made once for the class (tests/shared_setup.py): each test runs in
    its own savepoint inside the seed's transaction, so it sees the logins exactly as seeded."""

    def test_seed_demo_makes_two_organisers_each_with_its_fair(self, demo):
        first = Event.objects.select_related("organiser").get(slug=FIRST)
        second = Event.objects.select_related("organiser").get(slug=SECOND)

        assert first.organiser.name == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng"
        assert second.organiser.name == "Hiệp hội Doanh nghiệp nhỏ và vừa Hải Phòng"
        assert second.status == Event.Status.REGISTRATION_OPEN
        statuses = sorted(second.applications.values_list("status", flat=True))
        assert statuses == sorted(data.EVENT_2_APPLICATIONS)
        # One registry of businesses: the second fair's participants are the same records as at the first.
        assert set(second.applications.values_list("vendor_id", flat=True)) <= set(
            first.applications.values_list("vendor_id", flat=True)
        )
        assert all(a.vendor.province_id == "31" for a in second.applications.select_related("vendor"))

    def test_seed_demo_makes_one_login_per_role_with_its_membership(self, demo, client):
        first = Organiser.objects.get(events__slug=FIRST)
        second = Organiser.objects.get(events__slug=SECOND)
        expected = {username: (first if number == 1 else second, role) for username, number, role, _ in data.LOGINS}

        memberships = {
            m.user.username: (m.organiser, m.role)
            for m in Membership.objects.select_related("user", "organiser").filter(user__username__in=expected)
        }

        assert memberships == expected
        assert {role for organiser, role in expected.values() if organiser == first} == set(Membership.Role)
        for username in [*expected, "organiser"]:
            user = User.objects.get(username=username)
            assert user.is_staff and user.is_active, username
            assert user.is_superuser == (username == "organiser"), username
            assert logs_in(client, username), username
            client.logout()
        # Each membership was added through the team service: the team pages show who was invited.
        invited = set(TeamChange.objects.filter(action="invited").values_list("member__username", flat=True))
        assert invited == set(expected)

    def test_seed_demo_logins_see_only_their_organisers_fair(self, demo):
        first = Event.objects.get(slug=FIRST)
        second = Event.objects.get(slug=SECOND)

        def user(username):
            return User.objects.get(username=username)

        assert list(policy.fairs_for(user("hiephoi.quantri"))) == [second]
        assert list(policy.fairs_for(user("ttkc.quantri"))) == [first]
        assert policy.can(user("ttkc.hientruong"), "checkin.record", first)
        assert not policy.can(user("ttkc.hientruong"), "application.decide", first)
        assert policy.can(user("ttkc.ketoan"), "payment.record", first)
        assert not policy.can(user("ttkc.ketoan"), "application.decide", first)
        assert policy.can(user("so.congthuong"), "report.view", first)
        assert not policy.can(user("so.congthuong"), "application.decide", first)
        assert set(policy.fairs_for(user("organiser"))) == {first, second}  # the superuser

    def test_seed_demo_prints_every_login_with_its_password_organiser_and_role(self, demo):
        lines = demo.splitlines()

        assert "Organiser login: organiser / tuanhang-demo" in demo
        assert "Demo logins (one per role; each sees only its organiser's fairs):" in demo
        for username, number, role, _ in data.LOGINS:
            organiser = "TTKC Hải Phòng" if number == 1 else "Hiệp hội DNNVV Hải Phòng"
            row = next(line for line in lines if line.startswith(f"{username} "))
            assert row.split()[1] == "tuanhang-demo", row
            assert organiser in row and row.endswith(ROLES_EN[role]), row
        assert next(line for line in lines if line.startswith("organiser ")).endswith(
            "Superuser (every organiser) and administrator"
        )
