"""Organisers kept apart (issue 16) on the review and check-in pages: another organiser's fair or
application answers 404 like one that does not exist, and writes nothing; a role without the
capability answers 403 with the Vietnamese refusal; a membership limited to some fairs sees only
those; ids posted in a bulk decision are read only within the fair; each page shows only the forms
the role may use. Each refusal has its positive control (the right role succeeds)."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Membership
from tests import factories
from vendors.models import Application, ApplicationStatusChange, CheckIn, CheckInChange, Payment
from vendors.services import checkin as checkin_services

pytestmark = pytest.mark.django_db
A = Application.Status
R = Membership.Role

# What the 403 page says, in Vietnamese (the default language), per capability.
REFUSED = {
    "application.view": "Vai trò của bạn không được xem hồ sơ đăng ký và giấy tờ của doanh nghiệp.",
    "application.decide": "Vai trò của bạn không được duyệt hồ sơ đăng ký.",
    "payment.record": "Vai trò của bạn không được ghi nhận khoản thu.",
    "checkin.record": "Vai trò của bạn không được làm thủ tục nhận gian hàng cho doanh nghiệp.",
}


def url(name, *args):
    """A URL of the default (Vietnamese) interface."""
    with translation.override("vi"):
        return reverse(name, args=args)


# --- two organisers, three fairs ----------------------------------------------------------------


def _fair(organiser, slug, name):
    event = factories.EventFactory(organiser=organiser, slug=slug, name=name)
    vendor = factories.VendorFactory(name=f"Công ty TNHH Nước mắm {name}")
    submitted = factories.ApplicationFactory(event=event, vendor=vendor, status=A.SUBMITTED)
    newcomer = factories.ApplicationFactory(
        event=event, vendor=factories.VendorFactory(name=f"Hợp tác xã Chè {name}"), status=A.APPROVED
    )
    arrived = factories.ApplicationFactory(
        event=event, vendor=factories.VendorFactory(name=f"Hộ kinh doanh Bánh đa {name}"), status=A.APPROVED
    )
    checkin_services.checkin_arrive(application=arrived, by=None)
    return SimpleNamespace(event=event, submitted=submitted, newcomer=newcomer, arrived=arrived)


@pytest.fixture
def world(db):
    """Fairs X and Y of the default organiser (the one StaffUserFactory's accounts work for), fair Z
    of another organiser; each with a sent application, an approved participant not arrived yet
    and one already checked in."""
    home = factories.OrganiserFactory()
    other = factories.OrganiserFactory(name="Hội Doanh nghiệp quận Hồng Bàng", short_name="Hội DN Hồng Bàng")
    return SimpleNamespace(
        home=home,
        other=other,
        x=_fair(home, "hoi-cho-x", "Cát Hải"),
        y=_fair(home, "hoi-cho-y", "Đồ Sơn"),
        z=_fair(other, "hoi-cho-z", "Hồng Bàng"),
    )


def snapshot():
    """Everything the review and check-in pages can write."""
    return (
        sorted(Application.objects.values_list("pk", "status")),
        ApplicationStatusChange.objects.count(),
        sorted(Payment.objects.values_list("application_id", "amount")),
        sorted(
            CheckIn.objects.values_list("application_id", "arrived_at", "power_ok", "furniture_ok", "fascia_ok", "note")
        ),
        CheckInChange.objects.count(),
    )


def login(client, **membership):
    client.force_login(factories.StaffUserFactory(**membership))
    return client


# --- every page, as an action on one fair --------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    capability: str
    method: str
    route: str
    target: str  # "fair" (slug only), or the application of the fair the URL names
    data: tuple = ()
    writes: bool = False

    def url(self, fair, url_fair=None):
        """The URL for `fair`'s object; under `url_fair`'s slug when given (a wrong-fair address)."""
        slug = (url_fair or fair).event.slug
        if self.target == "fair":
            return url(self.route, slug)
        pk = getattr(fair, self.target).pk
        return url(self.route, slug, pk) if self.route.startswith("vendors:checkin") else url(self.route, pk)

    def run(self, client, fair, url_fair=None):
        data = dict(self.data)
        if self.route == "vendors:review_bulk":
            data["applications"] = [fair.submitted.pk]
        return getattr(client, self.method)(self.url(fair, url_fair), data)


PAYMENT = (("amount", "1.500.000"), ("paid_on", "05/03/2025"), ("method", "transfer"), ("reference", "FT2503051234"))
ACTIONS = [
    Action("review list", "application.view", "get", "vendors:review_list", "fair"),
    Action("review detail", "application.view", "get", "vendors:review_detail", "submitted"),
    Action(
        "bulk decision", "application.decide", "post", "vendors:review_bulk", "fair", (("decision", "waitlist"),), True
    ),
    Action(
        "decision",
        "application.decide",
        "post",
        "vendors:review_decide",
        "submitted",
        (("decision", "waitlist"),),
        True,
    ),
    Action("payment", "payment.record", "post", "vendors:payment_create", "submitted", PAYMENT, True),
    Action("check-in home", "checkin.record", "get", "vendors:checkin", "fair"),
    Action("check-in progress", "checkin.record", "get", "vendors:checkin_progress", "fair"),
    Action("check-in detail", "checkin.record", "get", "vendors:checkin_detail", "newcomer"),
    Action("arrive", "checkin.record", "post", "vendors:checkin_arrive", "newcomer", writes=True),
    Action("undo", "checkin.record", "post", "vendors:checkin_undo", "arrived", (("note", "Nhầm đơn vị"),), True),
    Action(
        "handover",
        "checkin.record",
        "post",
        "vendors:checkin_handover",
        "arrived",
        (
            ("power_ok", "on"),
            ("note", "Thiếu một ghế"),
        ),
        True,
    ),
]
IDS = [action.name for action in ACTIONS]
# A role of the right organiser that lacks each capability.
WITHOUT = {
    "application.view": R.FLOOR,
    "application.decide": R.ACCOUNTANT,
    "payment.record": R.REVIEWER,
    "checkin.record": R.REVIEWER,
}


def assert_succeeds(action, response, before):
    if action.method == "get":
        assert response.status_code == 200, action.name
    else:
        assert response.status_code == 302, action.name
        assert snapshot() != before, f"{action.name} wrote nothing"


# --- the right organiser: positive controls ------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_admin_of_the_organiser_uses_every_page(client, world, action):
    login(client)
    before = snapshot()

    response = action.run(client, world.x)

    assert_succeeds(action, response, before)


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_superuser_uses_every_page_of_any_organiser(client, world, action):
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    before = snapshot()

    response = action.run(client, world.z)

    assert_succeeds(action, response, before)


# --- another organiser, no organiser, another fair: 404 and nothing written -----------------------


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_staff_of_another_organiser_gets_404_and_writes_nothing(client, world, action):
    login(client, organiser=world.other)
    before = snapshot()

    response = action.run(client, world.x)

    assert response.status_code == 404
    assert snapshot() == before
    assert_succeeds(action, action.run(client, world.z), before)  # control: its own fair


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_staff_of_no_organiser_gets_404_and_writes_nothing(client, world, action):
    login(client, role=None)
    before = snapshot()

    response = action.run(client, world.x)

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_membership_limited_to_one_fair_gets_404_on_another_fair_of_the_organiser(client, world, action):
    login(client, fairs=[world.x.event])
    before = snapshot()

    response = action.run(client, world.y)

    assert response.status_code == 404
    assert snapshot() == before
    assert_succeeds(action, action.run(client, world.x), before)  # control: the fair it is given


PARTICIPANT_ACTIONS = [a for a in ACTIONS if a.route.startswith("vendors:checkin") and a.target != "fair"]


@pytest.mark.parametrize("action", PARTICIPANT_ACTIONS, ids=[a.name for a in PARTICIPANT_ACTIONS])
def test_checkin_participant_of_another_fair_under_this_fair_address_gets_404(client, world, action):
    login(client)
    before = snapshot()

    response = action.run(client, world.y, url_fair=world.x)

    assert response.status_code == 404
    assert snapshot() == before


# --- the wrong role: 403 in Vietnamese ------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_role_without_the_capability_gets_403_with_the_vietnamese_reason(client, world, action):
    login(client, role=WITHOUT[action.capability])
    before = snapshot()

    response = action.run(client, world.x)

    assert response.status_code == 403
    assert REFUSED[action.capability] in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", [R.VIEWER, R.OVERSIGHT, R.FLOOR])
def test_roles_that_do_not_read_applications_get_403_on_the_review_list(client, world, role):
    login(client, role=role)

    response = client.get(url("vendors:review_list", world.x.event.slug))

    assert response.status_code == 403
    assert REFUSED["application.view"] in response.content.decode()


def test_floor_staff_checks_in_but_cannot_decide(client, world):
    login(client, role=R.FLOOR)

    refused = client.post(url("vendors:review_decide", world.x.submitted.pk), {"decision": "waitlist"})
    arrived = client.post(url("vendors:checkin_arrive", world.x.event.slug, world.x.newcomer.pk))

    assert refused.status_code == 403
    assert Application.objects.get(pk=world.x.submitted.pk).status == A.SUBMITTED
    assert arrived.status_code == 302
    assert CheckIn.objects.get(application=world.x.newcomer).arrived_at is not None


def test_accountant_records_payments_but_cannot_decide(client, world):
    login(client, role=R.ACCOUNTANT)
    application = world.x.submitted

    refused = client.post(url("vendors:review_decide", application.pk), {"decision": "waitlist"})
    paid = client.post(url("vendors:payment_create", application.pk), dict(PAYMENT))

    assert refused.status_code == 403
    assert REFUSED["application.decide"] in refused.content.decode()
    assert Application.objects.get(pk=application.pk).status == A.SUBMITTED
    assert paid.status_code == 302
    assert list(Payment.objects.values_list("application_id", "amount")) == [(application.pk, 1_500_000)]


def test_reviewer_decides_but_cannot_record_payments(client, world):
    login(client, role=R.REVIEWER)
    application = world.x.submitted

    refused = client.post(url("vendors:payment_create", application.pk), dict(PAYMENT))
    decided = client.post(url("vendors:review_decide", application.pk), {"decision": "waitlist"})

    assert refused.status_code == 403
    assert REFUSED["payment.record"] in refused.content.decode()
    assert not Payment.objects.exists()
    assert decided.status_code == 302
    assert Application.objects.get(pk=application.pk).status == A.WAITLISTED


def test_reviewer_cannot_check_in(client, world):
    login(client, role=R.REVIEWER)

    response = client.post(url("vendors:checkin_arrive", world.x.event.slug, world.x.newcomer.pk))

    assert response.status_code == 403
    assert REFUSED["checkin.record"] in response.content.decode()
    assert not CheckIn.objects.filter(application=world.x.newcomer).exists()


# --- ids in the body of a bulk decision -------------------------------------------------------------


def test_bulk_decision_with_another_organisers_application_writes_nothing(client, world):
    login(client)
    before = snapshot()

    response = client.post(
        url("vendors:review_bulk", world.x.event.slug),
        {"decision": "waitlist", "applications": [world.x.submitted.pk, world.z.submitted.pk]},
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=world.z.submitted.pk).status == A.SUBMITTED
    assert Application.objects.get(pk=world.x.submitted.pk).status == A.SUBMITTED
    assert snapshot() == before


def test_bulk_decision_with_another_fair_of_the_organiser_writes_nothing(client, world):
    login(client)
    before = snapshot()

    client.post(
        url("vendors:review_bulk", world.x.event.slug), {"decision": "waitlist", "applications": [world.y.submitted.pk]}
    )

    assert Application.objects.get(pk=world.y.submitted.pk).status == A.SUBMITTED
    assert snapshot() == before


def test_bulk_decision_by_another_organiser_on_its_own_fair_leaves_ours_alone(client, world):
    login(client, organiser=world.other)

    client.post(
        url("vendors:review_bulk", world.z.event.slug),
        {"decision": "waitlist", "applications": [world.z.submitted.pk, world.x.submitted.pk]},
    )
    client.post(
        url("vendors:review_bulk", world.z.event.slug), {"decision": "waitlist", "applications": [world.x.submitted.pk]}
    )

    assert Application.objects.get(pk=world.x.submitted.pk).status == A.SUBMITTED
    assert Application.objects.get(pk=world.z.submitted.pk).status == A.SUBMITTED
    # control: its own application alone is decided
    client.post(
        url("vendors:review_bulk", world.z.event.slug), {"decision": "waitlist", "applications": [world.z.submitted.pk]}
    )
    assert Application.objects.get(pk=world.z.submitted.pk).status == A.WAITLISTED


# --- a role sees the forms it may use ---------------------------------------------------------------


def _forms(response, application):
    html = response.content.decode()
    return {
        "decide": f'action="{url("vendors:review_decide", application.pk)}"' in html,
        "payment": f'action="{url("vendors:payment_create", application.pk)}"' in html,
    }


@pytest.mark.parametrize(
    ("role", "decide", "payment"),
    [(R.ADMIN, True, True), (R.REVIEWER, True, False), (R.ACCOUNTANT, False, True)],
)
def test_review_detail_shows_only_the_forms_the_role_may_use(client, world, role, decide, payment):
    login(client, role=role)
    application = world.x.submitted

    response = client.get(url("vendors:review_detail", application.pk))

    assert response.status_code == 200
    assert _forms(response, application) == {"decide": decide, "payment": payment}
    assert ('id="cannot-decide"' in response.content.decode()) is not decide
    assert "Công ty TNHH Nước mắm Cát Hải" in response.content.decode()  # the page itself is there


@pytest.mark.parametrize(("role", "bulk"), [(R.ADMIN, True), (R.REVIEWER, True), (R.ACCOUNTANT, False)])
def test_review_list_offers_bulk_decisions_only_to_roles_that_decide(client, world, role, bulk):
    login(client, role=role)

    response = client.get(url("vendors:review_list", world.x.event.slug))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Công ty TNHH Nước mắm Cát Hải" in html
    assert ('id="bulk-form"' in html) is bulk
    assert ('name="applications"' in html) is bulk


# --- lists show only the fair's rows -----------------------------------------------------------------


def test_checkin_search_and_progress_list_only_this_fairs_participants(client, world):
    login(client)

    search = client.get(url("vendors:checkin", world.x.event.slug), {"q": "Chè"})
    progress = client.get(url("vendors:checkin_progress", world.x.event.slug)).json()

    html = search.content.decode()
    assert "Hợp tác xã Chè Cát Hải" in html
    assert "Hợp tác xã Chè Đồ Sơn" not in html and "Hợp tác xã Chè Hồng Bàng" not in html
    pending = [row["name"] for zone in progress["zones"] for row in zone["pending"]]
    assert (progress["arrived"], progress["total"], pending) == (1, 2, ["Hợp tác xã Chè Cát Hải"])
