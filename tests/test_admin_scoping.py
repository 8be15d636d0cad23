"""The admin scoped by the policy (issue 16): an organiser's staff see and change only their own
fairs and what belongs to them; another organiser's rows answer 404, a role without the capability
403; choices, list filters, autocomplete and actions reach only the user's fairs."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from booths.admin_import import SESSION_KEY as BOOTH_IMPORT_KEY
from booths.models import Booth
from events.models import Event, Membership, Zone
from tests import factories
from tests.events.test_admin import posted_form
from vendors.models import Application, CheckIn

pytestmark = pytest.mark.django_db
R = Membership.Role


def url(name, *args):
    # English URLs (/en/admin/…) keep the assertions independent of the Vietnamese catalogue.
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


class World:
    """Two organisers, each with a fair, a zone, a booth and an application from its own business."""

    def __init__(self):
        self.org1 = factories.OrganiserFactory()
        self.org2 = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp huyện Thủy Nguyên")
        self.fair1 = factories.EventFactory(name="Hội chợ Một", status=Event.Status.DRAFT)
        self.fair2 = factories.EventFactory(name="Hội chợ Hai", organiser=self.org2, status=Event.Status.DRAFT)
        self.booth1 = factories.BoothFactory(event=self.fair1, code="M01", zone__name="Khu Một")
        self.booth2 = factories.BoothFactory(event=self.fair2, code="H01", zone__name="Khu Hai")
        self.zone1, self.zone2 = self.booth1.zone, self.booth2.zone
        self.vendor1 = factories.VendorFactory(name="Công ty Chè Một")
        self.vendor2 = factories.VendorFactory(name="Công ty Mắm Hai")
        self.app1 = factories.ApplicationFactory(event=self.fair1, vendor=self.vendor1)
        self.app2 = factories.ApplicationFactory(event=self.fair2, vendor=self.vendor2)
        self.admin1 = factories.StaffUserFactory(username="quantri1")
        self.admin2 = factories.StaffUserFactory(username="quantri2", organiser=self.org2)


@pytest.fixture
def world():
    return World()


def as_user(client, user):
    client.force_login(user)
    return client


def listed(response):
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


# --- changelists and change pages ------------------------------------------------------------


def test_changelists_list_only_the_organisers_own_rows(client, world):
    as_user(client, world.admin1)
    assert listed(client.get(url("admin:events_event_changelist"))) == {world.fair1}
    assert listed(client.get(url("admin:vendors_application_changelist"))) == {world.app1}
    assert listed(client.get(url("admin:booths_booth_changelist"))) == {world.booth1}
    assert listed(client.get(url("admin:events_zone_changelist"))) == {world.zone1}


def test_superuser_sees_every_organisers_rows(client, world):
    as_user(client, factories.StaffUserFactory(is_superuser=True))
    assert listed(client.get(url("admin:events_event_changelist"))) == {world.fair1, world.fair2}
    assert listed(client.get(url("admin:vendors_application_changelist"))) == {world.app1, world.app2}
    assert listed(client.get(url("admin:vendors_vendor_changelist"))) == {world.vendor1, world.vendor2}
    assert client.get(url("admin:events_event_change", world.fair2.pk)).status_code == 200


def test_staff_of_no_organiser_sees_no_fair(client, world):
    as_user(client, factories.StaffUserFactory(role=None))
    assert client.get(url("admin:events_event_changelist")).status_code == 403  # no admin module at all
    assert client.get(url("admin:events_event_change", world.fair1.pk)).status_code == 404
    assert client.get(url("admin:vendors_application_change", world.app1.pk)).status_code == 404


@pytest.mark.parametrize(
    "name, attr",
    [
        ("admin:events_event_change", "fair2"),
        ("admin:events_event_history", "fair2"),
        ("admin:vendors_application_change", "app2"),
        ("admin:booths_booth_change", "booth2"),
        ("admin:booths_booth_delete", "booth2"),
        ("admin:events_zone_change", "zone2"),
        ("admin:vendors_vendor_change", "vendor2"),
        ("admin:events_organiser_change", "org2"),
    ],
)
def test_another_organisers_row_answers_404_like_a_missing_one(client, world, name, attr):
    as_user(client, world.admin1)
    assert client.get(url(name, getattr(world, attr).pk)).status_code == 404
    assert client.get(url(name, 987654)).status_code == 404
    own = {"fair2": "fair1", "app2": "app1", "booth2": "booth1", "zone2": "zone1", "vendor2": "vendor1"}
    own_attr = own.get(attr, "org1")
    assert client.get(url(name, getattr(world, own_attr).pk)).status_code == 200


def test_organiser_changelist_lists_only_the_teams_the_user_manages(client, world):
    as_user(client, world.admin2)
    assert listed(client.get(url("admin:events_organiser_changelist"))) == {world.org2}
    assert client.get(url("admin:events_organiser_add")).status_code == 403
    assert client.get(url("admin:events_organiser_delete", world.org2.pk)).status_code == 403


# --- choices: foreign keys, list filters, autocomplete ------------------------------------


def test_zone_form_offers_only_the_users_fairs_and_refuses_a_posted_foreign_one(client, world):
    as_user(client, world.admin1)
    page = client.get(url("admin:events_zone_add"))
    offered = {getattr(v, "value", v) for v, _ in page.context["adminform"].form.fields["event"].choices if v}
    assert offered == {world.fair1.pk}

    data = {"event": world.fair2.pk, "code": "X", "name": "Khu lạ", "colour": "#336699", "position": 0}
    response = client.post(url("admin:events_zone_add"), data)
    assert response.status_code == 200
    assert "event" in response.context["adminform"].form.errors
    assert not Zone.objects.filter(code="X").exists()

    response = client.post(url("admin:events_zone_add"), {**data, "event": world.fair1.pk})
    assert response.status_code == 302
    assert Zone.objects.get(code="X").event == world.fair1


def test_booth_form_refuses_another_organisers_zone(client, world):
    as_user(client, world.admin1)
    change = url("admin:booths_booth_change", world.booth1.pk)
    data = posted_form(client.get(change))
    data["zone"] = [str(world.zone2.pk)]
    response = client.post(change, data)
    assert response.status_code == 200
    assert "zone" in response.context["adminform"].form.errors
    world.booth1.refresh_from_db()
    assert world.booth1.zone == world.zone1


def test_event_form_offers_only_organisers_the_user_administers(client, world):
    as_user(client, world.admin1)
    page = client.get(url("admin:events_event_add"))
    field = page.context["adminform"].form.fields["organiser"]
    assert {getattr(v, "value", v) for v, _ in field.choices if v} == {world.org1.pk}


def test_list_filter_offers_only_own_fairs_and_a_foreign_fair_lists_nothing(client, world):
    other_own = factories.EventFactory(name="Hội chợ Ba")
    as_user(client, world.admin1)
    changelist = url("admin:vendors_application_changelist")
    response = client.get(changelist)
    event_filter = next(f for f in response.context["cl"].filter_specs if getattr(f, "field_path", "") == "event")
    assert {pk for pk, _ in event_filter.lookup_choices} == {world.fair1.pk, other_own.pk}

    assert listed(client.get(changelist, {"event__id__exact": world.fair2.pk})) == set()
    assert listed(client.get(changelist, {"event__id__exact": world.fair1.pk})) == {world.app1}


def test_autocomplete_offers_only_own_rows(client, world):
    as_user(client, world.admin1)
    params = {"app_label": "booths", "model_name": "booth", "field_name": "zone"}
    found = client.get(url("admin:autocomplete"), {**params, "term": "Khu"}).json()["results"]
    assert [r["id"] for r in found] == [str(world.zone1.pk)]
    found = client.get(url("admin:autocomplete"), {**params, "term": "Khu Hai"}).json()["results"]
    assert found == []

    params = {"app_label": "vendors", "model_name": "application", "field_name": "event"}
    found = client.get(url("admin:autocomplete"), {**params, "term": "Hội chợ"}).json()["results"]
    assert [r["id"] for r in found] == [str(world.fair1.pk)]


# --- actions -----------------------------------------------------------------------------


def test_action_with_another_organisers_id_changes_nothing_of_theirs(client, world):
    as_user(client, world.admin1)
    changelist = url("admin:events_event_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [world.fair1.pk, world.fair2.pk]})
    world.fair1.refresh_from_db()
    world.fair2.refresh_from_db()
    assert (world.fair1.status, world.fair2.status) == (Event.Status.PUBLISHED, Event.Status.DRAFT)


def test_decision_action_with_another_organisers_application_changes_nothing(client, world):
    as_user(client, world.admin1)
    changelist = url("admin:vendors_application_changelist")
    data = {"action": "approve", "_selected_action": [world.app1.pk, world.app2.pk], "confirm": "yes"}
    client.post(changelist, data)
    world.app1.refresh_from_db()
    world.app2.refresh_from_db()
    assert (world.app1.status, world.app2.status) == (Application.Status.APPROVED, Application.Status.SUBMITTED)


@pytest.mark.parametrize("index", ["abc", "0", "7", "-1"])
def test_an_odd_action_index_runs_the_action_only_where_the_role_may(client, world, index):
    """Organiser 1's administrator who also reads organiser 2's fairs (a viewer there) cannot
    publish organiser 2's fair by sending an action index Django reads differently."""
    Membership.objects.create(organiser=world.fair2.organiser, user=world.admin1, role=R.VIEWER)
    as_user(client, world.admin1)
    data = {"action": "publish", "index": index, "_selected_action": [world.fair1.pk, world.fair2.pk]}

    response = client.post(url("admin:events_event_changelist"), data)

    assert response.status_code in (200, 302)
    world.fair2.refresh_from_db()
    assert world.fair2.status == Event.Status.DRAFT


