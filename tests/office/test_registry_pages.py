"""The registry's staff pages (/staff/registry/): only the installation's administrators
(superusers) reach them; organiser staff and businesses get 403, anonymous visitors the login page.
Approving, rejecting and merging through the pages, and what a refused post leaves behind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Membership
from tests import factories
from tests.vendors._profile_support import member_of
from vendors.models import Application, IdentityChangeRequest, Vendor, VendorFormerCode, VendorMerge

ICR = IdentityChangeRequest.Status
OLD_CODE, PERSONAL_ID = "0100109106", "031185012345"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _pending(vendor, **new):
    values = {"new_name": vendor.name, "new_kind": vendor.kind, "new_tax_code": vendor.tax_code, **new}
    return IdentityChangeRequest.objects.create(
        vendor=vendor, old_name=vendor.name, old_kind=vendor.kind, old_tax_code=vendor.tax_code, **values
    )


@pytest.fixture
def world(db):
    household = factories.VendorFactory(name="Hộ kinh doanh Nước mắm Cát Hải", kind="HKD", tax_code=OLD_CODE)
    new = factories.VendorFactory(name="Hộ kinh doanh Trần Văn Nam", kind="HKD", tax_code="031185099999")
    request = _pending(household, new_tax_code=PERSONAL_ID, new_name="Hộ kinh doanh Trần Văn Nam")
    return {
        "household": household,
        "new": new,
        "request": request,
        "superuser": factories.StaffUserFactory(is_superuser=True),
    }


def _pages(w):
    """(method, URL, data) of every registry page, with data that would write if it were allowed."""
    merge_data = {"keep": w["new"].tax_code, "duplicate": OLD_CODE, "confirm": "on"}
    return [
        ("get", reverse("registry:requests"), None),
        ("get", reverse("registry:request", args=[w["request"].pk]), None),
        ("post", reverse("registry:request_decide", args=[w["request"].pk]), {"decision": "approve", "confirm": "on"}),
        ("get", reverse("registry:merge"), None),
        ("get", reverse("registry:merge") + f"?keep={w['new'].tax_code}&duplicate={OLD_CODE}", None),
        ("post", reverse("registry:merge"), merge_data),
    ]


def _unchanged(w):
    w["household"].refresh_from_db()
    w["request"].refresh_from_db()
    return (
        w["household"].tax_code == OLD_CODE
        and w["request"].status == ICR.PENDING
        and Vendor.objects.count() == 2
        and not VendorMerge.objects.exists()
    )


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: factories.StaffUserFactory(role=Membership.Role.REVIEWER), id="reviewer"),
        pytest.param(lambda: factories.StaffUserFactory(role=Membership.Role.OVERSIGHT), id="oversight"),
        pytest.param(lambda: factories.StaffUserFactory(role=None), id="staff-of-no-organiser"),
    ],
)
def test_registry_pages_refuse_organiser_staff_with_the_vietnamese_message(client, world, make_user):
    client.force_login(make_user())
    with translation.override("vi"):
        pages = _pages(world)  # the Vietnamese addresses (no /en/ prefix): the 403 page in Vietnamese
    for method, url, data in pages[1:]:  # the list answers every staff account with what it may decide
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, (method, url)
        assertContains(response, "Chỉ quản trị viên", status_code=403)
    assert _unchanged(world)


def test_an_organiser_administrator_may_not_merge_nor_see_another_organisers_request(client, world):
    # The household applied to no fair of this administrator's organiser: its request is not theirs.
    client.force_login(factories.StaffUserFactory())
    statuses = [getattr(client, method)(url, data or {}).status_code for method, url, data in _pages(world)]

    assert statuses == [200, 404, 404, 403, 403, 403]
    assert _unchanged(world)


def test_registry_pages_refuse_a_business(client, world):
    client.force_login(member_of(world["household"]))
    for method, url, data in _pages(world):
        assert getattr(client, method)(url, data or {}).status_code == 403, (method, url)
    assert _unchanged(world)


def test_registry_pages_send_anonymous_visitors_to_log_in(client, world):
    for method, url, data in _pages(world):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302 and "login" in response.url, (method, url)
    assert _unchanged(world)


def test_request_list_shows_pending_changes_to_a_superuser(client, world):
    decided = _pending(world["new"], new_name="Đã xử lý")
    IdentityChangeRequest.objects.filter(pk=decided.pk).update(status=ICR.REJECTED)
    client.force_login(world["superuser"])

    response = client.get(reverse("registry:requests"))

    assert [change.pk for change in response.context["changes"]] == [world["request"].pk]
    assertContains(response, PERSONAL_ID)
    assertNotContains(response, "Đã xử lý")


def _many_requests(count):
    for n in range(count):
        _pending(factories.VendorFactory(), new_name=f"Tên mới {n}")


def test_request_list_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world["superuser"])
    url = reverse("registry:requests")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many_requests(20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["changes"]) == 21
    assert len(many) == len(few)


def test_request_list_is_paginated(client, world):
    _many_requests(30)
    client.force_login(world["superuser"])

    first = client.get(reverse("registry:requests"))
    second = client.get(reverse("registry:requests") + "?page=2")

    assert (len(first.context["changes"]), len(second.context["changes"])) == (25, 6)


def test_superuser_approves_a_change_on_its_page(client, world):
    client.force_login(world["superuser"])
    url = reverse("registry:request", args=[world["request"].pk])
    assertContains(client.get(url), "Approve the change")

    response = client.post(
        reverse("registry:request_decide", args=[world["request"].pk]), {"decision": "approve", "confirm": "on"}
    )

    assert response.status_code == 302
    world["household"].refresh_from_db()
    assert (world["household"].tax_code, world["household"].name) == (PERSONAL_ID, "Hộ kinh doanh Trần Văn Nam")
    assert VendorFormerCode.objects.get().tax_code == OLD_CODE


def test_approval_without_confirmation_changes_nothing(client, world):
    client.force_login(world["superuser"])

    response = client.post(reverse("registry:request_decide", args=[world["request"].pk]), {"decision": "approve"})

    assert response.status_code == 400
    assertContains(response, "Tick the box to confirm the approval.", status_code=400)
    assert _unchanged(world)


def test_approval_of_a_code_taken_meanwhile_says_so_and_changes_nothing(client, world):
    factories.VendorFactory(kind="HKD", tax_code=PERSONAL_ID)
    client.force_login(world["superuser"])

    response = client.post(
        reverse("registry:request_decide", args=[world["request"].pk]), {"decision": "approve", "confirm": "on"}
    )

    assert response.status_code == 409
    assertContains(response, "Another business already uses the tax code 031185012345", status_code=409)
    world["household"].refresh_from_db()
    world["request"].refresh_from_db()
    assert (world["household"].tax_code, world["request"].status) == (OLD_CODE, ICR.PENDING)


def test_superuser_rejects_with_a_reason_the_business_reads(client, world):
    client.force_login(world["superuser"])
    decide = reverse("registry:request_decide", args=[world["request"].pk])

    refused = client.post(decide, {"decision": "reject", "reason": "  "})
    response = client.post(decide, {"decision": "reject", "reason": "Tên trên CCCD khác tên hộ."})

    assert (refused.status_code, response.status_code) == (400, 302)
    world["request"].refresh_from_db()
    world["household"].refresh_from_db()
    assert (world["request"].status, world["request"].reason, world["household"].tax_code) == (
        ICR.REJECTED,
        "Tên trên CCCD khác tên hộ.",
        OLD_CODE,
    )
    owner = member_of(world["household"])
    client.force_login(owner)
    assertContains(client.get(reverse("vendors:profile_edit")), "Tên trên CCCD khác tên hộ.")


def test_merge_page_previews_then_merges_on_confirmation(client, world):
    factories.ApplicationFactory(vendor=world["household"], event=factories.EventFactory(name="Hội chợ 2024"))
    client.force_login(world["superuser"])
    url = reverse("registry:merge")

    preview = client.get(url, {"keep": world["new"].tax_code, "duplicate": OLD_CODE})
    unconfirmed = client.post(url, {"keep": world["new"].tax_code, "duplicate": OLD_CODE})

    assert preview.status_code == 200
    assert preview.context["preview"]["duplicate"].counts["applications"] == 1
    assert preview.context["preview"]["duplicate"].fairs == ["Hội chợ 2024"]
    assertContains(preview, "Merge the duplicate into the kept record")
    assert unconfirmed.status_code == 400
    assert Vendor.objects.count() == 2

    response = client.post(url, {"keep": world["new"].tax_code, "duplicate": OLD_CODE, "confirm": "on"})

    assert response.status_code == 302
    assert list(Vendor.objects.all()) == [world["new"]]
    assert Application.objects.get().vendor == world["new"]
    # Searching by the old code now finds the kept business.
    again = client.get(url, {"keep": OLD_CODE, "duplicate": world["new"].tax_code})
    assertContains(again, "Both codes name the same record.")


def test_merge_page_refuses_two_applications_to_one_fair_and_writes_nothing(client, world):
    fair = factories.EventFactory(name="Tuần hàng VSIP")
    factories.ApplicationFactory(vendor=world["household"], event=fair)
    factories.ApplicationFactory(vendor=world["new"], event=fair)
    client.force_login(world["superuser"])
    data = {"keep": world["new"].tax_code, "duplicate": OLD_CODE}

    preview = client.get(reverse("registry:merge"), data)
    response = client.post(reverse("registry:merge"), {**data, "confirm": "on"})

    assertContains(preview, "Both records have an application to: Tuần hàng VSIP.")
    assertNotContains(preview, "Merge the duplicate into the kept record")
    assert response.status_code == 409
    assertContains(response, "Both records have an application to “Tuần hàng VSIP”", status_code=409)
    assert Vendor.objects.count() == 2
    assert Application.objects.filter(vendor=world["household"]).count() == 1
    assert not VendorMerge.objects.exists()


def test_merge_page_says_when_a_code_is_unknown(client, world):
    client.force_login(world["superuser"])

    response = client.get(reverse("registry:merge"), {"keep": "0300588569", "duplicate": OLD_CODE})

    assertContains(response, "No business has the tax code 0300588569.")
    assert response.context["preview"] is None
