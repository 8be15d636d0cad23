"""The fair dashboard shows its khuyến công programme's budget: granted, left, businesses."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from events.models import SubsidyProgramme
from tests import factories
from vendors.models import Application, SubsidyGrant
from vendors.services.core import application_transition

A = Application.Status


def make_programme(organiser, **fields) -> SubsidyProgramme:
    today = timezone.localdate()
    values = {
        "name": "Chương trình khuyến công thành phố Hải Phòng",
        "legal_basis": "QĐ 09/2021/QĐ-UBND",
        "budget": 200_000_000,
        "starts_on": today - dt.timedelta(days=365),
        "ends_on": today + dt.timedelta(days=365),
        "share_percent": 50,
    }
    values.update(fields)
    return SubsidyProgramme.objects.create(organiser=organiser, **values)


def under(programme, *events):
    for event in events:
        event.subsidy_programme = programme
        event.save(update_fields=["subsidy_programme"])


def approved(event, **fields) -> Application:
    """An approved application at `event`; its grant is settled by the amount-due recompute."""
    application = factories.ApplicationFactory(event=event, **fields)
    application_transition(application=application, to_status=A.APPROVED, notify=False)
    return application


def dashboard_url(event):
    with translation.override("en"):
        return reverse("events:dashboard", kwargs={"slug": event.slug})


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


def test_dashboard_shows_programme_budget_granted_left_and_businesses(staff_client):
    event, other_fair = factories.EventFactory(), factories.EventFactory()
    programme = make_programme(event.organiser)
    under(programme, event, other_fair)
    approved(event)  # 50 % of 5.000.000
    approved(other_fair, booths_requested=2)
    application_transition(application=approved(event), to_status=A.WITHDRAWN, notify=False)
    assert SubsidyGrant.objects.filter(status=SubsidyGrant.Status.RELEASED).count() == 1

    response = staff_client.get(dashboard_url(event))

    budget = response.context["dashboard"].subsidy
    assert (budget.granted, budget.left, budget.businesses, budget.fairs) == (7_500_000, 192_500_000, 2, 2)
    assert (budget.granted_here, budget.businesses_here) == (2_500_000, 1)
    assertContains(response, '<dd class="text-nowrap" id="subsidy-granted">7.500.000 ₫</dd>', html=True)
    assertContains(response, '<dd class="text-nowrap fw-semibold" id="subsidy-left">192.500.000 ₫</dd>', html=True)
    assertContains(response, '<dd id="subsidy-businesses">2</dd>', html=True)
    assertContains(response, "Chương trình khuyến công thành phố Hải Phòng")


def test_dashboard_of_a_fair_without_programme_shows_no_budget(staff_client):
    event = factories.EventFactory()
    response = staff_client.get(dashboard_url(event))
    assert response.context["dashboard"].subsidy is None
    assertNotContains(response, 'id="subsidy-budget"')


@pytest.mark.parametrize("size", [3, 60])
def test_dashboard_budget_is_one_query_whatever_the_grants(staff_client, django_assert_num_queries, size):
    event = factories.EventFactory()
    programme = make_programme(event.organiser)
    under(programme, event)
    for _ in range(size):
        factories.ApplicationFactory(event=event, status=A.APPROVED)  # granted by the recompute

    # the 7 of a fair without programme (tests/events/test_dashboard.py) + the budget aggregate
    with django_assert_num_queries(8):
        response = staff_client.get(dashboard_url(event))

    assert response.context["dashboard"].subsidy.businesses == size
