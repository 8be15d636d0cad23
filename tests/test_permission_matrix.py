"""The permission matrix of the whole project: every URL pattern, for every kind of visitor.

Visitors: anonymous; another business (B, a second tenant); the business owner (A); staff (an
is_staff account with no admin permissions: the floor staff on setup day); and an organiser (a
superuser who runs the fair in the admin). Rules:
- anonymous → the login page for anything private;
- another tenant's objects → 404 (tests/vendors/test_boundaries.py checks the vendors URLs in
  depth: private details, refused posts that write nothing and their positive controls);
- missing rights → 403: businesses on staff pages, staff without permissions in the admin.

`test_every_url_pattern_has_an_entry` fails when a URL is added anywhere without an entry here
(for the vendors app, in the vendors table this one builds on); the admin is walked model by model.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from booths.models import AllocationRun, Assignment
from events.generated import services as generated
from events.models import Membership
from tests import factories
from tests.vendors import test_boundaries as vendor_matrix
from tests.vendors._boundary_support import FAST_HASHERS, build_world
from tuanhang.office.reminders.models import ReminderDelivery
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import Application

ROLES = ("anonymous", "other_business", "owner", "staff", "organiser")
Expect, Route = vendor_matrix.Expect, vendor_matrix.Route
OK, NOT_FOUND, FORBIDDEN, LOGIN = (
    vendor_matrix.OK,
    vendor_matrix.NOT_FOUND,
    vendor_matrix.FORBIDDEN,
    vendor_matrix.LOGIN,
)
CREATE_PROFILE = vendor_matrix.CREATE_PROFILE
REDIRECT = Expect(302, "any")  # answered with a redirect (where to is the view's own business)
BAD_REQUEST = Expect(400)


def public(**overrides):
    return {**dict.fromkeys(ROLES, OK), **overrides}


def staff_page(**overrides):
    return {
        "anonymous": LOGIN,
        "other_business": FORBIDDEN,
        "owner": FORBIDDEN,
        "staff": OK,
        "organiser": OK,
        **overrides,
    }


def business_page(**overrides):
    return {
        "anonymous": LOGIN,
        "other_business": OK,
        "owner": OK,
        "staff": CREATE_PROFILE,
        "organiser": CREATE_PROFILE,
        **overrides,
    }


def _slug(w):
    return {"slug": w.fair.slug}


def _team_member(w):
    return {"pk": w.fair.organiser_id, "member_pk": Membership.objects.get(user=w.staff).pk}


TABLE: dict[str, Route] = {
    # --- the site as a whole ---
    ":home": Route(expect=public()),
    ":sitemap": Route(expect=public()),
    ":robots_txt": Route(expect=public()),
    ":set_language": Route(method="post", expect=dict.fromkeys(ROLES, REDIRECT)),
    "public:fair": Route(kwargs=_slug, expect=public()),
    # --- staff area and prints ---
    "events:staff_home": Route(expect=staff_page()),
    "events:dashboard": Route(kwargs=_slug, expect=staff_page()),
    "events:printing": Route(kwargs=_slug, expect=staff_page()),
    "events:printing_build": Route(
        method="post",
        kwargs=lambda w: {"slug": w.fair.slug, "kind": "participants"},
        expect=staff_page(staff=REDIRECT, organiser=REDIRECT),
    ),
    "events:export": Route(
        kwargs=lambda w: {"slug": w.fair.slug, "key": "participants", "fmt": "csv"}, expect=staff_page()
    ),
    "events:generated_file": Route(kwargs=lambda w: {"pk": w.generated.pk}, expect=staff_page()),
    "events:generated_file_progress": Route(kwargs=lambda w: {"pk": w.generated.pk}, expect=staff_page()),
    "events:generated_file_download": Route(kwargs=lambda w: {"pk": w.generated.pk}, expect=staff_page()),
    # --- floor plan, map, selection, allocation ---
    "booths:floorplan": Route(kwargs=_slug, expect=staff_page()),
    # Empty forms: the floor-plan page with the form's errors.
    "booths:generate": Route(method="post", kwargs=_slug, expect=staff_page()),
    "booths:block": Route(method="post", kwargs=_slug, expect=staff_page()),
    "booths:unblock": Route(method="post", kwargs=_slug, expect=staff_page()),
    "booths:merge": Route(method="post", kwargs=_slug, expect=staff_page()),
    "booths:import": Route(kwargs=_slug, expect=staff_page()),
    "booths:map_staff": Route(kwargs=_slug, expect=staff_page()),
    "booths:map_public": Route(kwargs=_slug, expect=public()),
    "booths:map_svg": Route(kwargs=_slug, expect=public()),
    "booths:map_vendor": Route(kwargs=_slug, expect=business_page()),
    # A's application is not approved yet: the page says why it cannot choose.
    "booths:select": Route(kwargs=_slug, expect=business_page()),
    # The script's endpoint looks the application up by the account: none without a business.
    "booths:select_api": Route(kwargs=_slug, expect=business_page(staff=NOT_FOUND, organiser=NOT_FOUND)),
    "booths:allocation": Route(kwargs=_slug, expect=staff_page()),
    "booths:allocation_run": Route(kwargs=lambda w: {"pk": w.run.pk}, expect=staff_page()),
    "booths:allocation_adjust": Route(
        method="post", kwargs=lambda w: {"pk": w.run.pk}, expect=staff_page(staff=REDIRECT, organiser=REDIRECT)
    ),
    # Nothing confirmed: the plan's page again, answered 400.
    "booths:allocation_apply": Route(
        method="post", kwargs=lambda w: {"pk": w.run.pk}, expect=staff_page(staff=BAD_REQUEST, organiser=BAD_REQUEST)
    ),
    # --- reminders and reports ---
    "reminders:log": Route(kwargs=_slug, expect=staff_page()),
    "reminders:resend": Route(
        method="post",
        kwargs=lambda w: {"slug": w.fair.slug, "pk": w.failed_delivery.pk},
        expect=staff_page(staff=REDIRECT, organiser=REDIRECT),
    ),
    "reminders:defaults": Route(method="post", kwargs=_slug, expect=staff_page(staff=REDIRECT, organiser=REDIRECT)),
    "reports:page": Route(kwargs=_slug, expect=staff_page()),
    "reports:chart_csv": Route(kwargs=lambda w: {"slug": w.fair.slug, "key": "provinces"}, expect=staff_page()),
    # --- the organiser's team (staff: its administrator; an empty invitation is answered 400) ---
    "team:page": Route(kwargs=lambda w: {"pk": w.fair.organiser_id}, expect=staff_page()),
    "team:invite": Route(
        method="post",
        kwargs=lambda w: {"pk": w.fair.organiser_id},
        expect=staff_page(staff=BAD_REQUEST, organiser=BAD_REQUEST),
    ),
    "team:member": Route(kwargs=_team_member, expect=staff_page()),
    "team:remove": Route(kwargs=_team_member, expect=staff_page()),  # the confirmation page
    # The member has a password already: back to the team page.
    "team:link": Route(method="post", kwargs=_team_member, expect=staff_page(staff=REDIRECT, organiser=REDIRECT)),
    # A broken invitation link: the page says so, to anyone.
    "team:accept": Route(kwargs=lambda w: {"uidb64": "MQ", "token": "abc-def"}, expect=public()),
    # A's approved application (at a third fair): only A enters its sales.
    "reports:sales": Route(kwargs=lambda w: {"pk": w.approved_a.pk}, expect=business_page(other_business=NOT_FOUND)),
}


def _from_vendor_table(route: Route) -> Route:
    """A vendors URL as its own table has it; an organiser is answered as staff are."""
    expect = {role: route.expect[role] for role in ("anonymous", "other_business", "owner", "staff")}
    expect["organiser"] = route.expect["staff"]
    return Route(kwargs=route.kwargs, expect=expect, method=route.method, query=route.query)


TABLE.update({f"vendors:{name}": _from_vendor_table(route) for name, route in vendor_matrix.TABLE.items()})


def _url_names(patterns=None, namespace="") -> set[str]:
    """Every named URL pattern of the project as "namespace:name", the admin's left out."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            names |= _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}")
    return names


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = FAST_HASHERS
    w = build_world()
    w.organiser = factories.StaffUserFactory(username="to.chuc", is_superuser=True)
    w.users = {
        "anonymous": None,
        "other_business": w.owner_b,
        "owner": w.owner_a,
        "staff": w.staff,
        "organiser": w.organiser,
    }
    zone = factories.ZoneFactory(event=w.fair, code="A", name="Khu OCOP")
    booth = factories.BoothFactory(event=w.fair, zone=zone, code="A01", x=0, y=0)
    listed = factories.ApplicationFactory(event=w.fair, status=Application.Status.APPROVED)
    Assignment.objects.create(booth=booth, application=listed, status=Assignment.Status.CONFIRMED)
    w.listed = listed
    w.run = AllocationRun.objects.create(event=w.fair, status=AllocationRun.Status.DONE, created_by=w.organiser)
    # A's approved application at a fair of its own (the second fair is the one A may still apply to).
    w.approved_a = factories.ApplicationFactory(
        vendor=w.vendor_a, event=factories.EventFactory(slug="hoi-cho-da-qua"), status=Application.Status.APPROVED
    )
    reminder_rules_create_defaults(event=w.fair)
    w.failed_delivery = ReminderDelivery.objects.create(
        rule=w.fair.reminder_rules.order_by("pk").first(),
        application=w.application_a,
        event=w.fair,
        due_at=timezone.now(),
        status="failed",
        attempts=5,
        last_error="550 5.1.1 mailbox unavailable",
    )
    w.generated = generated.generated_file_request(
        event=w.fair, kind="participants", options={"order": "name"}, by=w.organiser
    )
    return w


