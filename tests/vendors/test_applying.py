"""Applying to a fair: the public list and page of fairs, the application form (draft, submit,
edit, read-only after the deadline), required documents, withdrawal, and who may see what."""

import re
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains, assertRedirects

from booths.models import Assignment
from events.models import Event
from tests import factories
from tests.vendors._applying_support import (
    PDF,
    Fair,
    at,
    en,
    member_of,
    pdf_upload,
    png_bytes,
    stored_files,
    use_media_root,
)
from vendors.models import Application, ApplicationDocument, ApplicationStatusChange, ZonePreference
from vendors.services import application_transition
from vendors.services import applying as applying_services
from vendors.services.applying import (
    application_document_upload,
    application_save_draft,
    application_submit,
)

A = Application.Status
E = Event.Status


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


def draft_of(fair, **fields):
    """An application saved through the service, as the form would."""
    values = {
        "booths_requested": 2,
        "booth_type": fair.standard,
        "zones": [fair.zone_b, fair.zone_a],
        "categories": [fair.food],
        "products": [fair.fish_sauce],
        "note": "",
        "accept_terms": False,
    }
    values.update(fields)
    return application_save_draft(vendor=fair.vendor, event=fair.event, by=fair.user, **values)


def upload_all_documents(fair, application):
    for document_type in (fair.registration, fair.food_safety):
        application_document_upload(
            application=application, document_type=document_type, upload=pdf_upload(), by=fair.user
        )


def card_of(response, slug):
    """The fair's card on the list page."""
    pattern = rf'<article class="card h-100 shadow-sm" data-fair="{slug}">.*?</article>'
    return re.search(pattern, response.content.decode(), re.S).group(0)


def errors_of(response, field):
    """The field's error messages as the page shows them (crispy's invalid-feedback blocks)."""
    return response.context["form"].errors.get(field, [])


# --- the list of fairs ---------------------------------------------------------------------------


def test_fair_list_shows_open_and_upcoming_fairs_only(client, fair):
    factories.EventFactory(name="Hội chợ sắp tới", status=E.PUBLISHED, registration_opens_at=at(5))
    factories.EventFactory(name="Hội chợ mở đăng ký sau", status=E.REGISTRATION_OPEN, registration_opens_at=at(3))
    factories.EventFactory(name="Hội chợ nháp", status=E.DRAFT)
    factories.EventFactory(
        name="Hội chợ chưa mở mà đã quá hạn",
        status=E.PUBLISHED,
        registration_opens_at=at(-20),
        registration_closes_at=at(-1),
    )
    factories.EventFactory(name="Hội chợ đã đóng", status=E.REGISTRATION_CLOSED)
    factories.EventFactory(
        name="Hội chợ quá hạn", status=E.REGISTRATION_OPEN, registration_opens_at=at(-20), registration_closes_at=at(-1)
    )
    factories.EventFactory(
        name="Hội chợ đã qua",
        status=E.FINISHED,
        registration_opens_at=at(-90),
        registration_closes_at=at(-60),
        opens_at=at(-50),
        closes_at=at(-45),
    )

    response = client.get(en("vendors:fair_list"))
    html = response.content.decode()

    open_part, upcoming_part = html.split('id="upcoming-heading"')
    assert re.findall(r'<h3 class="h6 card-title mb-1"><a href="[^"]+">([^<]+)</a>', open_part) == [
        "Tuần hàng Việt Nam VSIP Thủy Nguyên"
    ]
    assert re.findall(r'<h3 class="h6 card-title mb-1"><a href="[^"]+">([^<]+)</a>', upcoming_part) == [
        "Hội chợ mở đăng ký sau",
        "Hội chợ sắp tới",
    ]
    assertNotContains(response, "Hội chợ nháp")
    assertNotContains(response, "Hội chợ đã đóng")
    assertNotContains(response, "Hội chợ quá hạn")
    assertNotContains(response, "Hội chợ chưa mở mà đã quá hạn")


def test_fair_list_shows_dates_venue_fee_after_subsidy_and_deadline(client, fair):
    response = client.get(en("vendors:fair_list"))

    card = card_of(response, "vsip-2024")
    event = fair.event
    assertInHTML(
        f'<dd class="col-7" data-field="dates">{event.opens_at:%d/%m/%Y} – {event.closes_at:%d/%m/%Y}</dd>', card
    )
    assertInHTML('<dd class="col-7" data-field="venue">KCN VSIP Thủy Nguyên, Hải Phòng</dd>', card)
    assertInHTML(
        '<dd class="col-7" data-field="fee"><span class="fw-semibold text-nowrap">4.200.000 ₫</span> '
        '<span class="text-body-secondary">after a 30% subsidy</span></dd>',
        card,
    )
    closes = at(20, 17)
    assertInHTML(f'<dd class="col-7 mb-0" data-field="deadline">17:00 {closes:%d/%m/%Y}</dd>', card)
    assertInHTML('<a class="btn btn-primary btn-sm" href="/en/fairs/vsip-2024/apply/">Apply</a>', card)


def test_fair_list_for_businesses_is_reachable_from_the_public_home(client, fair):
    response = client.get("/en/fairs/")

    assert response.resolver_match.view_name == "vendors:fair_list"
    assertContains(response, "Tuần hàng Việt Nam VSIP Thủy Nguyên")
    home = client.get("/en/")
    assert home.resolver_match.view_name == "home"
    assertContains(
        home, '<a class="btn btn-outline-primary btn-sm" href="/en/fairs/">Fairs open for applications</a>', html=True
    )


def test_fair_list_tells_a_business_where_it_applied(vendor_client, fair):
    application = draft_of(fair)
    other = factories.EventFactory(name="Hội chợ khác")

    response = vendor_client.get(en("vendors:fair_list"))

    mine = card_of(response, "vsip-2024")
    assertInHTML(
        '<span class="badge application-status application-status-draft" data-field="my-application">Draft</span>', mine
    )
    assertInHTML(
        f'<a class="btn btn-outline-primary btn-sm" href="/en/applications/{application.pk}/">Your application</a>',
        mine,
    )
    theirs = card_of(response, other.slug)
    assert "my-application" not in theirs
    assert f"/en/fairs/{other.slug}/apply/" in theirs