def test_action_needing_a_capability_the_role_lacks_is_not_offered(client, world):
    reviewer = factories.StaffUserFactory(role=R.REVIEWER)
    as_user(client, reviewer)
    page = client.get(url("admin:events_event_changelist"))
    assert listed(page) == {world.fair1}
    assert 'value="publish"' not in page.content.decode()
    client.post(url("admin:events_event_changelist"), {"action": "publish", "_selected_action": [world.fair1.pk]})
    world.fair1.refresh_from_db()
    assert world.fair1.status == Event.Status.DRAFT


# --- roles ---------------------------------------------------------------------------------


def test_floor_staff_reads_check_ins_but_not_applications(client, world):
    checkin = CheckIn.objects.create(application=world.app1)
    as_user(client, factories.StaffUserFactory(role=R.FLOOR))
    assert client.get(url("admin:vendors_application_changelist")).status_code == 403
    refused = client.get(url("admin:vendors_application_change", world.app1.pk))
    assert refused.status_code == 403
    assert "Your role cannot read the businesses" in refused.content.decode()
    assert listed(client.get(url("admin:vendors_checkin_changelist"))) == {checkin}
    assert client.get(url("admin:vendors_checkin_change", checkin.pk)).status_code == 200


def test_oversight_reads_fairs_without_saving_and_no_applications(client, world):
    as_user(client, factories.StaffUserFactory(role=R.OVERSIGHT))
    assert client.get(url("admin:vendors_application_changelist")).status_code == 403
    assert listed(client.get(url("admin:events_event_changelist"))) == {world.fair1}
    page = client.get(url("admin:events_event_change", world.fair1.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert world.vendor1.name not in page.content.decode()  # the applications inline needs application.view
    data = {"name": "Đổi tên", "slug": world.fair1.slug}
    assert client.post(url("admin:events_event_change", world.fair1.pk), data).status_code == 403
    world.fair1.refresh_from_db()
    assert world.fair1.name == "Hội chợ Một"


# --- the shared business registry ----------------------------------------------------------


def test_vendor_changelist_lists_only_businesses_that_applied_to_own_fairs(client, world):
    factories.ApplicationFactory(event=factories.EventFactory(organiser=world.org2), vendor=world.vendor2)
    as_user(client, world.admin2)
    response = client.get(url("admin:vendors_vendor_changelist"))
    assert listed(response) == {world.vendor2}
    assert response.context["cl"].result_count == 1  # two applications, one row


def test_vendor_page_shows_only_applications_to_own_fairs(client, world):
    factories.ApplicationFactory(event=world.fair2, vendor=world.vendor1)
    as_user(client, world.admin1)
    page = client.get(url("admin:vendors_vendor_change", world.vendor1.pk))
    formset = next(f for f in page.context["inline_admin_formsets"] if f.formset.model is Application)
    assert [form.instance.event for form in formset.formset.forms] == [world.fair1]
    assert "Hội chợ Hai" not in page.content.decode()


def test_vendor_identity_is_read_only_for_an_organiser_admin(client, world):
    as_user(client, world.admin1)
    change = url("admin:vendors_vendor_change", world.vendor1.pk)
    page = client.get(change)
    form = page.context["adminform"].form
    assert not {"name", "kind", "tax_code"} & set(form.fields)
    data = posted_form(page)
    data.update({"name": ["Tên khác"], "tax_code": ["0100109106"], "contact_name": ["Trần Văn Bình"]})
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    world.vendor1.refresh_from_db()
    assert (world.vendor1.name, world.vendor1.contact_name) == ("Công ty Chè Một", "Trần Văn Bình")
    assert world.vendor1.tax_code != "0100109106"


def test_vendor_identity_stays_editable_for_a_superuser(client, world):
    as_user(client, factories.StaffUserFactory(is_superuser=True))
    form = client.get(url("admin:vendors_vendor_change", world.vendor1.pk)).context["adminform"].form
    assert {"name", "kind", "tax_code"} <= set(form.fields)


def test_business_accounts_are_for_superusers_only(client, world):
    as_user(client, world.admin1)
    assert client.get(url("admin:vendors_vendormember_changelist")).status_code == 403
    assert client.get(url("admin:vendors_vendorinvitation_changelist")).status_code == 403


def test_reference_data_keeps_djangos_model_permissions(client, world):
    as_user(client, world.admin1)
    assert client.get(url("admin:events_category_changelist")).status_code == 403
    assert client.get(url("admin:events_province_changelist")).status_code == 403


# --- the booth import ------------------------------------------------------------------------


def test_booth_import_offers_own_fairs_and_refuses_a_foreign_one(client, world):
    as_user(client, world.admin1)
    import_url = url("admin:booths_booth_import")
    page = client.get(import_url)
    offered = {getattr(v, "value", v) for v, _ in page.context["upload_form"].fields["event"].choices if v}
    assert offered == {world.fair1.pk}

    table = "Mã gian,Khu,Loại gian,X,Y\nM99,Z,std,0,0\n".encode()
    upload = SimpleUploadedFile("gian.csv", table, content_type="text/csv")
    response = client.post(import_url, {"action": "upload", "event": world.fair2.pk, "file": upload})
    assert response.status_code == 200
    assert "event" in response.context["upload_form"].errors
    assert BOOTH_IMPORT_KEY not in client.session
    assert not Booth.objects.filter(code="M99").exists()


# --- an organiser's category aliases ----------------------------------------------------------


def _aliases(world):
    from events.models import Category, CategoryAlias

    fresh = Category.objects.get(name="Thủy hải sản")
    mine = CategoryAlias.objects.create(organiser=world.org1, word="hang tuoi song", category=fresh)
    theirs = CategoryAlias.objects.create(organiser=world.org2, word="hai san tuoi", category=fresh)
    return mine, theirs, fresh


def test_category_aliases_list_only_the_organisers_own_and_another_ones_answers_404(client, world):
    mine, theirs, _fresh = _aliases(world)
    as_user(client, world.admin1)

    assert listed(client.get(url("admin:events_categoryalias_changelist"))) == {mine}
    assert client.get(url("admin:events_categoryalias_change", mine.pk)).status_code == 200
    assert client.get(url("admin:events_categoryalias_change", theirs.pk)).status_code == 404
    assert client.get(url("admin:events_categoryalias_delete", theirs.pk)).status_code == 404


def test_category_alias_form_offers_only_own_organiser_and_stores_the_word_folded(client, world):
    from events.models import CategoryAlias

    _mine, _theirs, fresh = _aliases(world)
    as_user(client, world.admin1)
    add = url("admin:events_categoryalias_add")
    page = client.get(add)
    assert [o.pk for o in page.context["adminform"].form.fields["organiser"].queryset] == [world.org1.pk]

    refused = client.post(add, {"organiser": world.org2.pk, "word": "Cá khô", "category": fresh.pk})
    created = client.post(add, {"organiser": world.org1.pk, "word": "Cá  KHÔ!", "category": fresh.pk})

    assert refused.status_code == 200 and "organiser" in refused.context["adminform"].form.errors
    assert created.status_code == 302
    assert set(CategoryAlias.objects.filter(organiser=world.org2).values_list("word", flat=True)) == {"hai san tuoi"}
    assert CategoryAlias.objects.get(organiser=world.org1, category=fresh, word="ca kho")


def test_category_aliases_are_read_only_for_a_role_that_may_not_import(client, world):
    mine, _theirs, _fresh = _aliases(world)
    viewer = factories.StaffUserFactory(organiser=world.org1, role=R.VIEWER)
    as_user(client, viewer)

    assert listed(client.get(url("admin:events_categoryalias_changelist"))) == {mine}
    assert client.get(url("admin:events_categoryalias_add")).status_code == 403


# --- an organiser's subsidy programmes --------------------------------------------------------


def test_subsidy_programmes_list_only_the_organisers_own_and_another_ones_answers_404(client, world):
    import datetime as dt

    from events.models import SubsidyProgramme

    period = {"starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2025, 12, 31), "share_percent": 50}
    mine = SubsidyProgramme.objects.create(organiser=world.org1, name="KC 2025", budget=10**8, **period)
    theirs = SubsidyProgramme.objects.create(organiser=world.org2, name="KC khác", budget=10**8, **period)
    as_user(client, world.admin1)

    assert listed(client.get(url("admin:events_subsidyprogramme_changelist"))) == {mine}
    page = client.get(url("admin:events_subsidyprogramme_change", mine.pk))
    assert page.status_code == 200
    assert [o.pk for o in page.context["adminform"].form.fields["organiser"].queryset] == [world.org1.pk]
    assert client.get(url("admin:events_subsidyprogramme_change", theirs.pk)).status_code == 404
    fair_form = client.get(url("admin:events_event_change", world.fair1.pk)).context["adminform"].form
    assert list(fair_form.fields["subsidy_programme"].queryset) == [mine]
