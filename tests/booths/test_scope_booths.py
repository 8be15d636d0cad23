"""Organisers kept apart on the floor plan, allocation and staff map pages (issue 16).

The floor plan and allocation pages change the fair (fair.manage: administrators only); the staff
map reads it (fair.view: every role). Another organiser's fair or run answers 404 like an address
with nothing there, and so does a fair outside the account's limits or an account of no organiser;
a role of the right organiser that may not act answers 403 with the Vietnamese refusal. Refused
writes change nothing. Booth codes, zones and applications sent in a form are looked up within the
fair (or the run's plan): another fair's are refused on the form and nothing is written."""

import pytest
from django.urls import reverse
from django.utils import translation

from booths.models import AllocationRules, AllocationRun, Assignment, Booth
from booths.services import allocation as services
from booths.services import allocation_run as run_services
from booths.tasks import run_allocation
from events.models import Membership
from tests import factories
from tuanhang.celery import app as celery_app
from vendors.models import Application

A = Application.Status
R = AllocationRun.Status
ROLE = Membership.Role
FAST = 5

MANAGE_REFUSED = "Chỉ quản trị viên của đơn vị tổ chức mới được sửa hội chợ, sơ đồ mặt bằng và gian hàng."
NOT_RUN = "Không chạy xếp gian hàng: tài khoản đã bắt đầu lần chạy này không còn được sửa gian hàng của hội chợ."


def url(name, *args):
    """The Vietnamese address (the default language), so refusals come in Vietnamese."""
    with translation.override("vi"):
        return reverse(name, args=args)


def vi(message, **params):
    with translation.override("vi"):
        return translation.gettext(message) % params


def _row(event, zone, booth_type, label, count):
    return [
        Booth.objects.create(
            event=event, zone=zone, booth_type=booth_type, code=f"{label}{i + 1:02d}", row=label, x=3 * i, y=0
        )
        for i in range(count)
    ]


class World:
    """Organiser 1 (the factories' default) with two fairs, organiser 2 with one; a row of booths
    and approved applications in each; one account per kind of staff."""

    def __init__(self):
        self.fair = factories.EventFactory(slug="hoi-cho-mot", hall_width_m=60, hall_depth_m=30)
        self.sister = factories.EventFactory(slug="hoi-cho-mot-b", organiser=self.fair.organiser)
        second = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp tỉnh Bắc Ninh", short_name="HHDN Bắc Ninh")
        self.foreign = factories.EventFactory(slug="hoi-cho-hai", organiser=second, hall_width_m=60, hall_depth_m=30)
        self.zone = factories.ZoneFactory(event=self.fair, code="A", name="Khu A")
        self.std = factories.BoothTypeFactory(event=self.fair, code="std")
        self.booths = {b.code: b for b in _row(self.fair, self.zone, self.std, "A", 4)}
        self.foreign_zone = factories.ZoneFactory(event=self.foreign, code="X", name="Khu X")
        foreign_std = factories.BoothTypeFactory(event=self.foreign, code="std")
        self.foreign_booths = {b.code: b for b in _row(self.foreign, self.foreign_zone, foreign_std, "X", 3)}
        self.lan = factories.ApplicationFactory(event=self.fair, status=A.APPROVED, vendor__short_name="Lan")
        self.minh = factories.ApplicationFactory(event=self.fair, status=A.APPROVED, vendor__short_name="Minh")
        self.foreign_app = factories.ApplicationFactory(event=self.foreign, status=A.APPROVED)
        self.admin = factories.StaffUserFactory()
        self.other = factories.StaffUserFactory(organiser=second)
        self.nobody = factories.StaffUserFactory(role=None)
        self.limited = factories.StaffUserFactory(fairs=[self.sister])
        self.roles = {
            role: factories.StaffUserFactory(role=role) for role in ("floor", "reviewer", "viewer", "oversight")
        }

    def snapshot(self):
        """What a refused write must leave as it was."""
        return {
            "booths": sorted(
                Booth.objects.values_list("event_id", "code", "blocked", "blocked_reason", "booth_type_id")
            ),
            "assignments": sorted(Assignment.objects.values_list("booth_id", "application_id", "status")),
            "runs": sorted(AllocationRun.objects.values_list("pk", "status", "plan", "applied_at")),
            "rules": sorted(AllocationRules.objects.values_list("event_id", "weight_zone_preference")),
        }


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nine accounts
    return World()