# --- one fair -----------------------------------------------------------------------------------


def test_fair_detail_shows_the_fair_and_an_apply_button_while_open(client, fair):
    response = client.get(en("public:fair", slug="vsip-2024"))

    assertContains(response, '<a class="btn btn-primary" href="/en/fairs/vsip-2024/apply/">Apply</a>', html=True)
    assertContains(response, "4.200.000 ₫")
    assertContains(response, "Giấy chứng nhận cơ sở đủ điều kiện ATTP")
    assertContains(response, "A – Khu OCOP")
    assertContains(response, '<li class="list-inline-item badge text-bg-light border">Nông sản</li>', html=True)
    assertNotContains(response, "Cơ khí")


def test_fair_detail_says_when_registration_opens_and_has_no_apply_button(client, fair):
    Event.objects.filter(pk=fair.event.pk).update(status=E.PUBLISHED, registration_opens_at=at(2, 9))

    response = client.get(en("public:fair", slug="vsip-2024"))

    opens = at(2, 9)
    assertContains(
        response,
        f'<p class="mb-0" id="registration-closed">Registration for “Tuần hàng Việt Nam VSIP Thủy Nguyên” opens at '
        f"09:00 {opens:%d/%m/%Y}.</p>",
        html=True,
    )
    assertNotContains(response, "/apply/")


def test_fair_detail_of_a_draft_fair_answers_404(client, fair):
    Event.objects.filter(pk=fair.event.pk).update(status=E.DRAFT)

    assert client.get(en("public:fair", slug="vsip-2024")).status_code == 404


# --- the registration window ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"status": E.PUBLISHED, "registration_opens_at": at(2, 9)},
            "Registration for “Tuần hàng Việt Nam VSIP Thủy Nguyên” opens at 09:00 {opens}.",
        ),
        (
            {"registration_opens_at": at(3, 9)},
            "Registration for “Tuần hàng Việt Nam VSIP Thủy Nguyên” opens at 09:00 {opens}.",
        ),
        (
            {"registration_opens_at": at(-20), "registration_closes_at": at(-1, 17)},
            "Registration for “Tuần hàng Việt Nam VSIP Thủy Nguyên” closed at 17:00 {closes}.",
        ),
        (
            {"status": E.REGISTRATION_CLOSED},
            "Registration for “Tuần hàng Việt Nam VSIP Thủy Nguyên” has been closed by the organiser.",
        ),
    ],
    ids=["published-before-window", "open-status-before-window", "after-window", "closed-early"],
)
def test_application_create_outside_the_window_is_refused_and_writes_nothing(vendor_client, fair, changes, message):
    Event.objects.filter(pk=fair.event.pk).update(**changes)
    event = Event.objects.get(pk=fair.event.pk)
    expected = message.format(
        opens=f"{event.registration_opens_at:%d/%m/%Y}", closes=f"{event.registration_closes_at:%d/%m/%Y}"
    )
    url = en("vendors:application_create", slug="vsip-2024")

    get = vendor_client.get(url, follow=True)
    post = vendor_client.post(url, fair.form_data(accept_terms="on", action="submit"), follow=True)

    for response in (get, post):
        assertRedirects(response, en("public:fair", slug="vsip-2024"))
        assert [str(m) for m in response.context["messages"]] == [expected]
    assert not Application.objects.exists()
    assert not ZonePreference.objects.exists()


def test_service_refuses_to_create_outside_the_window(fair):
    Event.objects.filter(pk=fair.event.pk).update(registration_opens_at=at(-20), registration_closes_at=at(-1))

    with pytest.raises(ValidationError) as exc:
        draft_of(fair)

    assert exc.value.code == "registration_closed"
    assert not Application.objects.exists()


def test_service_checks_the_window_at_save_time_not_with_the_callers_copy(fair):
    stale = Event.objects.get(pk=fair.event.pk)
    Event.objects.filter(pk=fair.event.pk).update(status=E.REGISTRATION_CLOSED)

    with pytest.raises(ValidationError):
        application_save_draft(vendor=fair.vendor, event=stale, booths_requested=1)

    assert not Application.objects.exists()


# --- draft, submit --------------------------------------------------------------------------------


def test_application_form_offers_the_fairs_choices_only(vendor_client, fair):
    other_fair = factories.EventFactory()
    factories.ZoneFactory(event=other_fair, code="X", name="Khu của hội chợ khác")
    factories.ProductFactory(name="Sản phẩm của người khác", category=fair.food)

    response = vendor_client.get(en("vendors:application_create", slug="vsip-2024"))

    form = response.context["form"]
    assert [str(z) for z in form.fields["zone_1"].queryset] == [
        "A – Khu OCOP",
        "B – Khu nông sản",
        "C – Khu thực phẩm chế biến",
        "D – Khu hàng tiêu dùng",
    ]
    assert [name for name in form.fields if name.startswith("zone_")] == ["zone_1", "zone_2", "zone_3"]
    assert [t.name for t in form.fields["booth_type"].queryset] == ["Gian tiêu chuẩn", "Gian đôi"]
    assert {c.name for c in form.fields["categories"].queryset} == {"Thực phẩm chế biến", "Nông sản"}
    # The lathe is in a category this fair does not accept, so it is not offered.
    assert [p.name for p in form.fields["products"].queryset] == ["Gạo nếp cái hoa vàng", "Nước mắm Cát Hải"]
    assertContains(response, 'name="booths_requested" value="1" min="1" max="3"')
    assertContains(
        response,
        '<button type="submit" name="action" value="draft" class="btn btn-outline-primary">Save draft</button>',
        html=True,
    )
    assertContains(
        response,
        '<button type="submit" name="action" value="submit" class="btn btn-primary">Submit application</button>',
        html=True,
    )
    assertContains(response, "those that pass the checks are kept with a draft of your application")


