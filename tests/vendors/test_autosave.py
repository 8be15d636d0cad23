"""The application's draft saved as the user goes (issue 18): the save endpoint the page's script
posts to creates the draft, updates it, keeps each chosen file, answers 404 for another business's
application and 409 for a submitted one, and is CSRF-protected. The page offers it only where a
draft can change, and identity documents can be sent from the new-application page with their consent."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events.models import DocumentType
from tests import factories
from tests.vendors._applying_support import Fair, en, member_of, png_bytes, use_media_root
from vendors.models import Application, ApplicationDocument
from vendors.services.applying import application_save_draft


def _photo(name="giay-dang-ky.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def _new_url(fair):
    return en("vendors:application_autosave_new", slug=fair.event.slug)


@pytest.mark.django_db
def test_the_first_save_creates_the_draft_and_gives_its_page(client):
    fair = Fair()
    client.force_login(fair.user)

    answer = client.post(_new_url(fair), fair.form_data(booths_requested="2", note="Gần cửa chính"))

    assert answer.status_code == 200
    body = answer.json()
    draft = Application.objects.get(vendor=fair.vendor, event=fair.event)
    assert draft.status == Application.Status.DRAFT
    assert (draft.booths_requested, draft.note) == (2, "Gần cửa chính")
    assert [z.zone for z in draft.zone_ranks.order_by("rank")] == [fair.zone_b, fair.zone_a]
    assert body["edit_url"] == en("vendors:application_edit", pk=draft.pk)
    assert body["save_url"] == en("vendors:application_autosave", pk=draft.pk)
    assert re.fullmatch(r"Draft saved at \d\d:\d\d", body["status"])


@pytest.mark.django_db
def test_a_later_save_updates_the_draft_and_a_field_being_typed_keeps_its_value(client):
    fair = Fair()
    client.force_login(fair.user)
    draft_id = client.post(_new_url(fair), fair.form_data(booths_requested="2")).json()["save_url"]

    # The booth count is being retyped (empty for now); the note changed.
    answer = client.post(draft_id, fair.form_data(booths_requested="", note="Cần ổ điện 220 V", accept_terms="on"))

    assert answer.status_code == 200
    draft = Application.objects.get(vendor=fair.vendor, event=fair.event)
    assert (draft.booths_requested, draft.note) == (2, "Cần ổ điện 220 V")
    assert draft.terms_accepted_at is not None  # the box as it is
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_a_second_first_save_finds_the_draft_instead_of_refusing(client):
    """The answer to the first save was lost (the connection dropped): the script sends it again."""
    fair = Fair()
    client.force_login(fair.user)
    client.post(_new_url(fair), fair.form_data(booths_requested="1"))

    again = client.post(_new_url(fair), fair.form_data(booths_requested="3"))

    assert again.status_code == 200
    assert Application.objects.get(vendor=fair.vendor, event=fair.event).booths_requested == 3


@pytest.mark.django_db
def test_a_chosen_file_is_stored_alone_and_kept_by_later_saves(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()
    client.force_login(fair.user)

    answer = client.post(
        _new_url(fair), {**fair.form_data(), f"document_{fair.registration.pk}": _photo("IMG_2041.png")}
    )
    assert answer.json()["documents"] == {str(fair.registration.pk): "IMG_2041.png"}
    later = client.post(answer.json()["save_url"], fair.form_data(note="Sau khi chụp ảnh"))

    assert later.status_code == 200
    (kept,) = ApplicationDocument.objects.filter(application__vendor=fair.vendor)
    assert (kept.document_type, kept.original_name) == (fair.registration, "IMG_2041.png")
    page = client.get(answer.json()["edit_url"]).content.decode()
    row = re.search(rf'data-document-type="{fair.registration.pk}".*?</li>', page, re.S).group(0)
    assert "IMG_2041.png" in row and "Uploaded" in row


@pytest.mark.django_db
def test_a_file_the_checks_refuse_is_reported_and_not_stored(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()
    client.force_login(fair.user)
    broken = SimpleUploadedFile("attp.png", b"not a picture at all", content_type="image/png")

    answer = client.post(_new_url(fair), {**fair.form_data(), f"document_{fair.food_safety.pk}": broken})

    assert answer.status_code == 200
    assert list(answer.json()["refused"]) == [str(fair.food_safety.pk)]
    assert not ApplicationDocument.objects.exists()


@pytest.mark.django_db
def test_another_business_draft_answers_404_and_is_untouched(client):
    fair = Fair()
    draft = application_save_draft(vendor=fair.vendor, event=fair.event, by=fair.user, booths_requested=1)
    stranger = member_of(factories.VendorFactory(name="Hộ kinh doanh khác"))
    client.force_login(stranger)

    answer = client.post(en("vendors:application_autosave", pk=draft.pk), fair.form_data(booths_requested="3"))

    assert answer.status_code == 404
    draft.refresh_from_db()
    assert draft.booths_requested == 1


@pytest.mark.django_db
def test_a_submitted_application_is_not_autosaved(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()
    client.force_login(fair.user)
    client.post(
        en("vendors:application_create", slug=fair.event.slug),
        {
            **fair.form_data(action="submit", accept_terms="on"),
            f"document_{fair.registration.pk}": _photo("dk.png"),
            f"document_{fair.food_safety.pk}": _photo("attp.png"),
        },
    )
    submitted = Application.objects.get(vendor=fair.vendor, event=fair.event)
    assert submitted.status == Application.Status.SUBMITTED

    answer = client.post(en("vendors:application_autosave", pk=submitted.pk), fair.form_data(booths_requested="3"))
    again = client.post(_new_url(fair), fair.form_data(booths_requested="3"))

    assert answer.status_code == again.status_code == 409
    assert "submitted" in answer.json()["message"]
    submitted.refresh_from_db()
    assert submitted.booths_requested == 2
    page = client.get(en("vendors:application_edit", pk=submitted.pk)).content.decode()
    assert "data-autosave-url" not in page and "autosave.js" not in page


@pytest.mark.django_db
def test_the_save_needs_the_csrf_token():
    fair = Fair()
    client = Client(enforce_csrf_checks=True)
    client.force_login(fair.user)

    refused = client.post(_new_url(fair), fair.form_data())

    assert refused.status_code == 403
    assert not Application.objects.exists()
    page = client.get(en("vendors:application_create", slug=fair.event.slug)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(_new_url(fair), {**fair.form_data(), "csrfmiddlewaretoken": token}).status_code == 200


@pytest.mark.django_db
def test_the_save_needs_a_log_in_and_a_post(client):
    fair = Fair()
    assert client.post(_new_url(fair), fair.form_data()).status_code == 302  # to the log-in
    client.force_login(fair.user)
    assert client.get(_new_url(fair)).status_code == 405
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_the_pages_point_the_script_at_the_save_for_a_new_application_and_a_draft(client):
    fair = Fair()
    client.force_login(fair.user)

    new_page = client.get(en("vendors:application_create", slug=fair.event.slug)).content.decode()
    draft = application_save_draft(vendor=fair.vendor, event=fair.event, by=fair.user, booths_requested=1)
    draft_page = client.get(en("vendors:application_edit", pk=draft.pk)).content.decode()

    assert f'data-autosave-url="{_new_url(fair)}"' in new_page
    assert f'data-autosave-url="{en("vendors:application_autosave", pk=draft.pk)}"' in draft_page
    for page in (new_page, draft_page):
        assert 'id="autosave-status" aria-live="polite"' in page.replace(
            'class="small text-body-secondary mt-2 mb-0" ', ""
        )
        assert "js/autosave.js" in page


# --- identity documents on the new-application page ----------------------------------------------


def _id_card_fair():
    fair = Fair()
    fair.id_card = DocumentType.objects.create(name="Căn cước công dân của chủ hộ", slug="cccd", personal=True)
    fair.event.required_documents.add(fair.id_card)
    return fair


@pytest.mark.django_db
def test_an_id_card_can_be_sent_with_the_new_application_with_its_consent(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = _id_card_fair()
    client.force_login(fair.user)

    page = client.get(en("vendors:application_create", slug=fair.event.slug)).content.decode()
    assert f'name="document_{fair.id_card.pk}"' in page and f'name="consent_{fair.id_card.pk}"' in page
    client.post(
        en("vendors:application_create", slug=fair.event.slug),
        {
            **fair.form_data(),
            f"document_{fair.id_card.pk}": _photo("cccd.png"),
            f"consent_{fair.id_card.pk}": "on",
        },
    )

    stored = ApplicationDocument.objects.get(document_type=fair.id_card)
    assert stored.consent_at is not None and stored.application.vendor == fair.vendor


@pytest.mark.django_db
def test_an_id_card_without_its_consent_is_not_kept(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = _id_card_fair()
    client.force_login(fair.user)

    page = client.post(
        en("vendors:application_create", slug=fair.event.slug),
        {
            **fair.form_data(),
            f"document_{fair.id_card.pk}": _photo("cccd.png"),
            f"document_{fair.registration.pk}": _photo(),
        },
    )
    autosaved = client.post(_new_url(fair), {**fair.form_data(), f"document_{fair.id_card.pk}": _photo("cccd.png")})

    # As for a file the checks refuse, the rest is kept on the draft, whose page asks for the card again.
    assert page.status_code == 302
    assert list(autosaved.json()["refused"]) == [str(fair.id_card.pk)]
    assert not ApplicationDocument.objects.filter(document_type=fair.id_card).exists()
    assert ApplicationDocument.objects.filter(document_type=fair.registration).exists()  # the other photo kept
