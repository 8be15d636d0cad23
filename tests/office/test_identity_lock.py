"""Issue 18 item 4: the legal identity of a business that has applied is locked. A change from any
path (admin, participant-list import) waits for approval; an organiser's administrators approve the
requests of businesses that applied to their fairs (another organiser's: 404); the approved
application keeps showing what was approved in the fair's exports and on the review page."""

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from events.models import Membership
from tests import factories
from tests.events.test_admin import posted_form
from tuanhang.office.printing.exports import application_table, participants_table
from vendors.importing import read_table, run_import, validate_table
from vendors.models import Application, IdentityChangeRequest, Vendor
from vendors.services.core import application_transition
from vendors.services.registry import identity_change_approve

ICR = IdentityChangeRequest.Status
A = Application.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    org2 = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp huyện Thủy Nguyên")
    fair = factories.EventFactory(name="Hội chợ Một")
    vendor = factories.VendorFactory(name="Công ty Chè Một", kind="DN", tax_code="0100109106")
    application = factories.ApplicationFactory(event=fair, vendor=vendor, status=A.SUBMITTED)
    admin = factories.StaffUserFactory(username="quantri1")
    application_transition(application=application, to_status=A.APPROVED, by=admin, notify=False)
    return {
        "fair": fair,
        "vendor": vendor,
        "application": application,
        "admin": admin,
        "other_admin": factories.StaffUserFactory(username="quantri2", organiser=org2),
        "superuser": factories.StaffUserFactory(is_superuser=True),
    }


def _pending(vendor, **new):
    values = {"new_name": vendor.name, "new_kind": vendor.kind, "new_tax_code": vendor.tax_code, **new}
    return IdentityChangeRequest.objects.create(
        vendor=vendor, old_name=vendor.name, old_kind=vendor.kind, old_tax_code=vendor.tax_code, **values
    )


# --- every path holds the change ----------------------------------------------------------------


def test_a_superusers_admin_edit_of_an_approved_business_becomes_a_request(client, world):
    vendor, superuser = world["vendor"], world["superuser"]
    client.force_login(superuser)
    change = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    data = posted_form(client.get(change))
    data.update({"name": ["Công ty Chè Mới"], "contact_name": ["Trần Văn Bình"]})

    response = client.post(change, data, follow=True)

    assertContains(response, "the change waits for approval on the registry page")
    vendor.refresh_from_db()
    assert (vendor.name, vendor.contact_name) == ("Công ty Chè Một", "Trần Văn Bình")
    request = IdentityChangeRequest.objects.get()
    assert (request.status, request.requested_by) == (ICR.PENDING, superuser)
    assert (request.old_name, request.new_name) == ("Công ty Chè Một", "Công ty Chè Mới")


def test_an_import_row_renaming_an_approved_business_becomes_a_request(world, tmp_path):
    vendor, admin = world["vendor"], world["admin"]
    path = tmp_path / "ds.csv"
    path.write_text("name,kind,tax_code,province\nCông ty Chè Mới,HTX,0100109106,Hà Nội\n", encoding="utf-8")

    outcome = run_import(validate_table(read_table(path.open("rb"), "ds.csv")), by=admin)

    assert (outcome.updated, outcome.identity_changes_held) == (1, 1)
    vendor.refresh_from_db()
    assert (vendor.name, vendor.kind, vendor.province.name) == ("Công ty Chè Một", "DN", "Hà Nội")
    request = IdentityChangeRequest.objects.get()
    assert (request.new_name, request.new_kind, request.requested_by) == ("Công ty Chè Mới", "HTX", admin)


def test_an_import_renames_a_business_that_never_applied_directly(db, tmp_path):
    vendor = factories.VendorFactory(name="Tên cũ", tax_code="0100109106")
    path = tmp_path / "ds.csv"
    path.write_text("name,kind,tax_code,province\nTên mới,DN,0100109106,Hà Nội\n", encoding="utf-8")

    outcome = run_import(validate_table(read_table(path.open("rb"), "ds.csv")))

    assert outcome.identity_changes_held == 0
    vendor.refresh_from_db()
    assert vendor.name == "Tên mới"
    assert not IdentityChangeRequest.objects.exists()


# --- an organiser's administrators decide, scoped ----------------------------------------------