def test_application_create_saves_a_draft_with_ranked_zones(vendor_client, fair):
    response = vendor_client.post(en("vendors:application_create", slug="vsip-2024"), fair.form_data())

    application = Application.objects.get()
    assertRedirects(response, en("vendors:application_edit", pk=application.pk), fetch_redirect_response=False)
    assert (application.vendor, application.event, application.status) == (fair.vendor, fair.event, A.DRAFT)
    assert (application.booths_requested, application.booth_type, application.note) == (
        2,
        fair.standard,
        "Xin gian gần cửa chính.",
    )
    assert [(p.rank, p.zone.code) for p in application.zone_ranks.order_by("rank")] == [(1, "B"), (2, "A")]
    assert set(application.categories.all()) == {fair.food, fair.farm}
    assert set(application.products.all()) == {fair.fish_sauce, fair.rice}
    assert application.terms_accepted_at is None
    assert application.submitted_at is None
    page = vendor_client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [
        "Draft saved. Upload the required documents, then submit the application."
    ]


def test_application_draft_then_submit(vendor_client, fair, media_root):
    application = draft_of(fair)
    upload_all_documents(fair, application)
    url = en("vendors:application_edit", pk=application.pk)

    response = vendor_client.post(url, fair.form_data(accept_terms="on", action="submit"), follow=True)

    assertRedirects(response, en("vendors:dashboard"))
    assert [str(m) for m in response.context["messages"]] == [
        "Your application has been submitted. The organisers will review it."
    ]
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    assert application.submitted_at is not None
    assert application.terms_accepted_at is not None
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.changed_by) == (A.DRAFT, A.SUBMITTED, fair.user)


def test_application_submit_without_terms_is_refused_and_writes_nothing(vendor_client, fair, media_root):
    application = draft_of(fair, note="Bản nháp đầu")
    upload_all_documents(fair, application)

    response = vendor_client.post(
        en("vendors:application_edit", pk=application.pk), fair.form_data(note="Đã sửa", action="submit")
    )

    assert response.status_code == 200
    assert errors_of(response, "accept_terms") == ["Accept the fair's terms to submit the application."]
    assertContains(response, "Accept the fair&#x27;s terms to submit the application.")
    application.refresh_from_db()
    assert (application.status, application.note, application.submitted_at) == (A.DRAFT, "Bản nháp đầu", None)
    assert not ApplicationStatusChange.objects.exists()


def test_application_submit_without_a_required_document_is_refused(vendor_client, fair, media_root):
    application = draft_of(fair)
    application_document_upload(
        application=application, document_type=fair.registration, upload=pdf_upload(), by=fair.user
    )

    response = vendor_client.post(
        en("vendors:application_edit", pk=application.pk), fair.form_data(accept_terms="on", action="submit")
    )

    # The message sits under the upload field of the missing document, on the same page.
    upload_forms = {slot.document_type.pk: form for slot, form in response.context["documents"]}
    assert upload_forms[fair.food_safety.pk].errors["file"] == [
        "Upload “Giấy chứng nhận cơ sở đủ điều kiện ATTP” before submitting."
    ]
    assert not upload_forms[fair.registration.pk].errors
    assert response.context["form"].non_field_errors() == []
    application.refresh_from_db()
    assert (application.status, application.terms_accepted_at) == (A.DRAFT, None)


def test_application_submit_button_on_a_new_application_keeps_a_draft_and_shows_the_upload_fields(vendor_client, fair):
    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"),
        fair.form_data(accept_terms="on", action="submit"),
        follow=True,
    )

    application = Application.objects.get()
    assert application.status == A.DRAFT
    assertRedirects(response, en("vendors:application_edit", pk=application.pk) + "?submit=1#documents")
    upload_forms = {slot.document_type.pk: form for slot, form in response.context["documents"]}
    assert upload_forms[fair.food_safety.pk].errors["file"] == [
        "Upload “Giấy chứng nhận cơ sở đủ điều kiện ATTP” before submitting."
    ]
    assert upload_forms[fair.registration.pk].errors["file"] == [
        "Upload “Giấy chứng nhận đăng ký doanh nghiệp” before submitting."
    ]
    assertContains(response, 'name="file"', count=2)


def test_application_submit_without_required_documents_when_the_fair_asks_none(vendor_client, fair):
    fair.event.required_documents.clear()

    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"), fair.form_data(accept_terms="on", action="submit")
    )

    assertRedirects(response, en("vendors:dashboard"), fetch_redirect_response=False)
    assert Application.objects.get().status == A.SUBMITTED


def test_application_submit_url_submits_a_complete_draft(vendor_client, fair, media_root):
    application = draft_of(fair, accept_terms=True)
    upload_all_documents(fair, application)

    response = vendor_client.post(en("vendors:application_submit", pk=application.pk))

    assertRedirects(response, en("vendors:dashboard"), fetch_redirect_response=False)
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_application_submit_url_lists_what_is_missing(vendor_client, fair):
    application = draft_of(fair)

    response = vendor_client.post(en("vendors:application_submit", pk=application.pk), follow=True)

    assertRedirects(response, en("vendors:application_edit", pk=application.pk))
    assert [str(m) for m in response.context["messages"]] == [
        "Accept the fair's terms to submit the application.",
        "Upload “Giấy chứng nhận cơ sở đủ điều kiện ATTP” before submitting.",
        "Upload “Giấy chứng nhận đăng ký doanh nghiệp” before submitting.",
    ]
    application.refresh_from_db()
    assert application.status == A.DRAFT


def test_application_submit_url_answers_get_with_405(vendor_client, fair):
    application = draft_of(fair)

    assert vendor_client.get(en("vendors:application_submit", pk=application.pk)).status_code == 405


def test_application_submit_service_refuses_a_submitted_application(fair, media_root):
    application = draft_of(fair, accept_terms=True)
    upload_all_documents(fair, application)
    application_submit(application=application)

    with pytest.raises(ValidationError, match="already been submitted"), translation.override("en"):
        application_submit(application=application)


# --- field rules ----------------------------------------------------------------------------------