def _url(world, name) -> str:
    route = TABLE[name]
    url = reverse(name.removeprefix(":"), kwargs=route.kwargs(world) or None)
    if route.query:
        url += "?" + "&".join(f"{key}={value}" for key, value in route.query.items())
    return url


def _as(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_pattern_has_an_entry():
    missing = _url_names() - set(TABLE)
    stale = set(TABLE) - _url_names()
    assert (missing, stale) == (set(), set()), "add the new URL to TABLE in tests/test_permission_matrix.py"


def test_every_entry_says_what_each_kind_of_visitor_gets():
    for name, route in TABLE.items():
        assert set(route.expect) == set(ROLES), name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_answers_each_kind_of_visitor_as_the_table_says(client, world, name, role):
    route = TABLE[name]
    url = _url(world, name)

    response = getattr(_as(client, world, role), route.method)(url)

    expect = route.expect[role]
    assert response.status_code == expect.status, (url, role, response.status_code, getattr(response, "url", ""))
    if expect.status == 302 and expect.to != "any":
        assert response.url == expect.location(world, url)
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()


# --- the admin, model by model ----------------------------------------------------------------


def _admin_pages(world):
    """(label, URL, what an organiser may do there) for every model the admin shows, and its extra pages."""
    request = RequestFactory().get("/admin/")
    request.user = world.organiser
    pages = [("index", reverse("admin:index"), True)]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{model._meta.label} list", reverse(f"{prefix}_changelist"), True))
        pages.append((f"{model._meta.label} add", reverse(f"{prefix}_add"), model_admin.has_add_permission(request)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            change = reverse(f"{prefix}_change", args=[obj.pk])
            pages.append((f"{model._meta.label} change", change, True))
    pages.append(("vendor import", reverse("admin:vendors_vendor_import"), True))
    pages.append(("booth import", reverse("admin:booths_booth_import"), True))
    return pages


ADMIN_EXTRA_URLS = {"vendors_vendor_import", "booths_booth_import"}
ADMIN_STANDARD = ("_changelist", "_add", "_change", "_delete", "_history")
ADMIN_SITE_URLS = {"index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n"}
ADMIN_SITE_URLS |= {"view_on_site", "app_list"}


def test_every_extra_admin_page_is_walked():
    names = {p.name for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name}
    for model_admin in admin.site._registry.values():
        names |= {p.name for p in model_admin.get_urls() if p.name}
    extra = {name for name in names if not name.endswith(ADMIN_STANDARD) and name not in ADMIN_SITE_URLS}
    assert extra == ADMIN_EXTRA_URLS


@pytest.mark.parametrize("role", ROLES)
def test_admin_answers_each_kind_of_visitor(client, world, role):
    _as(client, world, role)
    wrong = []
    for label, url, organiser_may in _admin_pages(world):
        response = client.get(url)
        if role in ("anonymous", "other_business", "owner"):
            ok = response.status_code == 302 and response.url == redirect_to_login(url, reverse("admin:login")).url
        elif role == "staff":
            # No permission at all: the index says so, every model page refuses.
            ok = response.status_code == (200 if label == "index" else 403)
        else:
            ok = response.status_code == (200 if organiser_may else 403)
        if not ok:
            wrong.append((label, url, response.status_code))
    assert wrong == []
