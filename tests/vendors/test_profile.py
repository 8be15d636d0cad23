"""The business profile pages: creating one's business, editing it, the province and commune
selects, and who may reach them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Commune
from tests import controls, factories
from vendors.models import Vendor, VendorMember

from . import _profile_support
from ._profile_support import PDF_BYTES, en, image_bytes, member_of, stored_files, upload

HAI_PHONG = "31"

media_root = _profile_support.media_root  # a fixture: MEDIA_ROOT in a temporary directory


def _data(**overrides):
    data = {
        "name": "  Công ty TNHH   Thực phẩm Đồng Tháp ",
        "short_name": "TP Đồng Tháp",
        "kind": "DN",
        "tax_code": "0100 109 106",
        "province": "82",
        "address": "Số 12, đường Nguyễn Huệ",
        "representative": "Trần Văn Nam",
        "contact_name": "Nguyễn Thị Lan",
        "phone": "+84 (0) 912.345.678",
        "email": "lienhe@dongthap.vn",
        "website": "dongthap.vn",
        "description": "Bánh phồng tôm, mắm, khô cá.",
        "personal_data_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def new_user_client(client, db):
    user = factories.UserFactory(email="chu@dongthap.vn")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def owner_client(client, db):
    vendor = factories.VendorFactory(name="Hợp tác xã Chè Tân Cương", kind="HTX", province_id="19")
    client.force_login(member_of(vendor))
    client.vendor = vendor
    return client


def _a_commune(province_code, name=None):
    communes = Commune.objects.filter(province_id=province_code)
    return communes.get(name=name) if name else communes.order_by("code").first()


# --- create ------------------------------------------------------------------------------------


def test_profile_create_makes_the_business_and_its_owner(new_user_client, media_root):
    commune = _a_commune("82")
    category = factories.CategoryFactory(name="Thực phẩm chế biến")

    response = new_user_client.post(
        en("vendors:profile_create"),
        _data(commune=commune.code, categories=[category.pk], logo=upload("logo.webp", image_bytes("WEBP"))),
    )

    assert response.status_code == 302
    assert response.url == en("vendors:product_list")
    vendor = Vendor.objects.get()
    assert vendor.name == "Công ty TNHH Thực phẩm Đồng Tháp"
    assert vendor.tax_code == "0100109106"
    assert vendor.phone == "+84912345678"
    assert vendor.website == "https://dongthap.vn"
    assert (vendor.province_id, vendor.commune_id) == ("82", commune.code)
    assert list(vendor.categories.all()) == [category]
    assert vendor.logo.name.endswith(".webp") and vendor.logo_thumbnail.name.endswith(".webp")
    assert stored_files(media_root) == sorted([vendor.logo.name, vendor.logo_thumbnail.name])
    membership = VendorMember.objects.get(user=new_user_client.user)
    assert (membership.vendor, membership.role) == (vendor, VendorMember.Role.OWNER)
    page = new_user_client.get(response.url)
    assertContains(page, "Your business profile is saved. Now add the products you will show.")


def test_profile_create_offers_the_account_email_and_every_field(new_user_client):
    factories.CategoryFactory(name="Nông sản")
    response = new_user_client.get(en("vendors:profile_create"))

    assertContains(response, 'value="chu@dongthap.vn"')
    for field in (
        "name",
        "short_name",
        "kind",
        "tax_code",
        "province",
        "commune",
        "address",
        "representative",
        "contact_name",
        "phone",
        "email",
        "website",
        "logo",
        "description",
        "categories",
    ):
        assert f'name="{field}"' in response.content.decode(), field
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, "/static/js/profile.js")


def test_profile_create_goes_back_to_a_safe_next_page_only(new_user_client):
    url = en("vendors:profile_create")
    response = new_user_client.post(f"{url}?next=https://evil.example/", _data())
    assert response.url == en("vendors:product_list")

    Vendor.objects.all().delete()
    response = new_user_client.post(f"{url}?next=/en/profile/", _data())
    assert response.url == "/en/profile/"


def test_profile_create_household_may_use_a_12_digit_personal_id(new_user_client):
    response = new_user_client.post(en("vendors:profile_create"), _data(kind="HKD", tax_code="031 203 012 345"))

    assert response.status_code == 302
    assert Vendor.objects.get().tax_code == "031203012345"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"tax_code": "0100109107"},
            "tax_code",
            "Enter a valid 10-digit tax code (or a branch code such as 0100109106-001).",
        ),
        (
            {"kind": "DN", "tax_code": "031203012345"},
            "tax_code",
            "Enter a valid 10-digit tax code (or a branch code such as 0100109106-001).",
        ),
        (
            {"kind": "HKD", "tax_code": "12345"},
            "tax_code",
            "Enter a valid 10-digit tax code or the representative's 12-digit personal ID.",
        ),
        (
            {"phone": "12345"},
            "phone",
            "“12345” is not a Vietnamese phone number (mobile 09xx xxx xxx or landline 02xx xxxx xxx).",
        ),
        ({"province": "99"}, "province", "Unknown province or city: “99”."),
        ({"province": "Atlantis"}, "province", "Unknown province or city: “Atlantis”."),
        ({"commune": "99999"}, "commune", "Unknown commune or ward: choose one from the list."),
        ({"name": ""}, "name", "This field is required."),
        ({"kind": "LLC"}, "kind", "Select a valid choice. LLC is not one of the available choices."),
        ({"email": "không-phải-email"}, "email", "Enter a valid email address."),
        ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
        ({"categories": "9223372036854775808"}, "categories", "Unknown product category: “9223372036854775808”."),
        ({"categories": "²"}, "categories", "Unknown product category: “²”."),
    ],
)
def test_profile_create_rejects_bad_input_with_a_field_error(new_user_client, overrides, field, message):
    response = new_user_client.post(en("vendors:profile_create"), _data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Vendor.objects.count() == 0
    assert not VendorMember.objects.exists()


def test_profile_create_with_a_hostile_logo_writes_nothing(new_user_client, media_root):
    response = new_user_client.post(en("vendors:profile_create"), _data(logo=upload("logo.jpg", PDF_BYTES)))

    assert response.context["form"].errors["logo"] == [
        "This file is a PDF document, not an image. Upload a JPEG, PNG or WebP image."
    ]
    assert not Vendor.objects.exists()
    assert not VendorMember.objects.exists()
    assert stored_files(media_root) == []


def test_profile_create_with_a_registered_tax_code_points_to_an_invitation(new_user_client):
    factories.VendorFactory(tax_code="0100109106", name="Công ty Bí Mật", phone="+84912000111")

    response = new_user_client.post(en("vendors:profile_create"), _data(tax_code="0100109106-"))

    assert response.context["form"].errors["tax_code"] == [
        "A business with this tax code is already registered. If you work for it, ask the owner of its account to "
        "invite you (from the “Members” page) instead of creating a second profile."
    ]
    assertNotContains(response, "Công ty Bí Mật")
    assertNotContains(response, "0912 000 111")
    assert Vendor.objects.count() == 1
    assert not VendorMember.objects.exists()


def test_profile_create_when_the_account_already_has_a_business_goes_to_the_profile(owner_client):
    response = owner_client.get(en("vendors:profile_create"))
    assert response.url == en("vendors:profile_edit")

    response = owner_client.post(en("vendors:profile_create"), _data())
    assert response.url == en("vendors:profile_edit")
    assert Vendor.objects.count() == 1


def test_profile_commune_must_belong_to_the_province(new_user_client):
    hai_phong_commune = _a_commune(HAI_PHONG)

    response = new_user_client.post(en("vendors:profile_create"), _data(province="82", commune=hai_phong_commune.code))

    assert response.context["form"].errors["commune"] == [
        f"{hai_phong_commune.name} is not in Đồng Tháp: choose a commune or ward of that province."
    ]
    assert Vendor.objects.count() == 0
    # The select now lists the communes of the province that was sent.
    options = dict(response.context["form"].fields["commune"].choices)
    assert _a_commune("82").code in options
    assert hai_phong_commune.code not in options


def test_profile_province_select_lists_34_units_in_vietnamese_order_with_old_names_to_search(new_user_client):
    response = new_user_client.get(en("vendors:profile_create"))

    choices = response.context["form"].fields["province"].choices
    names = [label for value, label in choices if value]
    assert len(names) == 34
    assert names.index("Đà Nẵng") > names.index("Cần Thơ")
    assert names.index("Đồng Tháp") < names.index("Gia Lai")
    html = response.content.decode()
    # Typing an old province name finds the unit it merged into.
    assert 'value="31" data-search="hai phong hai duong"' in html
    assert 'data-filterable="true"' in html
    # Without a province chosen, the commune select offers only "not given".
    assert response.context["form"].fields["commune"].choices == [("", "Not given")]


# --- edit --------------------------------------------------------------------------------------


def test_profile_edit_shows_the_phone_in_national_form(owner_client):
    Vendor.objects.filter(pk=owner_client.vendor.pk).update(phone="+842253842123")

    response = owner_client.get(en("vendors:profile_edit"))

    assertContains(response, 'value="0225 3842 123"')
    assertContains(response, "Hợp tác xã Chè Tân Cương")


def test_profile_edit_saves_changes_of_owner_and_colleague(client, db):
    vendor = factories.VendorFactory(kind="HTX", tax_code="0300588569", province_id="19")
    commune = _a_commune("19")
    colleague = member_of(vendor, role=VendorMember.Role.MEMBER)
    client.force_login(colleague)

    response = client.post(
        en("vendors:profile_edit"),
        _data(kind="HTX", tax_code="0300588569", province="19", commune=commune.code, phone="0225.3842.123"),
    )

    assert response.status_code == 302
    assert response.url == en("vendors:profile_edit")
    vendor.refresh_from_db()
    assert (vendor.name, vendor.phone, vendor.commune_id) == (
        "Công ty TNHH Thực phẩm Đồng Tháp",
        "+842253842123",
        commune.code,
    )
    assertContains(client.get(response.url), "Your business profile is saved.")


def test_profile_edit_refuses_another_business_tax_code(owner_client):
    factories.VendorFactory(tax_code="0100109106")

    response = owner_client.post(en("vendors:profile_edit"), _data(kind="HTX"))

    assert response.context["form"].errors["tax_code"] == ["Another participant already uses this tax code."]
    owner_client.vendor.refresh_from_db()
    assert owner_client.vendor.name == "Hợp tác xã Chè Tân Cương"


def test_profile_edit_replaces_the_logo_and_deletes_the_old_files_after_commit(
    owner_client, media_root, django_capture_on_commit_callbacks
):
    url = en("vendors:profile_edit")
    vendor = owner_client.vendor
    fields = _data(kind="HTX", tax_code=vendor.tax_code, province="19")
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {**fields, "logo": upload("a.png", image_bytes("PNG"))})
    vendor.refresh_from_db()
    first = sorted([vendor.logo.name, vendor.logo_thumbnail.name])

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {**fields, "logo": upload("b.jpg", image_bytes("JPEG"))})
    vendor.refresh_from_db()
    second = sorted([vendor.logo.name, vendor.logo_thumbnail.name])

    assert set(first).isdisjoint(second)
    assert stored_files(media_root) == second
    page = owner_client.get(url)
    assertContains(page, f'src="{en("vendors:file", kind="logo_thumb", pk=vendor.pk)}"')
    assertContains(page, 'name="remove_logo"')

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {**fields, "remove_logo": "on"})
    vendor.refresh_from_db()
    assert (vendor.logo.name, vendor.logo_thumbnail.name) == ("", "")
    assert stored_files(media_root) == []


def test_profile_edit_keeps_the_old_logo_until_the_commit(owner_client, media_root, django_capture_on_commit_callbacks):
    url = en("vendors:profile_edit")
    fields = _data(kind="HTX", tax_code=owner_client.vendor.tax_code, province="19")
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(url, {**fields, "logo": upload("a.png", image_bytes("PNG"))})
    owner_client.vendor.refresh_from_db()
    old = owner_client.vendor.logo.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner_client.post(url, {**fields, "logo": upload("b.png", image_bytes("PNG"))})

    assert old in stored_files(media_root)
    for callback in callbacks:
        callback()
    assert old not in stored_files(media_root)


def test_profile_edit_page_query_count_is_fixed(owner_client):
    Vendor.objects.filter(pk=owner_client.vendor.pk).update(commune=_a_commune("19"))
    factories.CategoryFactory.create_batch(12)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(en("vendors:profile_edit"))
    factories.CategoryFactory.create_batch(40)
    with CaptureQueriesContext(connection) as many:
        owner_client.get(en("vendors:profile_edit"))
    assert len(few) == len(many)


# --- communes endpoint -------------------------------------------------------------------------


def test_communes_endpoint_lists_one_province_in_vietnamese_order(new_user_client):
    response = new_user_client.get(en("vendors:communes"), {"province": "31"})

    assert response.status_code == 200
    data = response.json()
    assert data["province"] == "31"
    assert len(data["communes"]) == Commune.objects.filter(province_id="31").count()
    by_name = {c["name"]: c for c in data["communes"]}
    thuy_nguyen = Commune.objects.get(province_id="31", name="Phường Thuỷ Nguyên")
    assert by_name["Phường Thuỷ Nguyên"] == {
        "code": thuy_nguyen.code,
        "name": "Phường Thuỷ Nguyên",
        "search": "phuong thuy nguyen",
    }
    names = [c["name"] for c in data["communes"]]
    # Sorted by the proper name whatever the kind: "Xã An Hưng" before "Phường Bạch Đằng".
    assert names.index("Xã An Hưng") < names.index("Phường Bạch Đằng")


@pytest.mark.parametrize("value", ["", "99", "abc", "31; DROP TABLE", "0" * 50])
def test_communes_endpoint_answers_404_for_an_unknown_province(new_user_client, value):
    response = new_user_client.get(en("vendors:communes"), {"province": value})

    assert response.status_code == 404
    assert response.json() == {"error": "Unknown province or city.", "communes": []}


def test_communes_endpoint_query_count(new_user_client, django_assert_num_queries):
    # session, user, province check, communes
    with django_assert_num_queries(4):
        new_user_client.get(en("vendors:communes"), {"province": "79"})


# --- who may reach the pages -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vendors:profile_create", "vendors:profile_edit", "vendors:communes"])
def test_profile_pages_send_anonymous_visitors_to_login(client, db, name):
    url = en(name)
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(en("vendors:login"))
    assert "next=" in response.url


def test_profile_edit_without_a_business_goes_to_profile_create(new_user_client):
    response = new_user_client.get(en("vendors:profile_edit"))

    assert response.status_code == 302
    assert response.url.startswith(en("vendors:profile_create"))


# --- any input ---------------------------------------------------------------------------------

_PROFILE_FIELDS = [
    "name",
    "short_name",
    "kind",
    "tax_code",
    "province",
    "commune",
    "address",
    "representative",
    "contact_name",
    "phone",
    "email",
    "website",
    "description",
    "categories",
]
any_text = st.text(max_size=300) | st.sampled_from(
    ["", " ", "\x00", "31\x00", "²", "０１００１０９１０６", "<script>x</script>", "9" * 40, "-1", "1e9", "null"]
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries(dict.fromkeys(_PROFILE_FIELDS, any_text)))
def test_profile_forms_answer_any_input_without_server_error(owner_client, values):
    for name in ("vendors:profile_edit", "vendors:profile_create"):
        response = owner_client.post(en(name), values)
        assert response.status_code in controls.expected(values.values(), (200, 302)), (name, response.status_code)
        assert b"<script>x</script>" not in response.content
    response = owner_client.get(en("vendors:communes"), {"province": values["province"]})
    assert response.status_code in controls.expected([values["province"]], (200, 404))