def test_application_booths_over_the_fairs_maximum_is_a_field_error(vendor_client, fair):
    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"), fair.form_data(booths_requested="4")
    )

    assert errors_of(response, "booths_requested") == ["This fair allows at most 3 booths per participant."]
    assertContains(response, "This fair allows at most 3 booths per participant.")
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "Ask for at least 1 booth."), ("hai", "Enter a whole number."), ("", "This field is required.")],
)
def test_application_booths_must_be_a_positive_whole_number(vendor_client, fair, value, message):
    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"), fair.form_data(booths_requested=value)
    )

    assert errors_of(response, "booths_requested") == [message]
    assert not Application.objects.exists()


def test_application_zone_preferences_must_be_unique(vendor_client, fair):
    data = fair.form_data(zone_1=str(fair.zone_a.pk), zone_2=str(fair.zone_b.pk), zone_3=str(fair.zone_a.pk))

    response = vendor_client.post(en("vendors:application_create", slug="vsip-2024"), data)

    assert errors_of(response, "zone_3") == ["You already chose this zone as choice 1."]
    assert not Application.objects.exists()


def test_application_zone_preferences_are_ranked_first_choice_first(vendor_client, fair):
    data = fair.form_data(zone_1="", zone_2=str(fair.zone_b.pk))

    response = vendor_client.post(en("vendors:application_create", slug="vsip-2024"), data)

    assert errors_of(response, "zone_2") == ["Choose your preferences in order: fill in the choice above first."]
    assert not Application.objects.exists()


def test_application_zone_preferences_can_be_reordered(vendor_client, fair):
    application = draft_of(fair, zones=[fair.zone_a, fair.zone_b])
    data = fair.form_data(zone_1=str(fair.zone_c.pk), zone_2=str(fair.zone_a.pk), zone_3=str(fair.zone_d.pk))

    vendor_client.post(en("vendors:application_edit", pk=application.pk), data)

    assert list(application.zone_ranks.order_by("rank").values_list("rank", "zone__code")) == [
        (1, "C"),
        (2, "A"),
        (3, "D"),
    ]


def test_application_zone_of_another_fair_is_refused(vendor_client, fair):
    elsewhere = factories.ZoneFactory(code="X")

    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"), fair.form_data(zone_1=str(elsewhere.pk))
    )

    assert errors_of(response, "zone_1") == ["Select a valid choice. That choice is not one of the available choices."]
    assert not Application.objects.exists()


def test_application_categories_outside_the_fairs_list_are_refused(vendor_client, fair):
    data = fair.form_data(categories=[str(fair.food.pk), str(fair.machines.pk)])

    response = vendor_client.post(en("vendors:application_create", slug="vsip-2024"), data)

    assert errors_of(response, "categories") == [
        f"Select a valid choice. {fair.machines.pk} is not one of the available choices."
    ]
    assert not Application.objects.exists()


def test_application_products_of_another_business_are_refused(vendor_client, fair):
    theirs = factories.ProductFactory(name="Nước mắm của công ty khác", category=fair.food)

    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"), fair.form_data(products=[str(theirs.pk)])
    )

    assert errors_of(response, "products") == [
        f"Select a valid choice. {theirs.pk} is not one of the available choices."
    ]
    assert not Application.objects.exists()


def test_application_products_in_a_category_the_fair_refuses_are_refused(vendor_client, fair):
    response = vendor_client.post(
        en("vendors:application_create", slug="vsip-2024"), fair.form_data(products=[str(fair.lathe.pk)])
    )

    assert errors_of(response, "products") == [
        f"Select a valid choice. {fair.lathe.pk} is not one of the available choices."
    ]
    assert not Application.objects.exists()


def test_service_refuses_products_of_another_business_and_foreign_choices(fair):
    theirs = factories.ProductFactory(category=fair.food)
    elsewhere = factories.ZoneFactory(code="X")
    other_type = factories.BoothTypeFactory()

    with pytest.raises(ValidationError) as exc, translation.override("en"):
        draft_of(
            fair,
            booths_requested=5,
            booth_type=other_type,
            zones=[fair.zone_a, fair.zone_a, elsewhere],
            categories=[fair.machines],
            products=[theirs],
        )

    assert exc.value.message_dict == {
        "booths_requested": ["Ask for between 1 and 3 booths."],
        "booth_type": ["This booth type belongs to another fair."],
        "zone_2": ["You already chose this zone."],
        "zone_3": ["This zone belongs to another fair."],
        "categories": ["Choose only categories this fair accepts."],
        "products": ["Choose only your own products."],
    }
    assert not Application.objects.exists()


@pytest.mark.parametrize("note", ["<script>alert(1)</script>", "Ghi chú có emoji 🐟 và chữ Việt: Đặng Thị Hồng"])
def test_application_note_is_stored_as_typed_and_escaped_on_the_page(vendor_client, fair, note):
    response = vendor_client.post(en("vendors:application_create", slug="vsip-2024"), fair.form_data(note=note))

    application = Application.objects.get()
    assert application.note == note
    page = vendor_client.get(response.url)
    assertNotContains(page, "<script>alert(1)</script>")


def test_application_note_over_2000_characters_is_refused(vendor_client, fair):
    response = vendor_client.post(en("vendors:application_create", slug="vsip-2024"), fair.form_data(note="x" * 2001))

    assert errors_of(response, "note") == ["Ensure this value has at most 2000 characters (it has 2001)."]
    assert not Application.objects.exists()


# --- one application per business and fair ---------------------------------------------------


def test_second_apply_goes_to_the_existing_application(vendor_client, fair):
    application = draft_of(fair)
    url = en("vendors:application_create", slug="vsip-2024")

    get = vendor_client.get(url, follow=True)
    post = vendor_client.post(url, fair.form_data(booths_requested="1"), follow=True)

    for response in (get, post):
        assertRedirects(response, en("vendors:application_edit", pk=application.pk))
        assert [str(m) for m in response.context["messages"]] == [
            "Your business has already applied to this fair: here is your application."
        ]
    assert Application.objects.get().booths_requested == 2


def test_service_refuses_a_second_application_to_the_same_fair(fair):
    draft_of(fair)

    with pytest.raises(ValidationError, match="already applied"), translation.override("en"):
        draft_of(fair)

    assert Application.objects.count() == 1