@pytest.fixture
def run(world):
    """A finished run of organiser 1's fair, its plan not yet applied."""
    started = services.allocation_start(event=world.fair, by=world.admin, time_limit=FAST, queue=False)
    done = run_services.allocation_execute(run_id=started.pk, workers=1)
    assert done.status == R.DONE
    return done


@pytest.fixture
def eager_celery():
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


def as_user(client, user):
    client.force_login(user)
    return client


# --- every fair.manage page, for every kind of staff -----------------------------------------

# (name, method, data): the page and what a refused account sends (a valid form each time).
FAIR_PAGES = [
    ("booths:floorplan", "get", None),
    ("booths:import", "get", None),
    ("booths:allocation", "get", None),
    ("booths:block", "post", {"codes": "A01", "reason": "Sân khấu"}),
    ("booths:unblock", "post", {"codes": "A01"}),
    ("booths:merge", "post", {"codes": "A01 A02"}),
    ("booths:allocation", "post", {"action": "start", "time_limit": FAST}),
]
RUN_PAGES = [
    ("booths:allocation_run", "get", None),
    ("booths:allocation_adjust", "post", {"action": "pin", "application": "", "pinned": "1"}),
    ("booths:allocation_apply", "post", {"confirm": "on"}),
]


def _request(client, method, address, data):
    return client.get(address) if method == "get" else client.post(address, data or {})


def _generate_data(world, zone=None):
    zone = zone or world.zone
    return {
        "zone": zone.pk,
        "booth_type": world.std.pk,
        "rows": 1,
        "columns": 2,
        "origin_x": "0",
        "origin_y": "12",
        "aisle": "3",
    }


@pytest.mark.parametrize(("name", "method", "data"), FAIR_PAGES + [("booths:generate", "post", "generate")])
@pytest.mark.parametrize("who", ["other", "nobody", "limited"])
def test_fair_manage_page_answers_404_to_staff_who_cannot_see_the_fair(client, world, name, method, data, who):
    before = world.snapshot()
    data = _generate_data(world) if data == "generate" else data
    response = _request(as_user(client, getattr(world, who)), method, url(name, world.fair.slug), data)
    assert response.status_code == 404
    assert world.snapshot() == before


@pytest.mark.parametrize(("name", "method", "data"), FAIR_PAGES + [("booths:generate", "post", "generate")])
@pytest.mark.parametrize("role", ["floor", "reviewer", "viewer", "oversight"])
def test_fair_manage_page_answers_403_in_vietnamese_to_a_role_that_may_not_change_the_fair(
    client, world, name, method, data, role
):
    before = world.snapshot()
    data = _generate_data(world) if data == "generate" else data
    response = _request(as_user(client, world.roles[role]), method, url(name, world.fair.slug), data)
    assert response.status_code == 403
    assert MANAGE_REFUSED in response.content.decode()
    assert world.snapshot() == before


@pytest.mark.parametrize(("name", "method", "data"), RUN_PAGES)
@pytest.mark.parametrize("who", ["other", "nobody", "limited"])
def test_run_page_answers_404_for_a_run_of_a_fair_the_account_cannot_see(client, world, run, name, method, data, who):
    before = world.snapshot()
    response = _request(as_user(client, getattr(world, who)), method, url(name, run.pk), data)
    assert response.status_code == 404
    assert world.snapshot() == before


@pytest.mark.parametrize(("name", "method", "data"), RUN_PAGES)
@pytest.mark.parametrize("role", ["floor", "reviewer", "viewer", "oversight"])
def test_run_page_answers_403_in_vietnamese_to_a_role_that_may_not_change_the_fair(
    client, world, run, name, method, data, role
):
    before = world.snapshot()
    response = _request(as_user(client, world.roles[role]), method, url(name, run.pk), data)
    assert response.status_code == 403
    assert MANAGE_REFUSED in response.content.decode()
    assert world.snapshot() == before


