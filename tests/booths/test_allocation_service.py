"""Automatic allocation with the database: starting a run, the worker's task, the stored plan,
adjusting it (move, swap, pin, each recorded), applying it (all or nothing, refused when the
assignments changed meanwhile), the allocate_booths command, and the staff pages."""

import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from booths import allocation as alg
from booths.models import AllocationRules, AllocationRun, Assignment, AssignmentChange, Booth
from booths.services import allocation as services
from booths.services import allocation_plan as plan_services
from booths.services import allocation_run as run_services
from booths.services import booth_assign
from booths.tasks import run_allocation
from tests import factories
from tuanhang.celery import app as celery_app
from vendors.models import Application, ZonePreference

pytestmark = pytest.mark.django_db
A = Application.Status
R = AllocationRun.Status
FAST = 5


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args or None)


@pytest.fixture
def eager_celery():
    """Tasks run in-process when queued (the real worker has its own test)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(username="bantochuc")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _row(event, zone, booth_type, label, count):
    return [
        Booth.objects.create(
            event=event, zone=zone, booth_type=booth_type, code=f"{label}{i + 1:02d}", row=label, x=3 * i, y=0
        )
        for i in range(count)
    ]


def _apply(event, vendor_name, *, booths=1, zones=(), categories=(), status=A.APPROVED):
    vendor = factories.VendorFactory(name=vendor_name, short_name=vendor_name)
    application = factories.ApplicationFactory(vendor=vendor, event=event, status=status, booths_requested=booths)
    application.categories.set(categories)
    for rank, zone in enumerate(zones, start=1):
        ZonePreference.objects.create(application=application, zone=zone, rank=rank)
    return application


@pytest.fixture
def fair(db):
    """Zone A (any category): one row of 4 booths; zone B (OCOP only): one row of 3.
    Approved: Lan (1 booth, wants A), Minh (2 booths, wants A), Hoa (OCOP, wants B);
    Phúc has only submitted."""
    event = factories.EventFactory(slug="tuan-hang-vsip")
    ocop = factories.CategoryFactory(name="Sản phẩm OCOP", slug="san-pham-ocop")
    food = factories.CategoryFactory(name="Thực phẩm chế biến", slug="thuc-pham-che-bien")
    zone_a = factories.ZoneFactory(event=event, code="A", name="Khu hàng tiêu dùng", position=1)
    zone_b = factories.ZoneFactory(event=event, code="B", name="Khu OCOP", position=2)
    zone_b.categories.set([ocop])
    std = factories.BoothTypeFactory(event=event, code="std")
    booths = {b.code: b for b in [*_row(event, zone_a, std, "A", 4), *_row(event, zone_b, std, "B", 3)]}
    apps = {
        "lan": _apply(event, "Lan", zones=[zone_a], categories=[food]),
        "minh": _apply(event, "Minh", booths=2, zones=[zone_a, zone_b], categories=[food]),
        "hoa": _apply(event, "Hoa", zones=[zone_b], categories=[ocop]),
        "phuc": _apply(event, "Phúc", zones=[zone_a], categories=[food], status=A.SUBMITTED),
    }
    return event, booths, apps


def _done_run(event, *, by=None, replan=False):
    run = services.allocation_start(event=event, by=by, time_limit=FAST, replan=replan, queue=False)
    return run_services.allocation_execute(run_id=run.pk)


def _planned_codes(run):
    return {entry["name"]: entry["codes"] for entry in run.plan["assignments"].values()}


# --- starting and running ---------------------------------------------------------------------


def test_allocation_start_creates_a_queued_run_with_the_assignments_fingerprint(fair, staff):
    event, booths, apps = fair
    held = booth_assign(booth=booths["A04"], application=apps["lan"])
    run = services.allocation_start(event=event, by=staff, time_limit=FAST, queue=False)
    expected = hashlib.sha256(f"{held.booth_id}:{apps['lan'].pk}".encode()).hexdigest()
    assert (run.status, run.time_limit, run.created_by, run.assignments_fingerprint) == (
        R.QUEUED,
        FAST,
        staff,
        expected,
    )
    assert run.plan == {"mode": "keep"}


def test_allocation_start_queues_the_task_on_commit_and_the_task_stores_the_plan(
    fair, staff, eager_celery, django_capture_on_commit_callbacks
):
    event, booths, apps = fair
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.allocation_start(event=event, by=staff, time_limit=FAST)
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert (run.status, run.progress) == (R.DONE, 100)
    # Lan and Minh come from one province but show the same category: apart, since there is room.
    assert _planned_codes(run) == {"Lan": ["A01"], "Minh": ["A03", "A04"], "Hoa": ["B01"]}
    plan = run.plan
    assert (plan["requests"], plan["placed"], plan["unplaced_count"], plan["hard_violations"]) == (3, 3, 0, 0)
    assert plan["first_choice_zone"] == 3
    assert str(apps["phuc"].pk) not in plan["assignments"]  # only submitted: not placed
    assert run.message == "Plan ready: 3 of 3 applications placed, 0 without a booth."


def test_run_places_every_approved_application_by_the_rules(fair):
    event, booths, apps = fair
    run = _done_run(event)
    planned = _planned_codes(run)
    assert planned["Hoa"][0].startswith("B")  # OCOP zone, its first choice
    assert planned["Lan"][0].startswith("A")
    assert len(planned["Minh"]) == 2 and planned["Minh"][0][0] == planned["Minh"][1][0] == "A"
    first, second = sorted(int(code[1:]) for code in planned["Minh"])
    assert second == first + 1  # side by side
    assert not Assignment.objects.exists()  # a plan gives nothing until applied
    lan = run.plan["assignments"][str(apps["lan"].pk)]
    assert lan["explanation"][0] == {"code": "zone_choice", "params": {"zone": booths["A01"].zone_id, "rank": 1}}


def test_progress_is_saved_at_most_every_half_second(fair):
    event, _booths, _apps = fair
    run = services.allocation_start(event=event, time_limit=FAST, queue=False)
    AllocationRun.objects.filter(pk=run.pk).update(status=R.RUNNING)
    saver = run_services.ProgressSaver(run)
    saver(alg.Progress(percent=40, elapsed=2.2))
    saver(alg.Progress(percent=45, elapsed=2.3))  # too soon: not saved
    run.refresh_from_db()
    assert run.progress == 40
    with translation.override("en"):
        saver.saved_at = 0
        saver(alg.Progress(percent=60, elapsed=3.0))
    run.refresh_from_db()
    assert (run.progress, run.message) == (60, "Looking for the best plan: 3 of at most 5 seconds.")


def test_task_leaves_a_finished_run_alone(fair):
    event, _booths, _apps = fair
    run = _done_run(event)
    plan = run.plan
    assert run_allocation(run.pk) is None
    run.refresh_from_db()
    assert (run.status, run.plan) == (R.DONE, plan)


def test_failed_run_keeps_the_error_for_the_organiser(fair, monkeypatch):
    event, _booths, _apps = fair

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(services.alg, "allocate", broken)
    run = services.allocation_start(event=event, time_limit=FAST, queue=False)
    with translation.override("en"):
        assert run_allocation(run.pk) == R.FAILED
    run.refresh_from_db()
    assert (run.status, run.message) == (R.FAILED, "The allocation failed: solver exploded")
    assert run.finished_at is not None


def test_run_keeps_booths_held_now_where_they_are_unless_replanning(fair):
    event, booths, apps = fair
    booth_assign(booth=booths["A04"], application=apps["lan"])
    keep = _done_run(event)
    lan = keep.plan["assignments"][str(apps["lan"].pk)]
    assert (lan["codes"], lan["fixed"]) == (["A04"], True)
    assert keep.plan["requests"] == 2
    replan = _done_run(event, replan=True)
    assert replan.plan["assignments"][str(apps["lan"].pk)]["fixed"] is False
    assert replan.plan["requests"] == 3


def test_run_uses_the_fairs_weights(fair):
    event, _booths, _apps = fair
    services.allocation_rules_save(event=event, weight_same_province=0, weight_zone_preference=7)
    rules = AllocationRules.objects.get(event=event)
    assert (rules.weight_same_province, rules.weight_zone_preference, rules.weight_ocop) == (0, 7, 2)


# --- adjusting --------------------------------------------------------------------------------


def test_plan_move_moves_and_records_who_from_and_to(fair, staff):
    event, booths, apps = fair
    run = _done_run(event)
    lan = str(apps["lan"].pk)
    before = run.plan["assignments"][lan]["booths"][0]
    taken = {b for e in run.plan["assignments"].values() for b in e["booths"]}
    free = next(b for b in booths.values() if b.zone.code == "A" and b.pk not in taken)
    plan_services.plan_move(run=run, application_id=apps["lan"].pk, booth_id=free.pk, by=staff)
    run.refresh_from_db()
    assert run.plan["assignments"][lan]["codes"] == [free.code]
    change = AssignmentChange.objects.get(run=run)
    assert (change.application, change.action, change.from_booth_id, change.to_booth, change.changed_by) == (
        apps["lan"],
        AssignmentChange.Action.PLAN,
        before,
        free,
        staff,
    )


def test_plan_move_onto_a_planned_booth_is_refused_and_changes_nothing(fair, staff):
    event, booths, apps = fair
    run = _done_run(event)
    plan = run.plan
    minh_booth = run.plan["assignments"][str(apps["minh"].pk)]["booths"][0]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        plan_services.plan_move(run=run, application_id=apps["lan"].pk, booth_id=minh_booth, by=staff)
    assert exc.value.messages == ["Lan would get a booth already used in this plan."]
    run.refresh_from_db()
    assert run.plan == plan
    assert not AssignmentChange.objects.exists()


def test_plan_move_into_a_zone_that_refuses_its_category_is_refused(fair, staff):
    event, booths, apps = fair
    run = _done_run(event)
    free_b = next(
        b
        for b in booths.values()
        if b.zone.code == "B" and b.pk not in {x for e in run.plan["assignments"].values() for x in e["booths"]}
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        plan_services.plan_move(run=run, application_id=apps["lan"].pk, booth_id=free_b.pk, by=staff)
    assert exc.value.messages == ["Lan would get a zone that does not take its product categories."]


def test_plan_swap_exchanges_two_applications_and_records_both(fair, staff):
    event, booths, apps = fair
    extra = _apply(event, "Quân", zones=[booths["A01"].zone], categories=list(apps["lan"].categories.all()))
    run = _done_run(event)
    lan, quan = run.plan["assignments"][str(apps["lan"].pk)], run.plan["assignments"][str(extra.pk)]
    lan_codes, quan_codes = lan["codes"], quan["codes"]
    plan_services.plan_swap(run=run, first_id=apps["lan"].pk, second_id=extra.pk, by=staff)
    run.refresh_from_db()
    assert run.plan["assignments"][str(apps["lan"].pk)]["codes"] == quan_codes
    assert run.plan["assignments"][str(extra.pk)]["codes"] == lan_codes
    assert AssignmentChange.objects.filter(run=run, action=AssignmentChange.Action.PLAN, changed_by=staff).count() == 2


def test_plan_swap_of_one_booth_with_two_is_refused(fair, staff):
    event, _booths, apps = fair
    run = _done_run(event)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        plan_services.plan_swap(run=run, first_id=apps["lan"].pk, second_id=apps["minh"].pk, by=staff)
    assert exc.value.messages == ["Lan would get the wrong number of booths."]


def test_plan_pin_is_recorded_and_applied_as_pinned(fair, staff):
    event, _booths, apps = fair
    run = _done_run(event)
    plan_services.plan_pin(run=run, application_id=apps["hoa"].pk, pinned=True, by=staff)
    run.refresh_from_db()
    assert run.plan["assignments"][str(apps["hoa"].pk)]["pinned"] is True
    assert AssignmentChange.objects.filter(run=run, action=AssignmentChange.Action.PIN, changed_by=staff).count() == 1
    services.allocation_apply(run=run, by=staff)
    assert list(Assignment.objects.filter(pinned=True).values_list("application", flat=True)) == [apps["hoa"].pk]


# --- applying ---------------------------------------------------------------------------------


def test_apply_gives_held_automatic_booths_and_records_each(fair, staff):
    event, _booths, apps = fair
    run = _done_run(event)
    planned = _planned_codes(run)
    run = services.allocation_apply(run=run, by=staff)
    assert (run.status, run.applied_by) == (R.APPLIED, staff)
    assert run.applied_at is not None
    given = {}
    for a in Assignment.objects.select_related("booth", "application__vendor").order_by("booth__code"):
        assert (a.status, a.source, a.created_by) == (Assignment.Status.HELD, Assignment.Source.AUTO, staff)
        given.setdefault(a.application.vendor.name, []).append(a.booth.code)
    assert given == {name: sorted(codes) for name, codes in planned.items()}
    changes = AssignmentChange.objects.filter(run=run, action=AssignmentChange.Action.ASSIGN, changed_by=staff)
    assert changes.count() == 4  # one per booth: Lan 1, Minh 2, Hoa 1


def test_apply_is_refused_when_assignments_changed_meanwhile_and_writes_nothing(fair, staff):
    event, booths, apps = fair
    run = _done_run(event)
    planned = run.plan["assignments"][str(apps["lan"].pk)]["booths"]
    late = _apply(event, "Trễ", zones=[booths["A01"].zone])
    booth_assign(booth=Booth.objects.get(pk=planned[0]), application=late)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.allocation_apply(run=run, by=staff)
    assert exc.value.messages == ["The booth assignments changed since this plan was made — run the allocation again."]
    assert list(Assignment.objects.values_list("application", flat=True)) == [late.pk]
    run.refresh_from_db()
    assert (run.status, run.applied_at) == (R.DONE, None)
    assert not AssignmentChange.objects.filter(run=run).exists()


def test_apply_twice_is_refused(fair, staff):
    event, _booths, _apps = fair
    run = services.allocation_apply(run=_done_run(event), by=staff)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.allocation_apply(run=run, by=staff)
    assert exc.value.messages == ["Only a plan ready for review can be changed or applied; this one is “Applied”."]


def test_apply_with_replan_moves_held_booths_and_records_the_move(fair, staff):
    event, booths, apps = fair
    # Lan holds A02 in the middle of zone A, where Minh's two booths cannot both fit any more.
    old = booth_assign(booth=booths["A02"], application=apps["lan"])
    run = _done_run(event, replan=True)
    lan = run.plan["assignments"][str(apps["lan"].pk)]
    services.allocation_apply(run=run, by=staff)
    old.refresh_from_db()
    if lan["booths"] == [booths["A02"].pk]:
        assert old.status == Assignment.Status.HELD
    else:
        assert old.status == Assignment.Status.RELEASED
        move = AssignmentChange.objects.get(run=run, application=apps["lan"])
        assert (move.action, move.from_booth, move.to_booth_id) == (
            AssignmentChange.Action.MOVE,
            booths["A02"],
            lan["booths"][0],
        )
    held = Assignment.objects.filter(status__in=Assignment.ACTIVE)
    assert held.count() == 4


# --- the command ------------------------------------------------------------------------------


def test_allocate_booths_json_dry_run_prints_the_figures_and_gives_nothing(fair):
    event, _booths, _apps = fair
    out = io.StringIO()
    call_command("allocate_booths", event.slug, "--dry-run", "--json", "--time-limit", "5", stdout=out)
    figures = json.loads(out.getvalue())
    assert list(figures) == [
        "requests",
        "placed",
        "unplaced",
        "hard_violations",
        "first_choice_zone",
        "objective",
        "bound",
        "gap",
        "seconds",
    ]
    assert (figures["requests"], figures["placed"], figures["unplaced"], figures["hard_violations"]) == (3, 3, 0, 0)
    assert figures["first_choice_zone"] == 3
    assert figures["bound"] >= figures["objective"] > 0
    assert not Assignment.objects.exists()


def test_allocate_booths_applies_without_dry_run(fair):
    event, _booths, _apps = fair
    call_command("allocate_booths", event.slug, "--time-limit", "5", stdout=io.StringIO())
    assert Assignment.objects.filter(source=Assignment.Source.AUTO).count() == 4
    assert AllocationRun.objects.get().status == R.APPLIED


def test_allocate_booths_unknown_fair_is_an_error(db):
    from django.core.management.base import CommandError

    with translation.override("en"), pytest.raises(CommandError, match="No fair “nope”."):
        call_command("allocate_booths", "nope", stdout=io.StringIO())


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["allocation_run", "allocation_adjust", "allocation_apply"])
def test_run_pages_are_for_staff_only(client, fair, name):
    event, _booths, _apps = fair
    run = _done_run(event)
    url = en(f"booths:{name}", run.pk)
    response = client.get(url) if name == "allocation_run" else client.post(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(factories.UserFactory())
    response = client.get(url) if name == "allocation_run" else client.post(url)
    assert response.status_code == 403


def test_allocation_page_is_for_staff_only(client, fair):
    event, _booths, _apps = fair
    url = en("booths:allocation", event.slug)
    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403


def test_allocation_page_saves_weights_and_starts_a_run(
    staff_client, fair, eager_celery, django_capture_on_commit_callbacks
):
    event, _booths, _apps = fair
    url = en("booths:allocation", event.slug)
    weights = {
        "weight_zone_preference": 8,
        "weight_same_province": 0,
        "weight_competitors_apart": 3,
        "weight_ocop": 2,
        "weight_host_province": 2,
        "weight_registration_order": 1,
    }
    response = staff_client.post(url, {**weights, "action": "rules"}, follow=True)
    assert "The allocation weights of this fair are saved." in response.content.decode()
    assert AllocationRules.objects.get(event=event).weight_zone_preference == 8
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "start", "time_limit": "5"})
    run = AllocationRun.objects.get()
    assert response["Location"] == en("booths:allocation_run", run.pk)
    assert (run.status, run.time_limit) == (R.DONE, 5)


def test_allocation_page_refuses_a_time_limit_out_of_range(staff_client, fair):
    event, _booths, _apps = fair
    response = staff_client.post(en("booths:allocation", event.slug), {"action": "start", "time_limit": "4000"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 600." in response.content.decode()
    assert not AllocationRun.objects.exists()


def test_run_progress_json(staff_client, fair):
    event, _booths, _apps = fair
    run = services.allocation_start(event=event, time_limit=FAST, queue=False)
    response = staff_client.get(en("booths:allocation_run", run.pk) + "?format=json")
    assert response.json() == {
        "status": "queued",
        "status_label": "Queued",
        "progress": 0,
        "message": run.message,
        "working": True,
    }


def test_run_page_shows_progress_while_working(staff_client, fair):
    event, _booths, _apps = fair
    run = services.allocation_start(event=event, time_limit=FAST, queue=False)
    page = staff_client.get(en("booths:allocation_run", run.pk)).content.decode()
    assert 'id="allocation-progress"' in page
    assert "js/progress.js" in page
    assert "<script>" not in page  # no inline script


def test_run_page_shows_the_plan_the_changes_and_why(staff_client, fair):
    event, booths, apps = fair
    booth_assign(booth=booths["A04"], application=apps["lan"])
    run = _done_run(event)
    page = staff_client.get(en("booths:allocation_run", run.pk)).content.decode()
    assert 'id="plan-changes"' in page
    assert "Zone B – Khu OCOP, its choice no. 1." in page  # Hoa's explanation
    assert 'data-change="unchanged"' in page  # Lan keeps A04
    assert page.count('data-change="new"') == 2
    assert 'id="apply-form"' in page


def test_run_page_adjust_move_and_apply_through_the_forms(staff_client, staff, fair):
    event, booths, apps = fair
    run = _done_run(event)
    taken = {b for e in run.plan["assignments"].values() for b in e["booths"]}
    free = next(b for b in booths.values() if b.zone.code == "A" and b.pk not in taken)
    response = staff_client.post(
        en("booths:allocation_adjust", run.pk), {"action": "move", "application": apps["lan"].pk, "booth": free.code}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.plan["assignments"][str(apps["lan"].pk)]["codes"] == [free.code]
    response = staff_client.post(en("booths:allocation_apply", run.pk), {})
    assert response.status_code == 400
    assert "Tick the box to confirm that the plan should be applied." in response.content.decode()
    response = staff_client.post(en("booths:allocation_apply", run.pk), {"confirm": "on"}, follow=True)
    assert "Applied: 3 applications received booths." in response.content.decode()
    assert Assignment.objects.get(application=apps["lan"]).booth == free


def test_run_page_adjust_with_a_broken_rule_shows_the_error(staff_client, fair):
    event, _booths, apps = fair
    run = _done_run(event)
    minh_code = run.plan["assignments"][str(apps["minh"].pk)]["codes"][0]
    response = staff_client.post(
        en("booths:allocation_adjust", run.pk), {"action": "move", "application": apps["lan"].pk, "booth": minh_code}
    )
    assert response.status_code == 400
    assert "Lan would get a booth already used in this plan." in response.content.decode()


def test_dashboard_links_to_the_allocation(staff_client, fair):
    event, _booths, _apps = fair
    page = staff_client.get(en("events:dashboard", event.slug)).content.decode()
    assert en("booths:allocation", event.slug) in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_allocation_page_query_count_does_not_grow_with_runs(staff_client, fair):
    event, _booths, _apps = fair
    url = en("booths:allocation", event.slug)
    services.allocation_start(event=event, time_limit=FAST, queue=False)
    few = _queries(staff_client, url)
    for _ in range(6):
        services.allocation_start(event=event, time_limit=FAST, queue=False, by=factories.StaffUserFactory())
    assert _queries(staff_client, url) == few


def test_run_page_query_count_does_not_grow_with_the_plan(staff_client, fair):
    event, booths, apps = fair
    small = _done_run(event)
    zone_a = booths["A01"].zone
    std = booths["A01"].booth_type
    food = list(apps["lan"].categories.all())
    _row(event, zone_a, std, "C", 12)
    for i in range(8):
        _apply(event, f"Thêm {i}", zones=[zone_a], categories=food)
    large = _done_run(event)
    assert large.plan["placed"] > small.plan["placed"]
    assert _queries(staff_client, en("booths:allocation_run", large.pk)) == _queries(
        staff_client, en("booths:allocation_run", small.pk)
    )


# --- concurrency (PostgreSQL: real row locks, one connection per thread) ---------------------


def _apply_while_a_business_chooses_a_planned_booth(fair, monkeypatch):
    """The plan is applied in one connection; once its transaction has locked the booths (it then
    pauses), a late business chooses a booth the plan gives to Lan in another. Returns (results:
    "apply" applied / stale / repr, "choose" won / taken / repr, "waited" seconds; the booth)."""
    import threading
    import time

    from booths.services import BoothTaken

    event, booths, apps = fair
    run = _done_run(event)
    target = Booth.objects.get(pk=run.plan["assignments"][str(apps["lan"].pk)]["booths"][0])
    late = _apply(event, "Trễ", zones=[booths["A01"].zone])
    locked = threading.Event()
    real_fingerprint = services.current_fingerprint

    def slow_fingerprint(event):
        value = real_fingerprint(event)
        locked.set()  # the booths are locked by now: let the other attempt start
        time.sleep(0.5)
        return value

    monkeypatch.setattr(services, "current_fingerprint", slow_fingerprint)
    results = {}

    def apply():
        try:
            services.allocation_apply(run=run)
            results["apply"] = "applied"
        except plan_services.StalePlan:
            results["apply"] = "stale"
        except Exception as exc:  # the test must show anything unexpected
            results["apply"] = repr(exc)
        finally:
            connection.close()

    def choose():
        locked.wait(10)
        started = time.monotonic()
        try:
            booth_assign(booth=target, application=late)
            results["choose"] = "won"
        except BoothTaken:
            results["choose"] = "taken"
        except Exception as exc:
            results["choose"] = repr(exc)
        finally:
            results["waited"] = time.monotonic() - started
            connection.close()

    threads = [threading.Thread(target=apply), threading.Thread(target=choose)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "the apply or the choice hung"
    return results, target


def _holders_of(booth):
    return list(
        Assignment.objects.filter(booth=booth, status__in=Assignment.ACTIVE).values_list("application", flat=True)
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_apply_holds_the_booths_so_a_choice_made_meanwhile_waits_and_is_told_taken(on_postgres, fair, monkeypatch):
    results, target = _apply_while_a_business_chooses_a_planned_booth(fair, monkeypatch)

    assert (results["apply"], results["choose"]) == ("applied", "taken")
    assert results["waited"] >= 0.3  # it waited for the plan's transaction
    assert _holders_of(target) == [fair[2]["lan"].pk]
    assert AllocationRun.objects.get().status == AllocationRun.Status.APPLIED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_booth_locks_the_choice_slips_in_and_the_plan_fails(on_postgres, fair, monkeypatch):
    """Control: when the apply does not lock the fair's booths, the late choice does not wait and
    takes the booth between the plan's check and its writes, and the staff's apply fails as stale
    (nothing of the plan written), so the test above proves the lock, not luck."""
    monkeypatch.setattr(services, "_lock_booths", lambda event: Booth.objects.filter(event=event).in_bulk())

    results, target = _apply_while_a_business_chooses_a_planned_booth(fair, monkeypatch)

    assert (results["apply"], results["choose"]) == ("stale", "won")
    assert results["waited"] < 0.3
    assert _holders_of(target) != [fair[2]["lan"].pk]
    assert AllocationRun.objects.get().status == AllocationRun.Status.DONE
    assert not Assignment.objects.filter(source=Assignment.Source.AUTO).exists()
