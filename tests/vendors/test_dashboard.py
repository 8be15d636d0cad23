"""The business's dashboard: each application with its status, the organisers' reason, its
booths, the fee due, payments and what is still missing, and the actions it allows."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from booths.models import Assignment, Booth
from events.models import BoothType, DocumentType, Event, Zone
from tests import factories
from tests.vendors._applying_support import Fair, at, en, member_of, pdf_upload, use_media_root
from vendors.models import Application, ApplicationDocument, Payment
from vendors.services.amounts import recompute_amounts_due
from vendors.services.applying import application_document_upload, application_save_draft

A = Application.Status


@pytest.fixture
def fair(db):
    return Fair()


@pytest.fixture
def media_root(settings, tmp_path):
    return use_media_root(settings, tmp_path)


@pytest.fixture
def vendor_client(client, fair):
    client.force_login(fair.user)
    return client


def card(response, application) -> str:
    pattern = rf'<article class="card shadow-sm mb-3" data-application="{application.pk}">.*?</article>'
    found = re.search(pattern, response.content.decode(), re.S)
    assert found, f"no card for application {application.pk}"
    return found.group(0)


def field(html, name) -> str:
    """The text of the element marked data-field="name" in a card, whitespace collapsed."""
    found = re.search(rf'<(\w+)[^>]*data-field="{name}"[^>]*>(.*?)</\1>', html, re.S)
    assert found, f"no {name} in the card"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())


@pytest.fixture
def approved(fair):
    """Approved for 2 booths at 6.000.000 ₫ less 30 % = 4.200.000 ₫ each; two booths held, one
    released; two payments of 3.000.000 ₫ and 1.500.000 ₫."""
    application = factories.ApplicationFactory(
        vendor=fair.vendor,
        event=fair.event,
        status=A.APPROVED,
        booths_requested=2,
        decision_reason="Đủ điều kiện, xếp khu OCOP.",
        terms_accepted_at=timezone.now(),
    )
    application.categories.set([fair.food])
    application.products.set([fair.fish_sauce])
    for document_type in (fair.registration, fair.food_safety):
        ApplicationDocument.objects.create(
            application=application,
            document_type=document_type,
            file="documents/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=10,
        )
    booths = {
        code: factories.BoothFactory(event=fair.event, zone=fair.zone_a, booth_type=fair.standard, code=code)
        for code in ("A07", "A03", "A05")
    }
    factories.AssignmentFactory(booth=booths["A07"], application=application)
    factories.AssignmentFactory(booth=booths["A03"], application=application, status=Assignment.Status.CONFIRMED)
    factories.AssignmentFactory(
        booth=booths["A05"], application=application, status=Assignment.Status.RELEASED, released_at=timezone.now()
    )
    for amount, day in ((3_000_000, 1), (1_500_000, 2)):
        Payment.objects.create(application=application, amount=amount, paid_on=dt.date(2024, 5, day))
    return application


def test_dashboard_shows_status_reason_booths_and_money(vendor_client, approved):
    response = vendor_client.get(en("vendors:dashboard"))
    html = card(response, approved)

    assertInHTML(
        '<span class="badge application-status application-status-approved" data-field="status">Approved</span>', html
    )
    assert field(html, "reason") == "Organisers' reason: Đủ điều kiện, xếp khu OCOP."
    assert field(html, "booths-requested") == "2"
    assert field(html, "booths") == "A03, A07"
    assert field(html, "fee-due") == "8.400.000 ₫"
    assert field(html, "paid") == "4.500.000 ₫"
    assert field(html, "outstanding") == "3.900.000 ₫"
    assert 'data-field="missing"' not in html
    assertContains(response, "Tuần hàng Việt Nam VSIP Thủy Nguyên")


def test_dashboard_outstanding_never_goes_below_zero(vendor_client, approved):
    Payment.objects.create(application=approved, amount=5_000_000, paid_on=dt.date(2024, 5, 3))

    html = card(vendor_client.get(en("vendors:dashboard")), approved)

    assert field(html, "paid") == "9.500.000 ₫"
    assert field(html, "outstanding") == "0 ₫"


def test_dashboard_shows_a_rejection_with_its_reason_and_no_booth(vendor_client, fair):
    rejected = factories.ApplicationFactory(
        vendor=fair.vendor, event=fair.event, status=A.REJECTED, decision_reason="Hết chỗ khu OCOP", booths_requested=1
    )

    html = card(vendor_client.get(en("vendors:dashboard")), rejected)

    assertInHTML(
        '<span class="badge application-status application-status-rejected" data-field="status">Rejected</span>', html
    )
    assert field(html, "reason") == "Organisers' reason: Hết chỗ khu OCOP"
    assert field(html, "booths") == "not yet"
    assert field(html, "fee-due") == "0 ₫"  # out of the fair: it owes nothing
    assert field(html, "paid") == "0 ₫"
    assert 'data-field="missing"' not in html
    assert "/withdraw/" not in html


def test_dashboard_lists_what_a_draft_still_misses(vendor_client, fair, media_root):
    draft = application_save_draft(vendor=fair.vendor, event=fair.event, booths_requested=1)
    application_document_upload(application=draft, document_type=fair.registration, upload=pdf_upload())

    html = card(vendor_client.get(en("vendors:dashboard")), draft)

    missing = re.findall(r"<li>(.*?)</li>", re.search(r'data-field="missing".*?</ul>', html, re.S).group(0))
    assert missing == [
        "Document: Giấy chứng nhận cơ sở đủ điều kiện ATTP",
        "Acceptance of the fair's terms",
        "Product categories you will show",
        "Products you will show",
    ]
    assert field(html, "fee-due") == "4.200.000 ₫"
    # Incomplete: the dashboard sends the business to the form rather than offering a submit that would fail.
    assertInHTML(f'<a class="btn btn-primary btn-sm" href="/en/applications/{draft.pk}/">Complete and submit</a>', html)
    assert "/submit/" not in html


def test_dashboard_offers_submit_edit_and_withdraw_for_a_complete_draft(vendor_client, fair, media_root):
    draft = application_save_draft(
        vendor=fair.vendor,
        event=fair.event,
        booths_requested=1,
        categories=[fair.food],
        products=[fair.fish_sauce],
        accept_terms=True,
    )
    for document_type in (fair.registration, fair.food_safety):
        application_document_upload(application=draft, document_type=document_type, upload=pdf_upload())

    html = card(vendor_client.get(en("vendors:dashboard")), draft)

    assert 'data-field="missing"' not in html
    assertInHTML(f'<a class="btn btn-outline-primary btn-sm" href="/en/applications/{draft.pk}/">Edit</a>', html)
    assert f'<form method="post" action="/en/applications/{draft.pk}/submit/" class="d-inline">' in html
    assertInHTML(
        f'<a class="btn btn-outline-danger btn-sm" href="/en/applications/{draft.pk}/withdraw/">Withdraw</a>', html
    )


def test_dashboard_offers_only_view_after_the_deadline(vendor_client, fair):
    submitted = factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.SUBMITTED)
    Event.objects.filter(pk=fair.event.pk).update(registration_opens_at=at(-20), registration_closes_at=at(-1))

    html = card(vendor_client.get(en("vendors:dashboard")), submitted)

    assertInHTML(f'<a class="btn btn-outline-secondary btn-sm" href="/en/applications/{submitted.pk}/">View</a>', html)
    assert ">Edit<" not in html
    assert "/submit/" not in html
    # Withdrawing stays possible: the organisers then free the booth for someone else.
    assert f"/en/applications/{submitted.pk}/withdraw/" in html


def test_dashboard_shows_only_the_business_own_applications(vendor_client, fair, approved):
    theirs = factories.ApplicationFactory(event=fair.event, status=A.APPROVED, decision_reason="Của công ty khác")

    response = vendor_client.get(en("vendors:dashboard"))

    assert [row.application.pk for row in response.context["rows"]] == [approved.pk]
    assertNotContains(response, f'data-application="{theirs.pk}"')
    assertNotContains(response, "Của công ty khác")


def test_dashboard_is_shared_by_colleagues_of_the_business(client, fair, approved):
    client.force_login(member_of(fair.vendor))

    response = client.get(en("vendors:dashboard"))

    assert [row.application.pk for row in response.context["rows"]] == [approved.pk]


def test_dashboard_links_to_profile_products_and_fairs(vendor_client, fair):
    response = vendor_client.get(en("vendors:dashboard"))

    links = re.search(
        r'<nav class="d-flex flex-wrap gap-2"[^>]*id="vendor-links">(.*?)</nav>', response.content.decode(), re.S
    )
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', links.group(1)) == [
        ("/en/profile/", "Business profile"),
        ("/en/products/", "Products"),
        ("/en/payments/", "Payments and receipts"),
        ("/en/fairs/", "Find a fair"),
    ]
    assertContains(
        response, '<p class="mb-0 text-body-secondary" id="vendor-name">Công ty TNHH Nước mắm Cát Hải</p>', html=True
    )


def test_dashboard_without_applications_points_to_the_fairs(vendor_client, fair):
    response = vendor_client.get(en("vendors:dashboard"))

    assertContains(response, "You have not applied to any fair yet.")
    assertContains(response, '<a href="/en/fairs/">See the fairs open for applications.</a>', html=True)


def test_dashboard_in_vietnamese_formats_money_the_same(vendor_client, approved):
    response = vendor_client.get("/dashboard/")

    html = card(response, approved)
    assert field(html, "fee-due") == "8.400.000 ₫"
    assert field(html, "outstanding") == "3.900.000 ₫"


def test_dashboard_escapes_what_people_typed(vendor_client, fair):
    factories.ApplicationFactory(
        vendor=fair.vendor, event=fair.event, status=A.REJECTED, decision_reason="<script>alert(1)</script>"
    )

    response = vendor_client.get(en("vendors:dashboard"))

    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


def test_dashboard_for_an_account_without_a_business_goes_to_profile_creation(client, db):
    client.force_login(factories.UserFactory())

    response = client.get(en("vendors:dashboard"))

    assert response.status_code == 302
    assert response.url == en("vendors:profile_create")


# --- query count ----------------------------------------------------------------------------------


def _many_applications(fair, n):
    """n fairs the business applied to (bulk), each application with a held booth, a payment,
    a document, a product and a category, and a fair asking for two documents."""
    vendor = fair.vendor
    template = factories.EventFactory.build(organiser=fair.event.organiser)
    events = Event.objects.bulk_create(
        Event(
            **{
                f.attname: getattr(template, f.attname)
                for f in Event._meta.concrete_fields
                if f.attname not in ("id", "name", "slug")
            },
            name=f"Hội chợ {i}",
            slug=f"hoi-cho-{i}",
        )
        for i in range(n)
    )
    zones = Zone.objects.bulk_create(Zone(event=e, code="A", name="Khu A") for e in events)
    types = BoothType.objects.bulk_create(BoothType(event=e, code="std", name="Tiêu chuẩn") for e in events)
    booths = Booth.objects.bulk_create(
        Booth(event=e, zone=z, booth_type=t, code="A01", x=0, y=0) for e, z, t in zip(events, zones, types, strict=True)
    )
    applications = Application.objects.bulk_create(
        Application(vendor=vendor, event=e, status=A.APPROVED, booths_requested=2) for e in events
    )
    Assignment.objects.bulk_create(
        Assignment(booth=b, application=a) for b, a in zip(booths, applications, strict=True)
    )
    recompute_amounts_due(application_ids=[a.pk for a in applications])
    Payment.objects.bulk_create(
        Payment(application=a, amount=1_000_000, paid_on=dt.date(2024, 5, 1)) for a in applications
    )
    document_type = DocumentType.objects.first()
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(
            application=a,
            document_type=document_type,
            file="documents/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
        )
        for a in applications
    )
    Event.required_documents.through.objects.bulk_create(
        Event.required_documents.through(event=e, documenttype=d)
        for e in events
        for d in DocumentType.objects.all()[:2]
    )
    product = vendor.products.first()
    Application.products.through.objects.bulk_create(
        Application.products.through(application=a, product=product) for a in applications
    )
    Application.categories.through.objects.bulk_create(
        Application.categories.through(application=a, category=product.category) for a in applications
    )


@pytest.mark.parametrize("n", [1, 20, 1000])
def test_dashboard_query_count_does_not_grow(vendor_client, fair, n, django_assert_num_queries):
    _many_applications(fair, n)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = vendor_client.get(en("vendors:dashboard"))

    rows = response.context["rows"]
    assert len(rows) == n
    assert response.content.decode().count("Received 1.000.000 ₫ on 01/05/2024 (bank transfer)") == n
    assert {(r.booth_codes[0], r.paid, r.fee_due, len(r.missing_documents)) for r in rows} == {
        ("A01", 1_000_000, 2_500_000, 1)  # charged for the one booth it holds, not the two it asked for
    }


# session, user, business; applications (with paid and counts) + assignments, documents, required
# documents, and what the document rules look at: the fairs' rules, categories and products shown;
# the payments received.
DASHBOARD_QUERIES = 11


@pytest.mark.parametrize(
    ("self_selection", "closes_in_days", "pinned", "shown"),
    [(True, 3, False, True), (False, 3, False, False), (True, -1, False, False), (True, 3, True, False)],
    ids=["open", "organisers-allocate", "deadline-passed", "booths-pinned"],
)
def test_dashboard_offers_the_booth_choice_only_when_the_business_may_choose(
    vendor_client, fair, approved, self_selection, closes_in_days, pinned, shown
):
    Event.objects.filter(pk=fair.event.pk).update(
        allow_self_selection=self_selection, selection_closes_at=timezone.now() + dt.timedelta(days=closes_in_days)
    )
    Assignment.objects.filter(application=approved, status__in=Assignment.ACTIVE).update(pinned=pinned)

    html = card(vendor_client.get(en("vendors:dashboard")), approved)

    choose = f'href="/en/fairs/{fair.event.slug}/booths/choose/"'
    assert (choose in html) is shown
    if shown:
        assert field(html, "choose-booths") == "Change my booths"  # it holds booths already
    assert f'href="/en/fairs/{fair.event.slug}/map/mine/"' in html  # the hall plan, always once approved


# --- payments received (issue 20) ---------------------------------------------------------------


def test_dashboard_lists_each_payment_received_and_what_is_still_owed(client, fair, approved):
    Payment.objects.create(application=approved, amount=400_000, paid_on=dt.date(2024, 5, 3), method="cash")
    client.force_login(fair.user)

    with translation.override("vi"):
        url = reverse("vendors:dashboard")
    html = card(client.get(url), approved)

    assert field(html, "payments-received") == (
        "Đã nhận tiền 3.000.000 ₫ ngày 01/05/2024 (chuyển khoản) "
        "Đã nhận tiền 1.500.000 ₫ ngày 02/05/2024 (chuyển khoản) "
        "Đã nhận tiền 400.000 ₫ ngày 03/05/2024 (tiền mặt) "
        "Còn phải thanh toán 3.500.000 ₫"
    )


def test_dashboard_says_paid_in_full_and_over_paid(vendor_client, approved):
    Payment.objects.create(application=approved, amount=3_900_000, paid_on=dt.date(2024, 5, 3))
    assert field(card(vendor_client.get(en("vendors:dashboard")), approved), "still-owed") == "Paid in full"

    Payment.objects.create(application=approved, amount=100_000, paid_on=dt.date(2024, 5, 4))
    html = card(vendor_client.get(en("vendors:dashboard")), approved)
    assert field(html, "still-owed") == "Paid 100.000 ₫ more than due"
    assert field(html, "outstanding") == "0 ₫"


def test_dashboard_shows_no_payment_block_for_a_submitted_application_without_payments(vendor_client, fair):
    application = factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.SUBMITTED)

    html = card(vendor_client.get(en("vendors:dashboard")), application)

    assert 'data-field="payments-received"' not in html


def test_read_only_application_page_lists_payments_received(vendor_client, fair, approved):
    response = vendor_client.get(en("vendors:application_edit", pk=approved.pk))

    assert response.templates[0].name == "vendors/applying/application_readonly.html"
    assert field(response.content.decode(), "payments-received") == (
        "Received 3.000.000 ₫ on 01/05/2024 (bank transfer) Received 1.500.000 ₫ on 02/05/2024 (bank transfer) "
        "Still to pay: 3.900.000 ₫"
    )