def test_a_colleague_of_the_same_business_reaches_the_same_application(client, fair):
    application = draft_of(fair)
    client.force_login(member_of(fair.vendor))

    response = client.get(en("vendors:application_create", slug="vsip-2024"))

    assertRedirects(response, en("vendors:application_edit", pk=application.pk), fetch_redirect_response=False)


# --- editing --------------------------------------------------------------------------------------


def test_application_edit_shows_the_saved_values(vendor_client, fair):
    application = draft_of(fair, zones=[fair.zone_c, fair.zone_a], accept_terms=True, note="Ghi chú")

    response = vendor_client.get(en("vendors:application_edit", pk=application.pk))

    form = response.context["form"]
    assert form["zone_1"].value() == fair.zone_c.pk
    assert form["zone_2"].value() == fair.zone_a.pk
    assert form["zone_3"].value() is None
    assert form["accept_terms"].value() is True
    assert form["booths_requested"].value() == 2
    assertContains(
        response,
        '<span class="badge application-status application-status-draft" id="application-status">Draft</span>',
        html=True,
    )


def test_application_edit_of_a_submitted_application_keeps_it_submitted(vendor_client, fair, media_root):
    application = draft_of(fair, accept_terms=True)
    upload_all_documents(fair, application)
    application_submit(application=application)
    url = en("vendors:application_edit", pk=application.pk)
    page = vendor_client.get(url)
    assertContains(
        page,
        '<button type="submit" name="action" value="save" class="btn btn-primary">Save changes</button>',
        html=True,
    )
    assertNotContains(page, 'value="draft"')

    response = vendor_client.post(
        url, fair.form_data(booths_requested="3", accept_terms="on", action="save"), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Your changes have been saved; the application stays submitted."
    ]
    application.refresh_from_db()
    assert (application.status, application.booths_requested) == (A.SUBMITTED, 3)


def test_application_edit_of_a_submitted_application_cannot_drop_the_terms(vendor_client, fair, media_root):
    application = draft_of(fair, accept_terms=True)
    upload_all_documents(fair, application)
    application_submit(application=application)

    response = vendor_client.post(
        en("vendors:application_edit", pk=application.pk), fair.form_data(booths_requested="1", action="save")
    )

    assert errors_of(response, "accept_terms") == ["Accept the fair's terms to submit the application."]
    application.refresh_from_db()
    assert (application.status, application.booths_requested) == (A.SUBMITTED, 2)
    assert application.terms_accepted_at is not None


def test_application_edit_after_the_deadline_is_read_only_and_writes_nothing(vendor_client, fair):
    application = draft_of(fair, note="Trước hạn")
    Event.objects.filter(pk=fair.event.pk).update(registration_opens_at=at(-20), registration_closes_at=at(-1, 17))
    url = en("vendors:application_edit", pk=application.pk)
    closes = at(-1, 17)
    message = (
        "The registration deadline of “Tuần hàng Việt Nam VSIP Thủy Nguyên” "
        f"(17:00 {closes:%d/%m/%Y}) has passed: this application can no longer be changed."
    )

    get = vendor_client.get(url)
    post = vendor_client.post(url, fair.form_data(note="Sau hạn", booths_requested="1"))

    for response in (get, post):
        assertContains(
            response, f'<div class="alert alert-warning" role="status" id="read-only-reason">{message}</div>', html=True
        )
        assert "form" not in response.context
        assertNotContains(response, 'name="action"')
    application.refresh_from_db()
    assert (application.note, application.booths_requested) == ("Trước hạn", 2)


def test_application_edit_of_a_decided_application_is_read_only(vendor_client, fair):
    application = factories.ApplicationFactory(
        vendor=fair.vendor, event=fair.event, status=A.REJECTED, decision_reason="Hết chỗ khu OCOP"
    )

    response = vendor_client.get(en("vendors:application_edit", pk=application.pk))

    assertContains(
        response,
        '<div class="alert alert-warning" role="status" id="read-only-reason">'
        "This application is “Rejected”: it can no longer be changed.</div>",
        html=True,
    )
    assertContains(response, "Hết chỗ khu OCOP")


def test_service_refuses_to_edit_after_the_deadline(fair):
    application = draft_of(fair)
    Event.objects.filter(pk=fair.event.pk).update(registration_opens_at=at(-20), registration_closes_at=at(-1))

    with pytest.raises(ValidationError, match="can no longer be changed"), translation.override("en"):
        application_save_draft(
            vendor=fair.vendor, event=fair.event, application=application, booths_requested=1, note="muộn"
        )

    application.refresh_from_db()
    assert (application.booths_requested, application.note) == (2, "")


# --- withdrawal -----------------------------------------------------------------------------------


def test_application_withdraw_asks_first_and_names_the_booths_it_releases(vendor_client, fair):
    application = factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.APPROVED)
    for code in ("A02", "A01"):
        factories.AssignmentFactory(
            booth=factories.BoothFactory(event=fair.event, zone=fair.zone_a, booth_type=fair.standard, code=code),
            application=application,
        )

    response = vendor_client.get(en("vendors:application_withdraw", pk=application.pk))

    assertContains(
        response,
        '<p class="mb-0" id="booths-released">'
        "Your booths A01, A02 will be released and may be given to other participants.</p>",
        html=True,
    )
    assertContains(
        response, '<button type="submit" class="btn btn-danger">Yes, withdraw the application</button>', html=True
    )
    application.refresh_from_db()
    assert application.status == A.APPROVED
    assert Assignment.objects.filter(status__in=Assignment.ACTIVE).count() == 2


def test_application_withdraw_releases_the_assigned_booth(vendor_client, fair):
    application = factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.APPROVED)
    booth = factories.BoothFactory(event=fair.event, zone=fair.zone_a, booth_type=fair.standard, code="A01")
    factories.AssignmentFactory(booth=booth, application=application, status=Assignment.Status.CONFIRMED)

    response = vendor_client.post(
        en("vendors:application_withdraw", pk=application.pk), {"reason": "Không đủ hàng"}, follow=True
    )

    assertRedirects(response, en("vendors:dashboard"))
    assert [str(m) for m in response.context["messages"]] == [
        "Your application to “Tuần hàng Việt Nam VSIP Thủy Nguyên” has been withdrawn."
    ]
    application.refresh_from_db()
    assert application.status == A.WITHDRAWN
    assignment = Assignment.objects.get(booth=booth)
    assert (assignment.status, assignment.released_by) == (Assignment.Status.RELEASED, fair.user)
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.reason) == (A.APPROVED, A.WITHDRAWN, "Không đủ hàng")
    # The booth is free again for someone else.
    factories.AssignmentFactory(booth=booth, application=factories.ApplicationFactory(event=fair.event))


