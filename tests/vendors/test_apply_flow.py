"""The household path from a fair's page to its application (issue 18, item 2): the intent to
apply survives the phone log-in (or the e-mail sign-up) and the profile creation, and lands on
the application form of that fair."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.vendors._applying_support import Fair, en, png_bytes, use_media_root
from tests.vendors.test_phone_login import PHONE_TYPED, _console, ask, enter, last_code  # noqa: F401
from tests.vendors.test_profile import _data
from vendors.models import Application, PhoneIdentity, Vendor
from vendors.permissions import profile_create_url
from vendors.services.applying import application_save_draft


def _follow(client, response):
    assert response.status_code == 302, response.status_code
    return response["Location"]


@pytest.mark.django_db
def test_phone_log_in_then_profile_lands_on_the_application_form_of_the_fair(client):
    fair = factories.EventFactory(name="Tuần hàng Đồng Tháp")
    apply_url = reverse("vendors:application_create", kwargs={"slug": fair.slug})

    ask(client, next_url=apply_url)
    after_code = _follow(client, enter(client, last_code(), next_url=apply_url))
    assert after_code == apply_url
    # A new account has no business yet: on to the profile, the fair's address kept.
    to_profile = _follow(client, client.get(after_code))
    assert to_profile == profile_create_url(apply_url)
    page = client.get(to_profile).content.decode()
    assert f'action="{profile_create_url(apply_url)}"'.replace("&", "&amp;") in page

    saved = client.post(to_profile, _data(phone=PHONE_TYPED))
    assert _follow(client, saved) == apply_url
    assert Vendor.objects.count() == 1
    form_page = client.get(apply_url)
    assert form_page.status_code == 200
    assert form_page.context["event"] == fair and "form" in form_page.context


@pytest.mark.django_db
def test_email_sign_up_and_verify_keep_the_intent_to_apply(client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fair = factories.EventFactory()
    apply_url = reverse("vendors:application_create", kwargs={"slug": fair.slug})
    password = "Mat-khau-dai-9!"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("vendors:signup"),
            {"email": "chu@dongthap.vn", "password1": password, "password2": password, "next": apply_url},
        )
    (link,) = {word for word in mail.outbox[-1].body.split() if "/verify/" in word}

    verified = client.get(link.removeprefix("http://testserver"))

    to_profile = _follow(client, client.get(_follow(client, verified)))
    assert to_profile == profile_create_url(apply_url)
    assert _follow(client, client.post(to_profile, _data())) == apply_url


@pytest.mark.django_db
@pytest.mark.parametrize("elsewhere", ["https://evil.example/phish", "//evil.example/", "vendors:dashboard"])
def test_the_profile_page_drops_a_next_that_is_not_a_path_of_this_site(client, elsewhere):
    client.force_login(factories.UserFactory(email="chu@dongthap.vn"))

    saved = client.post(reverse("vendors:profile_create") + "?next=x", {**_data(), "next": elsewhere})

    assert _follow(client, saved) == reverse("vendors:product_list")


@pytest.mark.django_db
def test_a_business_that_has_a_profile_is_sent_on_to_next(client):
    vendor = factories.VendorFactory()
    from tests.vendors._profile_support import member_of

    client.force_login(member_of(vendor))
    fair = factories.EventFactory()
    apply_url = reverse("vendors:application_create", kwargs={"slug": fair.slug})

    assert _follow(client, client.get(profile_create_url(apply_url))) == apply_url


# --- prefill ----------------------------------------------------------------------------------


def _checked(page: str, name: str) -> set[str]:
    """The values of the ticked checkboxes called `name` on the page."""
    inputs = re.findall(r"<input[^>]*>", page)
    return {
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag)
    }


def _value(page: str, name: str) -> str:
    tag = next(t for t in re.findall(r"<input[^>]*>", page) if f'name="{name}"' in t)
    return re.search(r'value="([^"]*)"', tag).group(1)


@pytest.mark.django_db
def test_a_first_application_starts_with_the_business_products_this_fair_accepts(client):
    fair = Fair()  # accepts food and farm products; the business also makes a lathe
    client.force_login(fair.user)

    page = client.get(reverse("vendors:application_create", kwargs={"slug": fair.event.slug})).content.decode()

    assert _checked(page, "products") == {str(fair.fish_sauce.pk), str(fair.rice.pk)}
    assert _checked(page, "categories") == {str(fair.food.pk), str(fair.farm.pk)}
    assert _checked(page, "accept_terms") == set()


@pytest.mark.django_db
def test_the_next_fair_starts_from_the_previous_application_and_is_submitted_in_one_screen(client):
    fair = Fair()
    application_save_draft(
        vendor=fair.vendor,
        event=fair.event,
        by=fair.user,
        booths_requested=3,
        booth_type=fair.double,
        zones=[fair.zone_b],
        categories=[fair.food],
        products=[fair.fish_sauce],
        note="",
        accept_terms=False,
    )
    next_fair = factories.EventFactory(name="Hội chợ OCOP Hải Phòng", max_booths_per_participant=2)
    next_fair.categories.set([fair.food, fair.farm])
    apply_url = reverse("vendors:application_create", kwargs={"slug": next_fair.slug})
    client.force_login(fair.user)

    page = client.get(apply_url).content.decode()

    assert _checked(page, "products") == {str(fair.fish_sauce.pk)}  # what it showed last time, not everything
    assert _checked(page, "categories") == {str(fair.food.pk)}
    assert _value(page, "booths_requested") == "2"  # three last time; this fair allows two
    # One screen: what was shown is posted back with the terms ticked, and the application is in.
    posted = client.post(
        apply_url,
        {
            "booths_requested": _value(page, "booths_requested"),
            "categories": sorted(_checked(page, "categories")),
            "products": sorted(_checked(page, "products")),
            "accept_terms": "on",
            "action": "submit",
        },
    )
    assert _follow(client, posted) == reverse("vendors:dashboard")
    submitted = Application.objects.get(event=next_fair)
    assert submitted.status == Application.Status.SUBMITTED
    assert list(submitted.products.all()) == [fair.fish_sauce] and submitted.booths_requested == 2


@pytest.mark.django_db
def test_the_profile_page_offers_the_account_email_and_the_verified_phone(client):
    ask(client)
    enter(client, last_code())
    user = PhoneIdentity.objects.get().user
    user.email = "chu@dongthap.vn"
    user.save(update_fields=["email"])

    page = client.get(reverse("vendors:profile_create")).content.decode()

    assert _value(page, "phone") == "0912 345 678"
    assert _value(page, "email") == "chu@dongthap.vn"


# --- nothing lost on a form error ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_photo_sent_with_a_refused_form_is_kept_on_the_draft_and_shown_uploaded(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()  # asks for the registration certificate and the food-safety certificate; 3 booths at most
    client.force_login(fair.user)
    photo = SimpleUploadedFile("giay-dang-ky.png", png_bytes(), content_type="image/png")
    broken = SimpleUploadedFile("attp.png", b"not a picture at all", content_type="image/png")

    page = client.post(
        en("vendors:application_create", slug=fair.event.slug),
        {
            **fair.form_data(booths_requested="9", action="submit"),
            f"document_{fair.registration.pk}": photo,
            f"document_{fair.food_safety.pk}": broken,
        },
    )

    assert page.status_code == 200
    assert "This fair allows at most 3 booths per participant." in page.content.decode()
    draft = Application.objects.get(vendor=fair.vendor, event=fair.event)
    assert draft.status == Application.Status.DRAFT
    (kept,) = draft.documents.all()  # the photo that passed the checks, not the broken one
    assert (kept.document_type, kept.original_name) == (fair.registration, "giay-dang-ky.png")
    row = re.search(rf'data-document-type="{fair.registration.pk}".*?</li>', page.content.decode(), re.S).group(0)
    assert "Uploaded" in row and "giay-dang-ky.png" in row
    # The corrected form is sent again without choosing the photo again: the draft is the one kept.
    fixed = client.post(en("vendors:application_edit", pk=draft.pk), fair.form_data(booths_requested="2"))
    assert fixed.status_code == 302
    draft.refresh_from_db()
    assert draft.booths_requested == 2 and draft.documents.count() == 1


@pytest.mark.django_db
def test_the_new_application_form_offers_the_document_fields_with_the_camera(client):
    fair = Fair()
    client.force_login(fair.user)

    page = client.get(en("vendors:application_create", slug=fair.event.slug)).content.decode()

    assert 'enctype="multipart/form-data"' in page
    field = next(t for t in re.findall(r"<input[^>]*>", page) if f'name="document_{fair.registration.pk}"' in t)
    assert 'type="file"' in field and "image/*" in field


@pytest.mark.django_db
def test_a_new_application_with_its_photos_is_submitted_from_one_screen(client, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()
    client.force_login(fair.user)

    done = client.post(
        en("vendors:application_create", slug=fair.event.slug),
        {
            **fair.form_data(action="submit", accept_terms="on"),
            f"document_{fair.registration.pk}": SimpleUploadedFile("dk.png", png_bytes(), content_type="image/png"),
            f"document_{fair.food_safety.pk}": SimpleUploadedFile("attp.jpg", png_bytes(), content_type="image/png"),
        },
    )

    assert done.status_code == 302 and done["Location"] == en("vendors:dashboard")
    application = Application.objects.get(vendor=fair.vendor, event=fair.event)
    assert application.status == Application.Status.SUBMITTED and application.documents.count() == 2