def test_run_progress_json_of_another_organisers_run_is_404(client, world, run):
    response = as_user(client, world.other).get(url("booths:allocation_run", run.pk), {"format": "json"})
    assert response.status_code == 404
    mine = as_user(client, world.admin).get(url("booths:allocation_run", run.pk), {"format": "json"})
    assert mine.json()["status"] == R.DONE


def test_a_run_number_that_does_not_exist_answers_like_another_organisers_run(client, world, run):
    as_user(client, world.admin)
    assert client.get(url("booths:allocation_run", run.pk + 1000)).status_code == 404


def test_apply_by_another_organisers_administrator_gives_no_booth(client, world, run):
    response = as_user(client, world.other).post(url("booths:allocation_apply", run.pk), {"confirm": "on"})
    assert response.status_code == 404
    run.refresh_from_db()
    assert (run.status, Assignment.objects.count()) == (R.DONE, 0)


# --- positive controls: the organiser's administrator ----------------------------------------


@pytest.mark.parametrize("name", ["booths:floorplan", "booths:import", "booths:allocation"])
def test_administrator_opens_the_fair_manage_pages(client, world, name):
    response = as_user(client, world.admin).get(url(name, world.fair.slug))
    assert response.status_code == 200
    assert response.context["event"] == world.fair


def test_administrator_limited_to_a_fair_manages_that_fair(client, world):
    as_user(client, world.limited)
    assert client.get(url("booths:floorplan", world.sister.slug)).status_code == 200
    assert client.get(url("booths:floorplan", world.fair.slug)).status_code == 404


def test_administrator_generates_blocks_unblocks_and_merges(client, world):
    as_user(client, world.admin)
    response = client.post(url("booths:generate", world.fair.slug), {**_generate_data(world), "start": 11})
    assert response.status_code == 302
    assert set(Booth.objects.filter(event=world.fair).values_list("code", flat=True)) >= {"A11", "A12"}

    assert client.post(url("booths:block", world.fair.slug), {"codes": "A01", "reason": "Cột"}).status_code == 302
    assert Booth.objects.get(pk=world.booths["A01"].pk).blocked
    assert client.post(url("booths:unblock", world.fair.slug), {"codes": "A01"}).status_code == 302
    assert not Booth.objects.get(pk=world.booths["A01"].pk).blocked

    assert client.post(url("booths:merge", world.fair.slug), {"codes": "A03 A04"}).status_code == 302
    assert Booth.objects.filter(event=world.fair, code__in=["A03", "A04"]).count() == 0
    assert Booth.objects.filter(event=world.fair, code="A03-04").exists()


