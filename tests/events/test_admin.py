"""Admin for fairs and reference data: query counts, life-cycle actions, access, search."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from events.models import Event, EventStatusChange
from tests import factories

pytestmark = pytest.mark.django_db


def admin_url(name, *args):
    # English URLs (/en/admin/…) keep the assertions independent of the Vietnamese catalogue.
    with translation.override("en"):
        return reverse(name, args=args)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


class FormFields(HTMLParser):
    """Collects what a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.data.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.data.append((self._textarea, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))


def posted_form(response):
    parser = FormFields()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # Requests to /en/… leave English active in this thread; later tests expect the default.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def add_events(n):
    for _ in range(n):
        event = factories.EventFactory()
        factories.BoothFactory(event=event)
        factories.ApplicationFactory(event=event, status="approved")


def add_event_rows(event, n):
    for _ in range(n):
        booth = factories.BoothFactory(event=event)
        application = factories.ApplicationFactory(event=event)
        factories.AssignmentFactory(booth=booth, application=application)


def test_event_changelist_same_query_count_for_few_and_many_fairs(admin_client):
    url = admin_url("admin:events_event_changelist")
    add_events(3)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    add_events(57)
    many, response = count_queries(admin_client, url)
    assert few == many
    assert response.context["cl"].result_count == 60
    assert "1 / 1" in response.content.decode()


def test_event_changelist_shows_application_and_booth_counts(admin_client, event):
    factories.ApplicationFactory.create_batch(2, event=event, status="approved")
    factories.ApplicationFactory(event=event, status="submitted")
    booth = factories.BoothFactory(event=event)
    factories.BoothFactory.create_batch(3, event=event)
    factories.AssignmentFactory(booth=booth, application__event=event)
    _, response = count_queries(admin_client, admin_url("admin:events_event_changelist"))
    row = response.context["cl"].result_list[0]
    assert (row.n_approved, row.n_applications, row.n_booths, row.n_assigned) == (2, 4, 4, 1)
    assert "2 / 4" in response.content.decode()
    assert "1 / 4" in response.content.decode()


def test_event_change_page_same_query_count_for_few_and_many_rows(admin_client, event):
    url = admin_url("admin:events_event_change", event.pk)
    add_event_rows(event, 3)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    add_event_rows(event, 57)
    many, response = count_queries(admin_client, url)
    assert few == many
    content = response.content.decode()
    last = event.booths.order_by("-pk").first()
    assert f">{last.code}<" in content
    assert event.applications.order_by("-pk").first().vendor.name in content


