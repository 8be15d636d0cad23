"""Lockout that does not lock the innocent (issue 17, item 3): wrong passwords lock the pair (login,
address), an address has a higher limit of its own, and the organiser's administrators see and clear
lockouts in the admin. The business login and the admin login follow the same rules."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from events.models import Membership
from tests import factories

PASSWORD = "Hoa-sen-2024!"
OFFICE, PARK, HOME = "203.0.113.5", "198.51.100.7", "192.0.2.44"  # PARK: a whole industrial park's NAT


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def login(client, username, password, ip, url=None):
    return client.post(url or en("vendors:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client, username, password, ip):
    return login(client, username, password, ip, url=en("admin:login"))


def logged_in_user_id(client):
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


@pytest.fixture
def organiser_admin(db):
    return factories.StaffUserFactory(username="bantochuc", password=PASSWORD)


@pytest.fixture
def business_user(db):
    return factories.UserFactory(username="lan@example.vn", email="lan@example.vn", password=PASSWORD)


def businesses(count):
    return [
        factories.UserFactory(username=f"dn{n}@example.vn", email=f"dn{n}@example.vn", password=PASSWORD)
        for n in range(count)
    ]


# The pair (login, address) ----------------------------------------------------------------------


def test_wrong_passwords_from_elsewhere_do_not_lock_the_organiser_out(client, organiser_admin):
    for _ in range(5):
        login(client, "bantochuc", "wrong-password", ip=HOME)

    # Locked from the address that guessed, with the right password too …
    assertContains(login(client, "bantochuc", PASSWORD, ip=HOME), "Too many login attempts", status_code=429)
    # … but the organiser logs in from the office.
    response = login(client, "bantochuc", PASSWORD, ip=OFFICE)

    assert response.status_code == 302
    assert logged_in_user_id(client) == organiser_admin.pk


def test_the_admin_login_locks_the_pair_too(client, organiser_admin):
    for _ in range(4):
        assert admin_login(client, "bantochuc", "wrong-password", ip=HOME).status_code == 200
    assertContains(
        admin_login(client, "bantochuc", "wrong-password", ip=HOME), "Too many login attempts", status_code=429
    )
    assertContains(admin_login(client, "bantochuc", PASSWORD, ip=HOME), "Too many login attempts", status_code=429)

    response = admin_login(client, "bantochuc", PASSWORD, ip=OFFICE)

    assert response.status_code == 302
    assert logged_in_user_id(client) == organiser_admin.pk


# The address --------------------------------------------------------------------------------------


def test_a_few_mistakes_per_business_behind_one_address_lock_nobody(client, db):
    *mistaken, careful = businesses(4)
    for user in mistaken:  # 3 businesses × 4 wrong passwords: 12 from the park's address
        for _ in range(4):
            assertContains(login(client, user.username, "wrong-password", ip=PARK), "is not correct")

    response = login(client, careful.username, PASSWORD, ip=PARK)

    assert response.status_code == 302
    assert logged_in_user_id(client) == careful.pk


def test_the_address_is_locked_after_its_own_higher_limit(client, settings, db):
    settings.AXES_IP_FAILURE_LIMIT = 12
    users = businesses(4)
    for user in users[:3]:
        for _ in range(3):
            assertContains(login(client, user.username, "wrong-password", ip=PARK), "is not correct")
    for _ in range(2):  # failures 10 and 11 from the park
        assertContains(login(client, users[3].username, "wrong-password", ip=PARK), "is not correct")

    twelfth = login(client, users[3].username, "wrong-password", ip=PARK)

    assertContains(twelfth, "Too many wrong passwords came from your network", status_code=429)
    # Every login from the park is refused now, with the right password too, at both login pages …
    assertContains(login(client, users[0].username, PASSWORD, ip=PARK), "from your network", status_code=429)
    assertContains(admin_login(client, users[1].username, PASSWORD, ip=PARK), "from your network", status_code=429)
    assert logged_in_user_id(client) is None
    # … and from anywhere else nobody is.
    assert login(client, users[0].username, PASSWORD, ip=OFFICE).status_code == 302


def test_the_lockout_page_says_in_vietnamese_when_to_try_again(client, settings, business_user):
    settings.AXES_IP_FAILURE_LIMIT = 7
    url = reverse("vendors:login")  # the default language: Vietnamese
    for _ in range(5):
        page = login(client, "lan@example.vn", "wrong-password", ip=HOME, url=url)

    assertContains(page, "Vui lòng thử lại sau 15 phút.", status_code=429)

    for _ in range(2):
        page = login(client, "hoa@example.vn", "wrong-password", ip=HOME, url=url)
    assertContains(page, "Có quá nhiều lần nhập sai mật khẩu từ mạng của bạn", status_code=429)
    assertContains(page, "Vui lòng thử lại sau 15 phút.", status_code=429)


# Behind a reverse proxy ---------------------------------------------------------------------------

PROXY = "127.0.0.1"


def test_behind_a_proxy_each_visitor_keeps_their_own_address(client, settings, organiser_admin):
    settings.AXES_TRUSTED_PROXY_COUNT = 1
    for _ in range(5):  # a guesser who writes the office's address into the header himself
        client.post(
            en("vendors:login"),
            {"username": "bantochuc", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{OFFICE}, {HOME}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}

    response = Client().post(
        en("vendors:login"),
        {"username": "bantochuc", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )

    assert response.status_code == 302


# The admin: see and clear ------------------------------------------------------------------------


def lock_out(username, ip=HOME):
    """A client whose address is locked out of `username`."""
    guesser = Client()
    for _ in range(5):
        login(guesser, username, "wrong-password", ip=ip)
    assert login(guesser, username, PASSWORD, ip=ip).status_code == 429
    return guesser


def test_an_organiser_administrator_sees_and_clears_a_lockout(client, organiser_admin, business_user):
    guesser = lock_out("lan@example.vn")
    client.force_login(organiser_admin)
    changelist = en("admin:axes_accessattempt_changelist")

    page = client.get(changelist)
    assertContains(page, "lan@example.vn")
    assertContains(page, "Login locked from this address")
    attempt = AccessAttempt.objects.get(username="lan@example.vn")
    response = client.post(changelist, {"action": "clear_lockouts", "_selected_action": [attempt.pk]}, follow=True)

    assertContains(response, "Cleared 1 failed-login record")
    assert not AccessAttempt.objects.exists()
    assert login(guesser, "lan@example.vn", PASSWORD, ip=HOME).status_code == 302


def test_other_roles_neither_see_nor_clear_lockouts(client, business_user):
    lock_out("lan@example.vn")
    attempt = AccessAttempt.objects.get()
    reviewer = factories.StaffUserFactory(role=Membership.Role.REVIEWER)
    client.force_login(reviewer)
    changelist = en("admin:axes_accessattempt_changelist")

    assert client.get(changelist).status_code == 403
    response = client.post(changelist, {"action": "clear_lockouts", "_selected_action": [attempt.pk]})

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_only_a_superuser_reads_the_access_log(client, organiser_admin):
    client.force_login(organiser_admin)
    assert client.get(en("admin:axes_accesslog_changelist")).status_code == 403
    assert client.get(en("admin:axes_accessfailurelog_changelist")).status_code == 403

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    assert client.get(en("admin:axes_accesslog_changelist")).status_code == 200


def test_the_lockout_list_costs_the_same_queries_with_few_and_many_rows(client, organiser_admin):
    client.force_login(organiser_admin)
    changelist = en("admin:axes_accessattempt_changelist")

    def queries_with(count):
        guesser = Client()
        for n in range(count):
            login(guesser, f"nobody{n}@example.vn", "wrong-password", ip=f"192.0.2.{n + 1}")
        client.get(changelist)  # warm the session and the caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(changelist)
        assert page.status_code == 200
        return len(queries)

    few = queries_with(1)
    assert queries_with(9) == few