def test_administrator_starts_a_run_and_the_worker_plans_it(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    as_user(client, world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("booths:allocation", world.fair.slug), {"action": "start", "time_limit": FAST})
    run = AllocationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == url("booths:allocation_run", run.pk)
    assert (run.event, run.created_by, run.status) == (world.fair, world.admin, R.DONE)
    assert run.stored_plan.placed == 2


def test_administrator_adjusts_and_applies_the_run(client, world, run):
    as_user(client, world.admin)
    assert client.get(url("booths:allocation_run", run.pk)).status_code == 200
    pin = {"action": "pin", "application": world.lan.pk, "pinned": "1"}
    assert client.post(url("booths:allocation_adjust", run.pk), pin).status_code == 302
    response = client.post(url("booths:allocation_apply", run.pk), {"confirm": "on"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == R.APPLIED
    assert set(Assignment.objects.values_list("application_id", flat=True)) == {world.lan.pk, world.minh.pk}


# --- ids in the form: only within the fair -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("booths:block", {"codes": "A01 X01", "reason": "Cột"}),
        ("booths:unblock", {"codes": "X03"}),
        ("booths:merge", {"codes": "X01 X02"}),
    ],
)
def test_booth_codes_of_another_fair_are_refused_on_the_form_and_nothing_changes(client, world, name, data):
    world.foreign_booths["X03"].blocked = True
    world.foreign_booths["X03"].blocked_reason = "Cột"
    world.foreign_booths["X03"].save()
    before = world.snapshot()
    response = as_user(client, world.admin).post(url(name, world.fair.slug), data)
    assert response.status_code == 200
    unknown = ", ".join(code for code in data["codes"].split() if code.startswith("X"))
    assert response.context["actions_form"].errors["codes"] == [vi("This fair has no booth %(codes)s.", codes=unknown)]
    assert world.snapshot() == before


def test_generate_in_a_zone_of_another_fair_is_refused_on_the_form(client, world):
    before = world.snapshot()
    response = as_user(client, world.admin).post(
        url("booths:generate", world.fair.slug), _generate_data(world, zone=world.foreign_zone)
    )
    assert response.status_code == 200
    assert "zone" in response.context["generate_form"].errors
    assert world.snapshot() == before


def test_adjust_with_an_application_of_another_fair_is_refused_and_the_plan_stays(client, world, run):
    plan = run.plan
    as_user(client, world.admin)
    move = {"action": "move", "application": world.foreign_app.pk, "booth": "A01"}
    response = client.post(url("booths:allocation_adjust", run.pk), move)
    assert response.status_code == 400
    assert "application" in response.context["move_form"].errors
    run.refresh_from_db()
    assert run.plan == plan


def test_adjust_onto_a_booth_of_another_fair_is_refused_and_the_plan_stays(client, world, run):
    plan = run.plan
    as_user(client, world.admin)
    move = {"action": "move", "application": world.lan.pk, "booth": "X01"}
    response = client.post(url("booths:allocation_adjust", run.pk), move)
    assert response.status_code == 400
    assert response.context["move_form"].errors["booth"] == [vi("This fair has no booth %(code)s.", code="X01")]
    run.refresh_from_db()
    assert run.plan == plan


# --- the staff map: fair.view -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "floor", "reviewer", "viewer", "oversight"])
def test_staff_map_is_open_to_every_role_of_the_organiser(client, world, who):
    user = world.admin if who == "admin" else world.roles[who]
    response = as_user(client, user).get(url("booths:map_staff", world.fair.slug))
    assert response.status_code == 200
    assert response.context["event"] == world.fair


@pytest.mark.parametrize("who", ["other", "nobody", "limited"])
def test_staff_map_of_a_fair_the_account_cannot_see_is_404(client, world, who):
    response = as_user(client, getattr(world, who)).get(url("booths:map_staff", world.fair.slug))
    assert response.status_code == 404


def test_staff_map_of_its_own_fair_is_open_to_another_organisers_staff(client, world):
    response = as_user(client, world.other).get(url("booths:map_staff", world.foreign.slug))
    assert response.status_code == 200
    page = response.content.decode()
    assert [code for code in ("X01", "X02", "X03", "A01") if f'data-code="{code}"' in page] == ["X01", "X02", "X03"]


# --- the worker checks the starter again ------------------------------------------------------


def _start_from_the_page(client, world, capture):
    """Start a run as the administrator; the task is queued but not yet run."""
    with capture(execute=False) as callbacks:
        response = as_user(client, world.admin).post(
            url("booths:allocation", world.fair.slug), {"action": "start", "time_limit": FAST}
        )
    assert response.status_code == 302
    return AllocationRun.objects.get(), callbacks


@pytest.mark.parametrize("change", ["removed", "viewer"])
def test_run_fails_when_the_starters_role_was_taken_away_before_the_worker_ran(
    client, world, eager_celery, django_capture_on_commit_callbacks, change
):
    run, callbacks = _start_from_the_page(client, world, django_capture_on_commit_callbacks)
    membership = Membership.objects.get(user=world.admin)
    if change == "removed":
        membership.delete()
    else:
        membership.role = ROLE.VIEWER
        membership.save()

    with translation.override("vi"):
        for callback in callbacks:
            callback()

    run.refresh_from_db()
    assert (run.status, run.message) == (R.FAILED, NOT_RUN)
    assert run.finished_at is not None
    assert not run.stored_plan.assignments
    assert Assignment.objects.count() == 0


def test_run_is_planned_when_the_starter_still_manages_the_fair(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    run, callbacks = _start_from_the_page(client, world, django_capture_on_commit_callbacks)
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == R.DONE
    assert run.stored_plan.placed == 2


def test_run_delivered_again_after_the_refusal_stays_failed(client, world, django_capture_on_commit_callbacks):
    run, _callbacks = _start_from_the_page(client, world, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=world.admin).delete()
    assert run_allocation(run.pk) == R.FAILED
    assert run_allocation(run.pk) is None
    run.refresh_from_db()
    assert run.status == R.FAILED