def test_an_organiser_administrator_lists_and_approves_a_request_of_its_fairs_business(client, world):
    vendor = world["vendor"]
    request = _pending(vendor, new_name="Công ty Chè Mới")
    client.force_login(world["admin"])

    listing = client.get(reverse("registry:requests"))
    assertContains(listing, f'data-request="{request.pk}"')
    refused = client.post(reverse("registry:request_decide", args=[request.pk]), {"decision": "approve"})
    assert refused.status_code == 400  # the confirmation box was not ticked
    vendor.refresh_from_db()
    assert vendor.name == "Công ty Chè Một"

    response = client.post(
        reverse("registry:request_decide", args=[request.pk]), {"decision": "approve", "confirm": "on"}
    )

    assert response.status_code == 302
    vendor.refresh_from_db()
    request.refresh_from_db()
    assert vendor.name == "Công ty Chè Mới"
    assert (request.status, request.decided_by) == (ICR.APPROVED, world["admin"])


def test_another_organisers_administrator_gets_404_and_changes_nothing(client, world):
    request = _pending(world["vendor"], new_name="Công ty Chè Mới")
    client.force_login(world["other_admin"])

    listing = client.get(reverse("registry:requests"))
    detail = client.get(reverse("registry:request", args=[request.pk]))
    decide = client.post(
        reverse("registry:request_decide", args=[request.pk]), {"decision": "approve", "confirm": "on"}
    )

    assert listing.status_code == 200 and f'data-request="{request.pk}"' not in listing.content.decode()
    assert (detail.status_code, decide.status_code) == (404, 404)
    request.refresh_from_db()
    assert request.status == ICR.PENDING


def test_a_reviewer_of_the_fair_may_not_decide(client, world):
    request = _pending(world["vendor"], new_name="Công ty Chè Mới")
    client.force_login(factories.StaffUserFactory(role=Membership.Role.REVIEWER))

    response = client.post(
        reverse("registry:request_decide", args=[request.pk]), {"decision": "approve", "confirm": "on"}
    )

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == ICR.PENDING


# --- the approved application keeps what was approved ------------------------------------------


def _change_identity_after_approval(world):
    request = _pending(world["vendor"], new_name="Công ty Chè Mới", new_kind="HTX", new_tax_code="0100109106")
    identity_change_approve(request_pk=request.pk, by=world["superuser"])


def test_approval_records_the_identity_it_was_given_to(world):
    application = Application.objects.get(pk=world["application"].pk)

    assert (application.approved_name, application.approved_kind, application.approved_tax_code) == (
        "Công ty Chè Một",
        "DN",
        "0100109106",
    )
    assert not application.identity_changed_since_approval


def test_the_participant_export_shows_the_approved_identity_and_notes_a_later_change(world):
    _change_identity_after_approval(world)

    table = participants_table(world["fair"], personal=True)

    headers = [column.header for column in table.columns]
    row = dict(zip(headers, table.rows[0], strict=True))
    assert row["Legal name"] == "Công ty Chè Một"
    assert row["Kind"] == str(Vendor.Kind("DN").label)
    assert row["Identity changed after approval"] == "changed after approval: Công ty Chè Mới, HTX, 0100109106"


def test_the_application_export_shows_the_approved_identity_and_notes_a_later_change(world):
    _change_identity_after_approval(world)

    table = application_table(Application.objects.filter(pk=world["application"].pk), personal=True)

    headers = [column.header for column in table.columns]
    row = dict(zip(headers, table.rows[0], strict=True))
    assert row["Participant"] == "Công ty Chè Một"
    assert row["Identity changed after approval"].startswith("changed after approval: Công ty Chè Mới")


def test_an_unchanged_identity_gets_no_note(world):
    table = participants_table(world["fair"], personal=True)

    headers = [column.header for column in table.columns]
    assert dict(zip(headers, table.rows[0], strict=True))["Identity changed after approval"] == ""


def test_the_review_page_shows_what_was_approved_after_a_change(client, world):
    client.force_login(world["admin"])
    url = reverse("vendors:review_detail", args=[world["application"].pk])
    assert "approved-identity" not in client.get(url).content.decode()

    _change_identity_after_approval(world)
    response = client.get(url)

    assertContains(response, 'id="approved-identity"')
    assertContains(response, "Công ty Chè Một")
    assertContains(response, "changed after approval")