def test_event_action_publish_steps_draft_fairs_and_records_who(admin_client, organiser_user):
    drafts = factories.EventFactory.create_batch(2, status=Event.Status.DRAFT)
    response = admin_client.post(
        admin_url("admin:events_event_changelist"),
        {"action": "publish", "_selected_action": [e.pk for e in drafts], "index": 0},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["2 fairs moved to “Published”."]
    for event in drafts:
        event.refresh_from_db()
        assert event.status == Event.Status.PUBLISHED
        assert event.status_changed_by == organiser_user
    changes = EventStatusChange.objects.filter(event__in=drafts)
    assert sorted(changes.values_list("from_status", "to_status", "changed_by")) == [
        ("draft", "published", organiser_user.pk),
        ("draft", "published", organiser_user.pk),
    ]


def test_event_action_invalid_step_is_a_message_and_changes_nothing(admin_client):
    draft = factories.EventFactory(status=Event.Status.DRAFT, name="Hội chợ Nháp")
    open_fair = factories.EventFactory(status=Event.Status.REGISTRATION_OPEN, name="Hội chợ Mở")
    response = admin_client.post(
        admin_url("admin:events_event_changelist"),
        {"action": "close_registration", "_selected_action": [draft.pk, open_fair.pk], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "1 fair moved to “Registration closed”.",
        "1 fair was not changed: Hội chợ Nháp: A fair cannot go from “Draft” to “Registration closed”.",
    ]
    draft.refresh_from_db()
    open_fair.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    assert open_fair.status == Event.Status.REGISTRATION_CLOSED
    assert not EventStatusChange.objects.filter(event=draft).exists()


def test_event_change_form_ignores_a_posted_status(admin_client, event):
    url = admin_url("admin:events_event_change", event.pk)
    response = admin_client.get(url)
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert "Registration open" in response.content.decode()


def test_event_change_form_saves_through_its_inlines(admin_client, event):
    add_event_rows(event, 3)
    url = admin_url("admin:events_event_change", event.pk)
    data = posted_form(admin_client.get(url))
    data["venue"] = ["Nhà văn hóa công nhân VSIP"]
    data["zones-0-name"] = ["Khu OCOP"]
    data["status"] = ["archived"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.venue == "Nhà văn hóa công nhân VSIP"
    assert event.status == Event.Status.REGISTRATION_OPEN
    assert event.zones.order_by("position", "code").first().name == "Khu OCOP"
    assert event.booths.count() == 3


def test_admin_non_staff_user_is_redirected_to_login(client):
    client.force_login(factories.UserFactory())
    url = admin_url("admin:events_event_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{admin_url('admin:login')}?next={url}"


def test_admin_anonymous_user_is_redirected_to_login(client):
    url = admin_url("admin:vendors_vendor_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(admin_url("admin:login"))


def test_admin_site_header_names_the_product(admin_client):
    response = admin_client.get(admin_url("admin:index"))
    content = response.content.decode()
    assert "<title>Site administration | tuanhang – Fair management</title>" in content
    assert "tuanhang – Fair management</a>" in content


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("hai phong", "Hải Phòng"),
        ("Hải Dương", "Hải Phòng"),  # former province merged into Hải Phòng in 2025
        ("HAI DUONG", "Hải Phòng"),
        ("dong thap", "Đồng Tháp"),
        ("Tiền Giang", "Đồng Tháp"),
    ],
)
def test_province_search_finds_current_and_former_names(admin_client, term, expected):
    url = admin_url("admin:events_province_changelist")
    response = admin_client.get(url, {"q": term})
    assert [p.name for p in response.context["cl"].result_list] == [expected]


def test_province_autocomplete_finds_former_name_without_accents(admin_client):
    response = admin_client.get(
        admin_url("admin:autocomplete"),
        {"term": "binh duong", "app_label": "vendors", "model_name": "vendor", "field_name": "province"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Hồ Chí Minh"]


OUR_APPS = ("events", "vendors", "booths")
# edited inside their owner, or shown read-only there (a programme's grants and waiting list)
INLINE_ONLY = {
    "vendors.zonepreference",
    "events.programmeitem",
    "events.membership",
    "vendors.subsidygrant",
    "vendors.subsidywaiting",
}
INLINE_ONLY |= {"events.fairdocumentrule"}  # the fair's document rules: an inline of the fair
INLINE_ONLY |= {"events.teamchange"}  # the team's history: shown on its team page (tuanhang/office/team)
# Machinery of the phone log-in with no admin page: hashed one-time codes and rate counters.
INLINE_ONLY |= {"vendors.onetimecode", "vendors.otpquota"}
# An organiser's receiving accounts (its page) and what an application owes (its page, read only).
INLINE_ONLY |= {"events.organiserbankaccount", "vendors.amountdue"}
# Bank statements: imported, matched and assigned on the organiser's reconciliation pages
# (tuanhang/office/statements), every change logged there; no admin page writes around the matcher.
INLINE_ONLY |= {"vendors.statementimport", "vendors.statementline", "vendors.statementlinechange"}
INLINE_ONLY |= {"vendors.statementprofile"}
# Receipts, refunds, invoice numbers and voided payments are listed read-only in the admin
# (tuanhang/office/admin/vendors/money.py); the counters behind the numbers are not shown.
INLINE_ONLY |= {"vendors.vouchercounter"}
READ_ONLY = {
    # receipts, refunds, e-invoice numbers and voided payments (issue 20): written on the review page
    "vendors.receipt",
    "vendors.refund",
    "vendors.paymentinvoice",
    "vendors.paymentvoid",
    # the access log (issue 17), written by the exports and downloads it records
    "events.accesslog",
    # the registry's records, written by its approvals and merges (the registry pages)
    "vendors.identitychangerequest",
    "vendors.erasurerequest",
    "vendors.phoneidentity",  # written by the phone log-in  # decided by its action (superusers) or on the team page
    "vendors.vendorformercode",
    "vendors.vendormerge",
    "events.province",
    "events.commune",
    "events.eventstatuschange",
    "vendors.applicationstatuschange",
    # written by the vendor journey's services (uploads, invitations, recorded payments), shown only
    "vendors.applicationdocument",
    "vendors.vendorinvitation",
    "vendors.payment",
    # written by the booth-allocation services, shown only
    "booths.allocationrun",
    "booths.assignmentchange",
    # prints and reports, written by events.generated's services, shown only
    "events.generatedfile",
    # written by the setup-day check-in services, shown only
    "vendors.checkin",
    "vendors.checkinchange",
}


def test_admin_every_model_of_our_apps_is_registered():
    models = {m._meta.label_lower for app in OUR_APPS for m in apps.get_app_config(app).get_models()}
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert models - registered == INLINE_ONLY


@pytest.mark.parametrize(
    "label",
    sorted(
        m._meta.label_lower
        for app in OUR_APPS
        for m in apps.get_app_config(app).get_models()
        if m._meta.label_lower not in INLINE_ONLY
    ),
)
def test_admin_list_search_and_add_pages_render(admin_client, label):
    factories.AssignmentFactory()
    app_label, model_name = label.split(".")
    model = apps.get_model(label)
    changelist = admin_url(f"admin:{app_label}_{model_name}_changelist")
    listing = admin_client.get(changelist)
    assert listing.status_code == 200
    assert listing.context["cl"].model is model  # the page lists this model, not a fallback page
    searched = admin_client.get(changelist, {"q": "Đồng Tháp"})
    assert searched.status_code == 200
    # A search narrows the list (or the model has no search): never more rows than the full list.
    assert searched.context["cl"].result_count <= listing.context["cl"].result_count
    add = admin_client.get(admin_url(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code == (403 if label in READ_ONLY else 200)
    if add.status_code == 200:
        assert add.context["adminform"].form._meta.model is model  # an empty form to fill in


def test_admin_organiser_page_shows_the_staff_and_sends_changes_to_the_team_page(admin_client):
    """The team changes in one place, the team page (logged, last administrator kept): the
    organiser's admin page lists the staff read-only, links there, and a posted membership is
    not written."""
    from events.models import Membership

    organiser = factories.OrganiserFactory(name="Ban quản lý KCN Thủy Nguyên")
    fair = factories.EventFactory(organiser=organiser)
    member = factories.StaffUserFactory(username="ketoan", organiser=organiser, role="accountant", fairs=[fair])
    newcomer = factories.StaffUserFactory(username="moi", role=None)
    url = admin_url("admin:events_organiser_change", organiser.pk)

    page = admin_client.get(url)

    assert page.status_code == 200
    assertContains(page, "ketoan")
    assertContains(page, reverse("team:page", args=[organiser.pk]))
    data = {
        "name": organiser.name,
        "short_name": organiser.short_name,
        "province": organiser.province_id or "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": newcomer.pk,
        "memberships-0-role": "admin",
    }
    admin_client.post(url, data)
    assert list(Membership.objects.filter(organiser=organiser).values_list("user__username", "role")) == [
        (member.username, "accountant")
    ]