def test_application_withdraw_of_a_withdrawn_application_is_refused(vendor_client, fair):
    application = factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.WITHDRAWN)

    response = vendor_client.post(en("vendors:application_withdraw", pk=application.pk), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This application is “Withdrawn” and cannot be withdrawn."
    ]
    assert not ApplicationStatusChange.objects.exists()


# --- documents ------------------------------------------------------------------------------------


def test_document_upload_stores_a_pdf_under_a_random_name(vendor_client, fair, media_root):
    application = draft_of(fair)
    url = en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk)

    response = vendor_client.post(url, {"file": pdf_upload("Giấy phép KD.pdf")}, follow=True)

    assertRedirects(response, en("vendors:application_edit", pk=application.pk))
    assert [str(m) for m in response.context["messages"]] == ["“Giấy chứng nhận đăng ký doanh nghiệp” uploaded."]
    document = ApplicationDocument.objects.get()
    assert (document.application, document.document_type, document.uploaded_by) == (
        application,
        fair.registration,
        fair.user,
    )
    assert (document.original_name, document.content_type, document.size) == (
        "Giấy phép KD.pdf",
        "application/pdf",
        len(PDF),
    )
    assert re.fullmatch(r"documents/[A-Za-z0-9_-]{24}\.pdf", document.file.name)
    assert (media_root / document.file.name).read_bytes() == PDF
    assertContains(response, f'<li class="list-group-item px-0" data-document-type="{fair.registration.pk}">', count=1)


def test_document_upload_names_the_stored_file_by_its_content(vendor_client, fair, media_root):
    application = draft_of(fair)

    vendor_client.post(
        en("vendors:document_upload", pk=application.pk, document_type_id=fair.food_safety.pk),
        {"file": SimpleUploadedFile("scan.pdf", png_bytes(), content_type="application/pdf")},
    )

    document = ApplicationDocument.objects.get()
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")


def test_document_upload_replaces_the_previous_file_and_deletes_it_after_commit(
    vendor_client, fair, media_root, django_capture_on_commit_callbacks
):
    application = draft_of(fair)
    url = en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk)
    vendor_client.post(url, {"file": pdf_upload("cu.pdf")})
    old = ApplicationDocument.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        vendor_client.post(url, {"file": SimpleUploadedFile("moi.png", png_bytes(), content_type="image/png")})

    new = ApplicationDocument.objects.get()
    assert new.pk == old.pk
    assert (new.original_name, new.content_type) == ("moi.png", "image/png")
    assert stored_files(media_root) == [new.file.name]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "giay-phep.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
            "Only PDF, JPEG, PNG or HEIC documents are accepted.",
        ),
        (
            "giay-phep.pdf",
            b"<!doctype html><html><script>alert(1)</script></html>",
            "Only PDF, JPEG, PNG or HEIC documents are accepted.",
        ),
        ("cat-ngang.pdf", PDF[:40], "The PDF file is incomplete or damaged."),
        ("rong.pdf", b"", "The submitted file is empty."),
    ],
    ids=["exe-named-pdf", "html-named-pdf", "truncated-pdf", "empty"],
)
def test_document_upload_refuses_a_bad_file_and_stores_nothing(vendor_client, fair, media_root, name, content, message):
    application = draft_of(fair)

    response = vendor_client.post(
        en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )

    assert response.status_code == 200
    assert errors_of(response, "file") == [message]
    assertContains(response, message)
    assert not ApplicationDocument.objects.exists()
    assert stored_files(media_root) == []


def test_document_upload_over_10_mb_is_refused(vendor_client, fair, media_root):
    application = draft_of(fair)
    big = PDF[:-6] + b"0" * (10 * 1024 * 1024) + b"%%EOF\n"

    response = vendor_client.post(
        en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk),
        {"file": SimpleUploadedFile("lon.pdf", big, content_type="application/pdf")},
    )

    assert errors_of(response, "file") == ["The file is larger than 10 MB."]
    assert not ApplicationDocument.objects.exists()
    assert stored_files(media_root) == []


def test_document_upload_of_exactly_10_mb_is_accepted(vendor_client, fair, media_root):
    application = draft_of(fair)
    body = 10 * 1024 * 1024 - len(PDF)
    exact = PDF[:-6] + b"0" * body + b"%%EOF\n"
    assert len(exact) == 10 * 1024 * 1024

    vendor_client.post(
        en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk),
        {"file": SimpleUploadedFile("vua.pdf", exact, content_type="application/pdf")},
    )

    assert ApplicationDocument.objects.get().size == 10 * 1024 * 1024


def test_document_upload_of_a_type_the_fair_does_not_ask_for_answers_404(vendor_client, fair, media_root):
    application = draft_of(fair)

    response = vendor_client.post(
        en("vendors:document_upload", pk=application.pk, document_type_id=fair.unrelated.pk), {"file": pdf_upload()}
    )

    assert response.status_code == 404
    assert not ApplicationDocument.objects.exists()


def test_document_upload_after_the_deadline_is_refused(vendor_client, fair, media_root):
    application = draft_of(fair)
    Event.objects.filter(pk=fair.event.pk).update(registration_opens_at=at(-20), registration_closes_at=at(-1, 17))

    response = vendor_client.post(
        en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk),
        {"file": pdf_upload()},
        follow=True,
    )

    assertRedirects(response, en("vendors:application_edit", pk=application.pk))
    assert "has passed: this application can no longer be changed." in str(list(response.context["messages"])[0])
    assert not ApplicationDocument.objects.exists()
    assert stored_files(media_root) == []


