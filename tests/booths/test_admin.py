"""Admin for zones, booths and assignments: query counts and assignment through the service."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from booths.models import Assignment
from tests import factories
from vendors.models import Application

pytestmark = pytest.mark.django_db


def admin_url(name, *args):
    # English URLs (/en/admin/…) keep the assertions independent of the Vietnamese catalogue.
    with translation.override("en"):
        return reverse(name, args=args)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # Requests to /en/… leave English active in this thread; later tests expect the default.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def assert_same_count_for_few_and_many(client, url, make):
    make(3)
    client.get(url)
    few, _ = count_queries(client, url)
    make(57)
    many, response = count_queries(client, url)
    assert few == many
    assert response.context["cl"].result_count == 60
    return response


def test_booth_changelist_same_query_count_for_few_and_many_booths(admin_client, event):
    def make(n):
        for booth in factories.BoothFactory.create_batch(n, event=event):
            factories.AssignmentFactory(booth=booth)

    response = assert_same_count_for_few_and_many(admin_client, admin_url("admin:booths_booth_changelist"), make)
    first = response.context["cl"].result_list[0]
    assert first.holder_name == first.assignments.get().application.vendor.name
    assert first.holder_name in response.content.decode()


def test_assignment_changelist_same_query_count_for_few_and_many_assignments(admin_client, event):
    def make(n):
        factories.AssignmentFactory.create_batch(n, booth__event=event)

    assert_same_count_for_few_and_many(admin_client, admin_url("admin:booths_assignment_changelist"), make)


def test_zone_changelist_same_query_count_for_few_and_many_zones(admin_client, event):
    category = factories.CategoryFactory(name="Sản phẩm OCOP")

    def make(n):
        for zone in factories.ZoneFactory.create_batch(n, event=event):
            zone.categories.add(category)
            factories.BoothFactory(event=event, zone=zone)

    response = assert_same_count_for_few_and_many(admin_client, admin_url("admin:events_zone_changelist"), make)
    assert "Sản phẩm OCOP" in response.content.decode()
    assert {zone.n_booths for zone in response.context["cl"].result_list} == {1}


def test_booth_occupancy_filter_lists_free_booths(admin_client, event):
    free = factories.BoothFactory(event=event, code="B01")
    factories.AssignmentFactory(booth__event=event, booth__code="B02")
    factories.BoothFactory(event=event, code="B03", blocked=True)
    _, response = count_queries(admin_client, admin_url("admin:booths_booth_changelist"), {"occupancy": "free"})
    assert list(response.context["cl"].result_list) == [free]


# --- assignments through booth_assign ----------------------------------------------------


def add_assignment(client, booth, application, confirm=False):
    data = {"booth": booth.pk, "application": application.pk}
    if confirm:
        data["confirm"] = "on"
    return client.post(admin_url("admin:booths_assignment_add"), data, follow=True)


def test_assignment_add_goes_through_the_service(admin_client, organiser_user, event):
    booth = factories.BoothFactory(event=event, code="A07")
    application = factories.ApplicationFactory(event=event, status=Application.Status.APPROVED)
    response = add_assignment(admin_client, booth, application, confirm=True)
    assert response.status_code == 200
    assignment = Assignment.objects.get()
    assert (assignment.booth, assignment.application, assignment.created_by) == (booth, application, organiser_user)
    assert assignment.status == Assignment.Status.CONFIRMED
    assert assignment.source == Assignment.Source.MANUAL
    assert response.redirect_chain[-1][0] == admin_url("admin:booths_assignment_changelist")


def test_assignment_add_for_held_booth_shows_form_error_and_creates_nothing(admin_client, event):
    held = factories.AssignmentFactory(
        booth__event=event, booth__code="A01", application__vendor__name="HTX Chè Tân Cương"
    )
    application = factories.ApplicationFactory(event=event, status=Application.Status.APPROVED)
    response = add_assignment(admin_client, held.booth, application)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["booth"] == ["Booth A01 is already held by HTX Chè Tân Cương."]
    assert list(Assignment.objects.all()) == [held]


def test_assignment_add_for_booth_of_another_fair_shows_form_error(admin_client, event):
    other_booth = factories.BoothFactory(code="C05")
    application = factories.ApplicationFactory(event=event, status=Application.Status.APPROVED)
    response = add_assignment(admin_client, other_booth, application)
    assert response.context["adminform"].form.errors["booth"] == [
        f"Booth C05 belongs to another fair than this application ({event.name})."
    ]
    assert not Assignment.objects.exists()


def test_assignment_add_for_rejected_application_shows_form_error(admin_client, event):
    booth = factories.BoothFactory(event=event)
    application = factories.ApplicationFactory(event=event, status=Application.Status.REJECTED)
    response = add_assignment(admin_client, booth, application)
    assert response.context["adminform"].form.errors["application"] == [
        "Only submitted or approved applications get a booth; this one is “Rejected”."
    ]
    assert not Assignment.objects.exists()


def test_existing_assignment_is_read_only(admin_client, event):
    assignment = factories.AssignmentFactory(booth__event=event)
    response = admin_client.get(admin_url("admin:booths_assignment_change", assignment.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}
    response = admin_client.post(admin_url("admin:booths_assignment_change", assignment.pk), {"status": "released"})
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.HELD


def test_booth_autocomplete_for_assignment_offers_only_free_booths(admin_client, event):
    factories.BoothFactory(event=event, code="D01")
    factories.AssignmentFactory(booth__event=event, booth__code="D02")
    factories.BoothFactory(event=event, code="D03", blocked=True)
    response = admin_client.get(
        admin_url("admin:autocomplete"),
        {"term": "D0", "app_label": "booths", "model_name": "assignment", "field_name": "booth"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["D01"]


def test_release_action_asks_first_then_frees_the_booth(admin_client, organiser_user):
    assignment = factories.AssignmentFactory(status=Assignment.Status.HELD)
    url = admin_url("admin:booths_assignment_changelist")
    data = {"action": "release_assignments", "_selected_action": [assignment.pk]}

    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Yes, release them" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.HELD  # nothing happens before confirmation

    admin_client.post(url, {**data, "confirmed": "yes"})
    assignment.refresh_from_db()
    assert (assignment.status, assignment.released_by) == (Assignment.Status.RELEASED, organiser_user)


def test_confirm_action_confirms_held_and_reports_released(admin_client):
    held = factories.AssignmentFactory(status=Assignment.Status.HELD)
    released = factories.AssignmentFactory(status=Assignment.Status.RELEASED, released_at="2024-05-01T00:00:00Z")
    url = admin_url("admin:booths_assignment_changelist")
    response = admin_client.post(
        url, {"action": "confirm_assignments", "_selected_action": [held.pk, released.pk]}, follow=True
    )
    held.refresh_from_db()
    released.refresh_from_db()
    assert (held.status, released.status) == (Assignment.Status.CONFIRMED, Assignment.Status.RELEASED)
    texts = [str(m) for m in response.context["messages"]]
    assert "1 booth confirmed." in texts
    assert any(str(released.booth) in t for t in texts)
