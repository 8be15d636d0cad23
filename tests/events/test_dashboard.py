"""The staff area: list of fairs, one fair's dashboard, who may see them, and the base layout."""

import datetime as dt
import re

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from booths.models import Assignment
from tests import factories
from tuanhang.office.selectors import dashboard as selectors
from vendors.models import Application

A = Application.Status


def en(name, **kwargs):
    """A URL of the English interface, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def vi(name, **kwargs):
    """A URL of the default (Vietnamese) interface: no language prefix."""
    with translation.override("vi"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


@pytest.fixture
def small_fair(db):
    """7 booths in two zones (1 blocked, 1 held, 1 confirmed, 1 released), 6 applications."""
    event = factories.EventFactory(
        name="Hội chợ Nông sản Thủy Nguyên",
        slug="hoi-cho-nong-san",
        booth_fee=6_000_000,
        subsidy_percent=30,
        deposit=1_500_000,
        max_booths_per_participant=2,
    )
    ocop = factories.ZoneFactory(event=event, code="B", name="Khu OCOP", colour="#d62728", position=1)
    farm = factories.ZoneFactory(event=event, code="C", name="Khu nông sản", colour="#2ca02c", position=2)
    standard = factories.BoothTypeFactory(event=event)
    b = [factories.BoothFactory(event=event, zone=ocop, booth_type=standard, code=f"B0{i}") for i in range(1, 4)]
    factories.BoothFactory(event=event, zone=ocop, booth_type=standard, code="B04", blocked=True)
    c = [factories.BoothFactory(event=event, zone=farm, booth_type=standard, code=f"C0{i}") for i in range(1, 4)]
    approved = [factories.ApplicationFactory(event=event, status=A.APPROVED, booths_requested=n) for n in (1, 1, 2)]
    factories.ApplicationFactory.create_batch(2, event=event, status=A.SUBMITTED)
    factories.ApplicationFactory(event=event, status=A.REJECTED)
    factories.AssignmentFactory(booth=b[0], application=approved[0])
    factories.AssignmentFactory(booth=c[0], application=approved[1], status=Assignment.Status.CONFIRMED)
    factories.AssignmentFactory(
        booth=c[1], application=approved[2], status=Assignment.Status.RELEASED, released_at=timezone.now()
    )
    # Another fair's rows must not be counted.
    factories.ApplicationFactory(status=A.APPROVED)
    factories.BoothFactory()
    return event


# --- dashboard content ------------------------------------------------------------------


def test_dashboard_counts_applications_by_status_including_zeros(staff_client, small_fair):
    response = staff_client.get(en("events:dashboard", slug=small_fair.slug))

    assert response.status_code == 200
    base = f"/en/admin/vendors/application/?event__id__exact={small_fair.pk}&amp;status__exact="
    for status, label, count in [
        ("draft", "Draft", 0),
        ("submitted", "Submitted", 2),
        ("approved", "Approved", 3),
        ("waitlisted", "Waitlisted", 0),
        ("rejected", "Rejected", 1),
        ("withdrawn", "Withdrawn", 0),
        ("cancelled", "Cancelled", 0),
    ]:
        name = f"{count} applications with status “{label}”"
        cell = f'<a class="count-link" href="{base}{status}" aria-label="{name}">{count}</a>' if count else str(count)
        assertInHTML(
            f'<tr data-status="{status}"><td><span class="badge application-status application-status-{status}">'
            f'{label}</span></td><td class="text-end">{cell}</td></tr>',
            response.content.decode(),
        )
    assertContains(response, '<div class="fs-3 fw-semibold" id="total-applications">6</div>', html=True)
    assertContains(response, "Approved applications ask for 4 booths in all.")
    assertContains(response, "1 approved application has no booth yet.")


def test_dashboard_counts_booths_free_assigned_blocked(staff_client, small_fair):
    response = staff_client.get(en("events:dashboard", slug=small_fair.slug))

    assertContains(response, '<div class="fs-3 fw-semibold text-success" id="free-booths">4</div>', html=True)
    assertContains(response, '<div class="small text-body-secondary">of 7 booths</div>', html=True)
    assertContains(response, '<div class="fs-3 fw-semibold text-primary" id="assigned-booths">2</div>', html=True)
    assertContains(response, '<div class="small text-body-secondary">1 held, 1 confirmed</div>', html=True)
    assertContains(response, '<div class="fs-3 fw-semibold text-secondary" id="blocked-booths">1</div>', html=True)


def test_dashboard_lists_booths_by_zone(staff_client, small_fair):
    response = staff_client.get(en("events:dashboard", slug=small_fair.slug))
    html = response.content.decode()

    rows = re.findall(r'<tr data-zone="(\w+)">.*?</th>\s*((?:<td class="text-end">\d+</td>\s*){4})', html, re.S)
    cells = {zone: re.findall(r"\d+", numbers) for zone, numbers in rows}
    # free, assigned, blocked, total
    assert cells == {"B": ["2", "1", "1", "4"], "C": ["2", "1", "0", "3"]}
    assertContains(response, '<span class="zone-swatch" data-colour="#d62728" aria-hidden="true"></span>', html=True)
    assert html.index("B – Khu OCOP") < html.index("C – Khu nông sản")


def test_dashboard_shows_days_to_each_deadline(staff_client, small_fair):
    response = staff_client.get(en("events:dashboard", slug=small_fair.slug))
    html = response.content.decode()

    found = dict(re.findall(r'data-deadline="(\w+)">.*?text-nowrap">([^<]+)</span>', html, re.S))
    assert found == {
        "registration_opens_at": "10 days ago",
        "registration_closes_at": "in 20 days",
        "setup_at": "in 29 days",
        "opens_at": "in 30 days",
        "closes_at": "in 35 days",
    }
    opening = timezone.localdate() + dt.timedelta(days=30)
    assertContains(response, f"08:00 {opening:%d/%m/%Y}")


def test_event_deadlines_say_today_and_not_set(small_fair):
    small_fair.setup_at = None
    today = timezone.localdate(small_fair.opens_at)

    deadlines = {d.key: d.days for d in selectors.event_deadlines(event=small_fair, today=today)}

    assert deadlines == {
        "registration_opens_at": -40,
        "registration_closes_at": -10,
        "setup_at": None,
        "opens_at": 0,
        "closes_at": 5,
    }


def test_dashboard_shows_fees_in_vnd(staff_client, small_fair):
    response = staff_client.get(en("events:dashboard", slug=small_fair.slug))

    assertContains(response, '<dt>Fee per standard booth</dt><dd class="text-nowrap">6.000.000 ₫</dd>', html=True)
    assertContains(response, "<dt>Subsidy</dt><dd>30%</dd>", html=True)
    assertContains(
        response, '<dt>Fee after subsidy</dt><dd class="text-nowrap fw-semibold">4.200.000 ₫</dd>', html=True
    )
    assertContains(response, '<dt>Deposit</dt><dd class="text-nowrap">1.500.000 ₫</dd>', html=True)


def test_dashboard_links_to_admin_pages_filtered_for_the_fair(staff_client, small_fair):
    response = staff_client.get(en("events:dashboard", slug=small_fair.slug))
    pk = small_fair.pk

    links = re.findall(
        r'<a class="btn btn-outline-primary btn-sm" href="([^"]+)">([^<]+)</a>', response.content.decode()
    )
    assert links == [
        (f"/en/admin/events/event/{pk}/change/", "Edit this fair"),
        (f"/en/admin/vendors/application/?event__id__exact={pk}", "Applications"),
        (f"/en/admin/vendors/vendor/?applications__event__id__exact={pk}", "Participants"),
        (f"/en/admin/events/zone/?event__id__exact={pk}", "Zones"),
        (f"/en/admin/booths/booth/?event__id__exact={pk}", "Booths"),
        (f"/en/admin/events/boothtype/?event__id__exact={pk}", "Booth types"),
        (f"/en/admin/booths/assignment/?booth__event__id__exact={pk}", "Booth assignments"),
    ]


def test_dashboard_admin_links_open_for_an_organiser(client, small_fair):
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    html = client.get(en("events:dashboard", slug=small_fair.slug)).content.decode()

    hrefs = set(re.findall(r'href="(/en/admin/[^"]+)"', html))
    assert len(hrefs) == 10  # 7 shortcuts + the 3 statuses that have applications
    for href in sorted(hrefs):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


# --- query counts -----------------------------------------------------------------------


def _fair_with(size):
    event = factories.EventFactory()
    zones = factories.ZoneFactory.create_batch(3, event=event)
    standard = factories.BoothTypeFactory(event=event)
    booths = [
        factories.BoothFactory(event=event, zone=zones[i % 3], booth_type=standard, blocked=i % 7 == 6)
        for i in range(size)
    ]
    statuses = list(A)
    applications = [factories.ApplicationFactory(event=event, status=statuses[i % 7]) for i in range(size)]
    for i in range(0, size, 2):
        if not booths[i].blocked:
            factories.AssignmentFactory(booth=booths[i], application=applications[i])
    return event


@pytest.mark.parametrize("size", [5, 200])
def test_dashboard_query_count_does_not_grow_with_the_fair(staff_client, django_assert_num_queries, size):
    event = _fair_with(size)
    url = en("events:dashboard", slug=event.slug)

    # session, user, the user's memberships and their fair limits, the fair, the application
    # aggregate, the zones with booth counts
    with django_assert_num_queries(7):
        response = staff_client.get(url)

    assert response.status_code == 200
    assertContains(response, f'<div class="fs-3 fw-semibold" id="total-applications">{size}</div>', html=True)


@pytest.mark.parametrize("fairs", [2, 30])
def test_staff_home_query_count_does_not_grow_with_the_fairs(staff_client, django_assert_num_queries, fairs):
    for event in factories.EventFactory.create_batch(fairs):
        factories.ApplicationFactory(event=event)
        factories.BoothFactory(event=event)

    # session, user, the user's memberships and their fair limits (which also say whether it sees
    # several organisers), the teams it manages, the page count, the page of fairs with their counts,
    # the page's OCOP products (listed on applications; of businesses listing none)
    with django_assert_num_queries(9):
        response = staff_client.get(en("events:staff_home"))

    assert response.status_code == 200
    assert len(response.context["events"]) == min(fairs, 20)


# --- list of fairs ----------------------------------------------------------------------


def test_staff_home_lists_fairs_with_dates_status_and_counts(staff_client, small_fair):
    response = staff_client.get(en("events:staff_home"))

    opens, closes = timezone.localtime(small_fair.opens_at), timezone.localtime(small_fair.closes_at)
    row = re.search(
        r'<a class="fw-semibold" href="/en/staff/fairs/hoi-cho-nong-san/">Hội chợ Nông sản Thủy Nguyên</a>(.*?)</tr>',
        response.content.decode(),
        re.S,
    )
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in cells] == [
        f"{opens:%d/%m/%Y} – {closes:%d/%m/%Y}",
        "Registration open",
        "6",  # applications
        "3",  # businesses taking part (approved)
        "1",  # their provinces
        "0",  # OCOP products they show
        "7",  # booths
    ]


def test_staff_home_paginates_twenty_fairs_a_page(staff_client):
    factories.EventFactory.create_batch(23)

    first = staff_client.get(en("events:staff_home"))
    second = staff_client.get(en("events:staff_home"), {"page": 2})

    assert len(first.context["events"]) == 20
    assert len(second.context["events"]) == 3
    assertContains(first, '<a class="page-link" href="?page=2">Next</a>', html=True)


def test_staff_home_without_fairs_explains_how_to_start(staff_client):
    response = staff_client.get(en("events:staff_home"))

    assertContains(response, "There is no fair yet.")
    assertContains(response, "python manage.py seed_demo")


# --- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["events:staff_home", "events:dashboard"])
def test_staff_pages_send_anonymous_visitors_to_login(client, small_fair, name):
    url = vi(name, **({"slug": small_fair.slug} if name == "events:dashboard" else {}))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{vi('vendors:login')}?next={url}"


@pytest.mark.parametrize("name", ["events:staff_home", "events:dashboard"])
def test_staff_pages_forbid_signed_in_non_staff(client, small_fair, name):
    client.force_login(factories.UserFactory())
    url = vi(name, **({"slug": small_fair.slug} if name == "events:dashboard" else {}))

    response = client.get(url)

    assert response.status_code == 403


def test_dashboard_of_unknown_fair_is_404(staff_client):
    response = staff_client.get(vi("events:dashboard", slug="khong-co-hoi-cho-nay"))

    assert response.status_code == 404


# --- base layout ------------------------------------------------------------------------


def test_base_layout_sets_html_lang_per_language(staff_client):
    assertContains(staff_client.get(vi("events:staff_home")), '<html lang="vi">')
    assertContains(staff_client.get(en("events:staff_home")), '<html lang="en">')


def test_base_layout_has_viewport_navigation_and_language_switcher(staff_client):
    response = staff_client.get(en("events:staff_home"))
    html = response.content.decode()

    assertContains(response, '<meta name="viewport" content="width=device-width, initial-scale=1">', html=True)
    assertContains(response, "<title>Fairs · tuanhang</title>", html=True)
    assertContains(response, '<a class="nav-link" href="/en/admin/">Admin</a>', html=True)
    form = re.search(r'<form action="/i18n/setlang/" method="post".*?</form>', html, re.S)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert '<input type="hidden" name="next" value="/staff/">' in form.group(0)
    assert re.findall(r'name="language" value="(\w+)"', form.group(0)) == ["vi", "en"]


def test_language_switcher_changes_the_interface_language(staff_client):
    response = staff_client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})

    assert response.status_code == 302
    assert response.url == "/en/staff/"


def test_base_layout_uses_local_bootstrap_and_no_inline_script(staff_client):
    response = staff_client.get(en("events:staff_home"))
    html = response.content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, body in scripts if "src=" not in attrs or body.strip()] == []
    assert '<link rel="stylesheet" href="/static/vendor/bootstrap/bootstrap.min.css">' in html
    assert '<script src="/static/vendor/bootstrap/bootstrap.bundle.min.js" defer></script>' in html
    # Every script, stylesheet and image comes from this site, never from a CDN. (Matching the
    # word "cdn" in the page would also hit the random CSRF token now and then.)
    resources = re.findall(r'<(?:script|img|link)\b[^>]*?\b(?:src|href)="([^"]*)"', html)
    assert resources
    assert [url for url in resources if not url.startswith("/") or url.startswith("//")] == []
    for path in ["bootstrap.min.css", "bootstrap.bundle.min.js", "LICENSE"]:
        assert finders.find(f"vendor/bootstrap/{path}"), path


def test_non_staff_do_not_see_staff_links(client, db):
    client.force_login(factories.UserFactory())
    html = render_to_string("includes/navbar.html", {"user": factories.UserFactory(username="khach")})

    assert "/admin/" not in html.replace("/admin/login/", "").replace("/admin/logout/", "")


def test_messages_render_as_bootstrap_alerts():
    with translation.override("en"):
        html = render_to_string(
            "includes/messages.html",
            {
                "messages": [
                    Message(message_levels.ERROR, "Booth A01 was just taken by another participant."),
                    Message(message_levels.SUCCESS, "3 applications approved."),
                ]
            },
        )

    assertInHTML(
        '<div class="alert alert-danger alert-dismissible fade show" role="alert">'
        "Booth A01 was just taken by another participant."
        '<button type="button" class="btn-close" data-bs-dismiss="alert" aria-label="Close"></button></div>',
        html,
    )
    assertInHTML(
        '<div class="alert alert-success alert-dismissible fade show" role="alert">3 applications approved.'
        '<button type="button" class="btn-close" data-bs-dismiss="alert" aria-label="Close"></button></div>',
        html,
    )


def test_dashboard_escapes_fair_names(staff_client):
    factories.EventFactory(name="<script>alert(1)</script>", slug="xss")

    response = staff_client.get(en("events:dashboard", slug="xss"))

    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