def test_application_edit_lists_documents_uploaded_and_missing(vendor_client, fair, media_root):
    application = draft_of(fair)
    application_document_upload(
        application=application, document_type=fair.registration, upload=pdf_upload("dkkd.pdf"), by=fair.user
    )

    response = vendor_client.get(en("vendors:application_edit", pk=application.pk))
    html = response.content.decode()

    uploaded = re.search(rf'data-document-type="{fair.registration.pk}">.*?</li>', html, re.S).group(0)
    missing = re.search(rf'data-document-type="{fair.food_safety.pk}">.*?</li>', html, re.S).group(0)
    assert "Uploaded" in uploaded and "dkkd.pdf" in uploaded
    assert "Missing" in missing
    assert f'action="/en/applications/{application.pk}/documents/{fair.food_safety.pk}/"' in missing
    assert 'enctype="multipart/form-data"' in missing


# --- who may see what -----------------------------------------------------------------------------


def other_business_application(fair):
    other = factories.VendorFactory()
    return factories.ApplicationFactory(vendor=other, event=fair.event, status=A.DRAFT)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("vendors:application_edit", "get"),
        ("vendors:application_edit", "post"),
        ("vendors:application_submit", "post"),
        ("vendors:application_withdraw", "get"),
        ("vendors:application_withdraw", "post"),
        ("vendors:document_upload", "get"),
        ("vendors:document_upload", "post"),
    ],
)
def test_another_business_application_answers_404(vendor_client, fair, media_root, name, method):
    theirs = other_business_application(fair)
    kwargs = {"pk": theirs.pk}
    if name == "vendors:document_upload":
        kwargs["document_type_id"] = fair.registration.pk
    data = {"file": pdf_upload()} if method == "post" else None

    response = getattr(vendor_client, method)(en(name, **kwargs), data)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == A.DRAFT
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "vendors:dashboard",
        "vendors:application_create",
        "vendors:application_edit",
        "vendors:application_submit",
        "vendors:application_withdraw",
        "vendors:document_upload",
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, fair, name):
    kwargs = {
        "vendors:application_create": {"slug": "vsip-2024"},
        "vendors:application_edit": {"pk": 1},
        "vendors:application_submit": {"pk": 1},
        "vendors:application_withdraw": {"pk": 1},
        "vendors:document_upload": {"pk": 1, "document_type_id": fair.registration.pk},
    }.get(name, {})
    url = en(name, **kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{en('vendors:login')}?next={url}"


def test_public_pages_need_no_login(client, fair):
    """An anonymous visitor sees the open fair on the list, and its page with the way to apply."""
    fair_list = client.get(en("vendors:fair_list"))
    fair_page = client.get(en("public:fair", slug="vsip-2024"))

    assert fair_list.status_code == fair_page.status_code == 200
    assert "Tuần hàng Việt Nam VSIP Thủy Nguyên" in card_of(fair_list, "vsip-2024")
    assertContains(fair_page, '<h1 class="h3 mb-1">Tuần hàng Việt Nam VSIP Thủy Nguyên</h1>', html=True)
    assertContains(fair_page, '<a class="btn btn-primary" href="/en/fairs/vsip-2024/apply/">Apply</a>', html=True)


# --- query counts ---------------------------------------------------------------------------------


def _add_applications(event, n):
    """n applications of other businesses to the fair (bulk), each with zones and products."""
    vendors = factories.VendorFactory.build_batch(n)
    for v in vendors:
        v.search_text = v.name
    from vendors.models import Vendor

    Vendor.objects.bulk_create(vendors)
    Application.objects.bulk_create(Application(vendor=v, event=event, status=A.SUBMITTED) for v in vendors)


@pytest.mark.parametrize("n", [10, 1000])
def test_application_edit_query_count_does_not_grow(vendor_client, fair, media_root, n, django_assert_num_queries):
    application = draft_of(fair)
    upload_all_documents(fair, application)
    _add_applications(fair.event, n)

    with django_assert_num_queries(EDIT_QUERIES):
        response = vendor_client.get(en("vendors:application_edit", pk=application.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("n", [10, 1000])
def test_fair_list_query_count_does_not_grow(vendor_client, fair, n, django_assert_num_queries):
    _add_applications(fair.event, n)
    for i in range(3):
        factories.EventFactory(name=f"Hội chợ {i}", status=E.PUBLISHED, registration_opens_at=at(5))

    with django_assert_num_queries(FAIR_LIST_QUERIES):
        response = vendor_client.get(en("vendors:fair_list"))

    assert len(response.context["listing"].open) == 1
    assert len(response.context["listing"].upcoming) == 3


@pytest.mark.parametrize("n", [10, 1000])
@pytest.mark.parametrize("page", ["fair_detail", "application_create", "read_only", "withdraw", "document_upload"])
def test_other_pages_query_count_does_not_grow(vendor_client, fair, media_root, n, page, django_assert_num_queries):
    _add_applications(fair.event, n)
    if page == "application_create":
        url = en("vendors:application_create", slug="vsip-2024")
    else:
        application = draft_of(fair)
        upload_all_documents(fair, application)
        url = {
            "fair_detail": en("public:fair", slug="vsip-2024"),
            "read_only": en("vendors:application_edit", pk=application.pk),
            "withdraw": en("vendors:application_withdraw", pk=application.pk),
            "document_upload": en("vendors:document_upload", pk=application.pk, document_type_id=fair.registration.pk),
        }[page]
    if page == "read_only":
        Event.objects.filter(pk=fair.event.pk).update(registration_opens_at=at(-20), registration_closes_at=at(-1))

    with django_assert_num_queries(OTHER_PAGE_QUERIES[page]):
        response = vendor_client.get(url)

    assert response.status_code == 200


OTHER_PAGE_QUERIES = {
    # session, user, business; the fair (with the business's application) + 5 prefetches (document
    # rules included); the programme; the exhibitor and booth counts (tuanhang.public.views.fair).
    "fair_detail": 11,
    # session, user, business; the fair + 3 prefetches; is there an application yet; the form's choices;
    # the prefill: the business's products and its latest application elsewhere (none here); the
    # documents it could reuse (one query, however many it sent).
    "application_create": 19,
    # session, user, business; application + 8 prefetches (the fair's document rules included); what
    # it paid and owes (with_money) and the payments received.
    "read_only": 13,
    # session, user, business; application + 8 prefetches; the booths it holds.
    "withdraw": 12,
    # session, user, business; application + 8 prefetches; the documents it may reuse (issue 16).
    "document_upload": 12,
}

# session, user, business; application + 8 prefetches (the fair's document rules included); the
# form's booth types, zones (count and 3 selects), categories, products.
EDIT_QUERIES = 19
# session, user, business; the fairs with the business's application annotated.
FAIR_LIST_QUERIES = 4


# --- concurrency (PostgreSQL: real row locks, one connection per thread) --------------------------


def _complete_submitted(fair):
    application = factories.ApplicationFactory(
        vendor=fair.vendor, event=fair.event, status=A.SUBMITTED, booths_requested=2, terms_accepted_at=at(-1)
    )
    for document_type in (fair.registration, fair.food_safety):
        ApplicationDocument.objects.create(
            application=application,
            document_type=document_type,
            file="documents/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
        )
    return application


@pytest.fixture
def eager_celery(monkeypatch):
    """The decision e-mail runs in the deciding thread instead of being left in the broker's queue."""
    from tuanhang.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _edit_while_staff_decides(fair, application):
    """Staff approve the application in another connection and keep the transaction open a
    moment; meanwhile the business saves a change. Returns what the business's save did."""
    staff = factories.StaffUserFactory()
    decided = threading.Event()

    def staff_side():
        try:
            with transaction.atomic():
                application_transition(
                    application=Application.objects.get(pk=application.pk), to_status=A.APPROVED, by=staff
                )
                decided.set()
                time.sleep(0.5)  # the business's save runs now
        finally:
            decided.set()
            connection.close()

    thread = threading.Thread(target=staff_side)
    thread.start()
    decided.wait(timeout=30)
    try:
        with translation.override("en"):
            application_save_draft(
                vendor=fair.vendor,
                event=fair.event,
                application=application,
                booths_requested=1,
                accept_terms=True,
            )
        outcome = "saved"
    except ValidationError as exc:
        outcome = exc.messages
    thread.join(timeout=30)
    return outcome


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_edit_racing_a_staff_decision_is_refused(on_postgres, eager_celery, mailoutbox):
    fair = Fair()
    application = _complete_submitted(fair)

    outcome = _edit_while_staff_decides(fair, application)

    assert outcome == ["This application is “Approved”: it can no longer be changed."]
    application.refresh_from_db()
    assert (application.status, application.booths_requested) == (A.APPROVED, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_edit_lands_on_a_decided_application(on_postgres, eager_celery, monkeypatch):
    """Control: without the row lock the business's change is written over the decision, so the
    test above proves the lock, not luck."""
    monkeypatch.setattr(
        applying_services,
        "_lock_own",
        lambda application, *, vendor, event: Application.objects.get(pk=application.pk),
    )
    fair = Fair()
    application = _complete_submitted(fair)

    outcome = _edit_while_staff_decides(fair, application)

    assert outcome == "saved"
    application.refresh_from_db()
    assert (application.status, application.booths_requested) == (A.APPROVED, 1)


def _second_first_application_while_the_first_commits(fair):
    """One business opens its application in another connection and keeps the transaction open
    a moment; meanwhile it opens one again (a second tab). Returns (what the second attempt
    raised, or None, and how long it took)."""
    inserted = threading.Event()

    def first():
        try:
            with transaction.atomic():
                application_save_draft(vendor=fair.vendor, event=fair.event, booths_requested=1)
                inserted.set()
                time.sleep(0.5)  # the second attempt waits on the unique index meanwhile
        finally:
            inserted.set()
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inserted.wait(timeout=30)
    started, raised = time.monotonic(), None
    try:
        with translation.override("en"):
            application_save_draft(vendor=fair.vendor, event=fair.event, booths_requested=2)
    except Exception as exc:  # the control expects the database's error; the test the business's message
        raised = exc
    waited = time.monotonic() - started
    thread.join(timeout=30)
    assert not thread.is_alive()
    return raised, waited


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_applications_make_one(on_postgres):
    raised, _waited = _second_first_application_while_the_first_commits(Fair())

    assert isinstance(raised, ValidationError)
    assert raised.messages == ["Your business has already applied to this fair."]
    assert list(Application.objects.values_list("booths_requested", flat=True)) == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_duplicate_handling_the_race_surfaces_an_integrity_error(on_postgres, monkeypatch):
    """Control: with the IntegrityError no longer turned into the business's message, the second
    attempt fails on the unique index after waiting for the first transaction (a server error
    for the business), so the test above proves the race reaches the index and its handling,
    not a check made before the insert."""
    monkeypatch.setattr(applying_services, "IntegrityError", type("NeverRaised", (Exception,), {}))

    raised, waited = _second_first_application_while_the_first_commits(Fair())

    assert isinstance(raised, IntegrityError), repr(raised)
    assert waited >= 0.3  # it waited on the unique index for the first transaction
    assert list(Application.objects.values_list("booths_requested", flat=True)) == [1]


def test_application_edit_says_what_is_needed_before_submitting(vendor_client, fair, media_root):
    application = draft_of(fair)
    application_document_upload(application=application, document_type=fair.registration, upload=pdf_upload())

    response = vendor_client.get(en("vendors:application_edit", pk=application.pk))

    assertContains(
        response,
        '<div class="alert alert-info" id="before-submitting"><div class="fw-semibold">Before you can submit:</div>'
        '<ul class="mb-0"><li>upload “Giấy chứng nhận cơ sở đủ điều kiện ATTP”</li>'
        "<li>accept the fair's terms (at the end of the form)</li></ul></div>",
        html=True,
    )


def test_application_edit_of_a_complete_draft_has_no_checklist(vendor_client, fair, media_root):
    application = draft_of(fair, accept_terms=True)
    upload_all_documents(fair, application)

    response = vendor_client.get(en("vendors:application_edit", pk=application.pk))

    assertNotContains(response, "before-submitting")
