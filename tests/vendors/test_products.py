"""A business's products (list, add, edit, delete with confirmation, OCOP certification) and the
view that serves uploaded files to their owner and to staff only."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from events.models import DocumentType
from tests import controls, factories
from vendors.models import Application, ApplicationDocument, Product, Vendor

from . import _profile_support
from ._profile_support import PDF_BYTES, en, image_bytes, member_of, stored_files, upload

A = Application.Status

media_root = _profile_support.media_root  # a fixture: MEDIA_ROOT in a temporary directory


@pytest.fixture
def vendor(db):
    return factories.VendorFactory(name="Công ty Nước mắm Cát Hải", province_id="31")


@pytest.fixture
def owner_client(client, vendor):
    client.force_login(member_of(vendor))
    return client


@pytest.fixture
def category(db):
    return factories.CategoryFactory(name="Thủy hải sản")


def _product_data(cat, **overrides):
    data = {"name": " Nước mắm   nhĩ 40 độ đạm ", "category": cat.pk, "origin_province": "31"}
    data.update(overrides)
    return data


def _ocop(**overrides):
    data = {
        "ocop_stars": "4",
        "ocop_decision_number": "1234/QĐ-UBND",
        "ocop_decision_date": "2024-03-15",
        "ocop_issuer": "UBND thành phố Hải Phòng",
    }
    data.update(overrides)
    return data


# --- create and edit ---------------------------------------------------------------------------


def test_product_create_saves_the_product_with_image_and_thumbnail(owner_client, vendor, category, media_root):
    response = owner_client.post(
        en("vendors:product_create"),
        _product_data(category, description="Chai 500 ml", image=upload("mam.jpg", image_bytes("JPEG", (1600, 1200)))),
    )

    assert response.status_code == 302
    assert response.url == en("vendors:product_list")
    product = Product.objects.get()
    assert (product.vendor, product.name, product.category, product.origin_province_id) == (
        vendor,
        "Nước mắm nhĩ 40 độ đạm",
        category,
        "31",
    )
    assert product.image.name.startswith("products/") and product.image_thumbnail.name.startswith("products/thumbs/")
    assert stored_files(media_root) == sorted([product.image.name, product.image_thumbnail.name])
    assertContains(owner_client.get(response.url), "“Nước mắm nhĩ 40 độ đạm” is added.")


def test_product_create_offers_the_business_province_as_origin(owner_client, category):
    response = owner_client.get(en("vendors:product_create"))

    assertContains(
        response, '<option value="31" data-search="hai phong hai duong" selected>Hải Phòng</option>', html=True
    )


def test_product_ocop_expiry_defaults_to_36_months_after_the_decision(owner_client, category):
    owner_client.post(en("vendors:product_create"), _product_data(category, **_ocop()))

    product = Product.objects.get()
    assert (product.ocop_stars, product.ocop_decision_number, product.ocop_decision_date) == (
        4,
        "1234/QĐ-UBND",
        dt.date(2024, 3, 15),
    )
    assert product.ocop_expires_on == dt.date(2027, 3, 15)


def test_product_ocop_dates_typed_the_vietnamese_way_are_read_day_first(owner_client, category):
    with translation.override("vi"):
        url = reverse("vendors:product_create")
    owner_client.post(url, _product_data(category, **_ocop(ocop_decision_date="05/03/2024")))

    assert Product.objects.get().ocop_decision_date == dt.date(2024, 3, 5)


def test_product_ocop_expiry_of_29_february_is_28_february(owner_client, category):
    owner_client.post(en("vendors:product_create"), _product_data(category, **_ocop(ocop_decision_date="2024-02-29")))
    assert Product.objects.get().ocop_expires_on == dt.date(2027, 2, 28)


def test_product_ocop_expiry_given_is_kept(owner_client, category):
    owner_client.post(en("vendors:product_create"), _product_data(category, **_ocop(ocop_expires_on="2026-01-31")))
    assert Product.objects.get().ocop_expires_on == dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("ocop", "errors"),
    [
        (
            {"ocop_issuer": "UBND tỉnh Thái Nguyên"},
            {
                field: ["An OCOP certification needs its stars, decision number and decision date."]
                for field in ("ocop_stars", "ocop_decision_number", "ocop_decision_date")
            },
        ),
        (
            _ocop(ocop_decision_number=""),
            {"ocop_decision_number": ["An OCOP certification needs its stars, decision number and decision date."]},
        ),
        (
            _ocop(ocop_stars="6"),
            {"ocop_stars": ["Select a valid choice. 6 is not one of the available choices."]},
        ),
        (_ocop(ocop_decision_date="2024-02-31"), {"ocop_decision_date": ["Enter a valid date."]}),
        (
            _ocop(ocop_expires_on="2024-01-01"),
            {"ocop_expires_on": ["The expiry date must be after the decision date."]},
        ),
    ],
)
def test_product_ocop_details_are_checked_field_by_field(owner_client, category, ocop, errors):
    response = owner_client.post(en("vendors:product_create"), _product_data(category, **ocop))

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Product.objects.count() == 0


def test_product_ocop_decision_date_cannot_be_in_the_future(owner_client, category):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = owner_client.post(
        en("vendors:product_create"), _product_data(category, **_ocop(ocop_decision_date=tomorrow.isoformat()))
    )
    assert response.context["form"].errors == {"ocop_decision_date": ["The decision date is in the future."]}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "x" * 256}, "name", "Ensure this value has at most 255 characters (it has 256)."),
        ({"category": ""}, "category", "This field is required."),
        ({"category": "999999"}, "category", "Select a valid choice. That choice is not one of the available choices."),
        ({"origin_province": "Atlantis"}, "origin_province", "Unknown province or city: “Atlantis”."),
    ],
)
def test_product_create_rejects_bad_input(owner_client, category, overrides, field, message):
    response = owner_client.post(en("vendors:product_create"), _product_data(category, **overrides))

    assert response.context["form"].errors[field] == [message]
    assert Product.objects.count() == 0


def test_product_origin_accepts_an_old_province_name(owner_client, category):
    owner_client.post(en("vendors:product_create"), _product_data(category, origin_province="Hải Dương"))
    assert Product.objects.get().origin_province_id == "31"


def test_product_edit_changes_the_product_and_replaces_its_image_after_commit(
    owner_client, vendor, category, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            en("vendors:product_create"), _product_data(category, image=upload("a.png", image_bytes("PNG")))
        )
    product = Product.objects.get()
    old = [product.image.name, product.image_thumbnail.name]
    url = en("vendors:product_edit", pk=product.pk)

    page = owner_client.get(url)
    assertContains(page, 'value="Nước mắm nhĩ 40 độ đạm"')
    assertContains(page, f'src="{en("vendors:file", kind="product_thumb", pk=product.pk)}"')
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            url, _product_data(category, name="Nước mắm cốt", image=upload("b.webp", image_bytes("WEBP")))
        )

    assert response.url == en("vendors:product_list")
    product.refresh_from_db()
    assert product.name == "Nước mắm cốt"
    assert product.image.name.endswith(".webp")
    assert stored_files(media_root) == sorted([product.image.name, product.image_thumbnail.name])
    assert set(old).isdisjoint(stored_files(media_root))


def test_product_edit_can_remove_the_image(owner_client, category, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            en("vendors:product_create"), _product_data(category, image=upload("a.png", image_bytes("PNG")))
        )
    product = Product.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(en("vendors:product_edit", pk=product.pk), _product_data(category, remove_image="on"))

    product.refresh_from_db()
    assert (product.image.name, product.image_thumbnail.name) == ("", "")
    assert stored_files(media_root) == []


# --- list --------------------------------------------------------------------------------------


def test_product_list_shows_ocop_validity_and_expired_certifications(owner_client, vendor, category):
    today = timezone.localdate()
    factories.ProductFactory(
        vendor=vendor,
        name="Chả cá Cát Bà",
        category=category,
        ocop_stars=4,
        ocop_decision_number="12/QĐ-UBND",
        ocop_decision_date=dt.date(2020, 1, 10),
        ocop_expires_on=dt.date(2023, 1, 10),
    )
    factories.ProductFactory(
        vendor=vendor,
        name="Bánh đa cua",
        category=category,
        ocop_stars=3,
        ocop_decision_number="99/QĐ-UBND",
        ocop_decision_date=today - dt.timedelta(days=30),
        ocop_expires_on=today + dt.timedelta(days=400),
    )
    factories.ProductFactory(vendor=vendor, name="Rượu chuối", category=category)
    factories.ProductFactory(name="Sản phẩm của người khác", category=category)

    response = owner_client.get(en("vendors:product_list"))

    assertContains(
        response,
        '<span class="badge text-bg-danger text-wrap ocop-expired">OCOP 4★ · expired on 10/01/2023</span>',
        html=True,
    )
    valid_until = (today + dt.timedelta(days=400)).strftime("%d/%m/%Y")
    assertContains(
        response,
        f'<span class="badge text-bg-success text-wrap ocop-valid">OCOP 3★ · valid until {valid_until}</span>',
        html=True,
    )
    assertContains(response, "3 products")
    assertNotContains(response, "Sản phẩm của người khác")
    names = [p.name for p in response.context["products"]]
    assert names == ["Bánh đa cua", "Chả cá Cát Bà", "Rượu chuối"]


def test_product_list_is_paginated(owner_client, vendor, category):
    Product.objects.bulk_create(
        [Product(vendor=vendor, category=category, name=f"Sản phẩm {i:02d}") for i in range(25)]
    )

    first = owner_client.get(en("vendors:product_list"))
    second = owner_client.get(en("vendors:product_list"), {"page": 2})

    assert len(first.context["products"]) == 20
    assert [p.name for p in second.context["products"]] == [f"Sản phẩm {i:02d}" for i in range(20, 25)]
    assertContains(first, "25 products")


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(en("vendors:product_list"))
    assert response.status_code == 200
    return len(queries)


def test_product_list_query_count_is_the_same_at_10_and_1000_products(owner_client, vendor, category):
    other_category = factories.CategoryFactory()
    event = factories.EventFactory()

    def add(start, stop):
        products = Product.objects.bulk_create(
            [
                Product(
                    vendor=vendor,
                    category=category if i % 2 else other_category,
                    origin_province_id="31" if i % 3 else "01",
                    name=f"Sản phẩm {i:04d}",
                    image="products/x.jpg",
                    image_thumbnail="products/thumbs/x.jpg",
                    ocop_stars=4 if i % 5 == 0 else None,
                    ocop_expires_on=dt.date(2023, 1, 1) if i % 5 == 0 else None,
                )
                for i in range(start, stop)
            ]
        )
        application = factories.ApplicationFactory(vendor=vendor, event=event, status=A.SUBMITTED)
        application.products.add(*products[:5])

    add(0, 10)
    few = _list_queries(owner_client)
    Application.objects.all().delete()
    add(10, 1000)
    many = _list_queries(owner_client)

    assert few == many == 5  # session, user, membership + business, count, the page of products


# --- delete ------------------------------------------------------------------------------------


def test_product_delete_asks_first(owner_client, vendor, category):
    product = factories.ProductFactory(vendor=vendor, category=category, name="Mắm ruốc")

    response = owner_client.get(en("vendors:product_delete", pk=product.pk))

    assertContains(response, "Delete “Mắm ruốc” and its image? This cannot be undone.")
    assertContains(response, "Yes, delete it")
    assert Product.objects.filter(pk=product.pk).exists()


def test_product_delete_after_confirmation_removes_product_and_files(
    owner_client, vendor, category, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            en("vendors:product_create"), _product_data(category, image=upload("a.png", image_bytes("PNG")))
        )
    product = Product.objects.get()
    draft = factories.ApplicationFactory(vendor=vendor, status=A.DRAFT)
    draft.products.add(product)

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(en("vendors:product_delete", pk=product.pk))

    assert response.url == en("vendors:product_list")
    assert not Product.objects.exists()
    assert list(draft.products.all()) == []
    assert stored_files(media_root) == []
    assertContains(owner_client.get(response.url), "“Nước mắm nhĩ 40 độ đạm” is deleted.")


@pytest.mark.parametrize("status", [A.SUBMITTED, A.WAITLISTED, A.APPROVED])
def test_product_delete_is_refused_while_an_application_shows_it(owner_client, vendor, category, status):
    product = factories.ProductFactory(vendor=vendor, category=category, name="Mắm ruốc")
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP 2024")
    factories.ApplicationFactory(vendor=vendor, event=event, status=status).products.add(product)

    page = owner_client.get(en("vendors:product_delete", pk=product.pk))
    assertContains(page, "“Mắm ruốc” cannot be deleted: it is part of these applications")
    assertContains(page, "Tuần hàng Việt Nam VSIP 2024")
    assertNotContains(page, "Yes, delete it")

    response = owner_client.post(en("vendors:product_delete", pk=product.pk), follow=True)

    assertContains(
        response,
        "“Mắm ruốc” cannot be deleted: it is part of your application to “Tuần hàng Việt Nam VSIP 2024”, "
        "which has been submitted or approved.",
    )
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize("status", [A.DRAFT, A.REJECTED, A.WITHDRAWN, A.CANCELLED])
def test_product_delete_is_allowed_when_applications_are_not_under_review(owner_client, vendor, category, status):
    product = factories.ProductFactory(vendor=vendor, category=category)
    factories.ApplicationFactory(vendor=vendor, status=status).products.add(product)

    owner_client.post(en("vendors:product_delete", pk=product.pk))

    assert not Product.objects.filter(pk=product.pk).exists()


# --- another business's objects, anonymous visitors -------------------------------------------


def test_another_business_product_pages_answer_404(owner_client, category):
    other = factories.ProductFactory(category=category)

    assert owner_client.get(en("vendors:product_edit", pk=other.pk)).status_code == 404
    assert owner_client.post(en("vendors:product_edit", pk=other.pk), _product_data(category)).status_code == 404
    assert owner_client.get(en("vendors:product_delete", pk=other.pk)).status_code == 404
    assert owner_client.post(en("vendors:product_delete", pk=other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.name.startswith("Nước mắm")


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("vendors:product_list", {}),
        ("vendors:product_create", {}),
        ("vendors:product_edit", {"pk": 1}),
        ("vendors:product_delete", {"pk": 1}),
        ("vendors:file", {"kind": "logo", "pk": 1}),
        ("vendors:file", {"kind": "document", "pk": 1}),
    ],
)
def test_product_and_file_pages_send_anonymous_visitors_to_login(client, db, name, kwargs):
    response = client.get(en(name, **kwargs))

    assert response.status_code == 302
    assert response.url.startswith(en("vendors:login") + "?next=")


def test_product_pages_send_an_account_without_business_to_profile_create(client, db):
    client.force_login(factories.UserFactory())
    response = client.get(en("vendors:product_list"))
    assert response.url.startswith(en("vendors:profile_create"))


# --- files -------------------------------------------------------------------------------------


@pytest.fixture
def files(vendor, category, media_root):
    """A logo, a product image and a document of `vendor`, and the same of another business."""

    def make(owner):
        owner.logo.save("l.png", ContentFile(image_bytes("PNG")), save=False)
        owner.logo_thumbnail.save("t.png", ContentFile(image_bytes("PNG", (40, 30))), save=False)
        owner.save()
        product = factories.ProductFactory(vendor=owner, category=category)
        product.image.save("p.jpg", ContentFile(image_bytes("JPEG")), save=False)
        product.image_thumbnail.save("p.jpg", ContentFile(image_bytes("JPEG", (40, 30))), save=False)
        product.save()
        application = factories.ApplicationFactory(vendor=owner)
        document_type, _ = DocumentType.objects.get_or_create(slug="gcn-dkdn", defaults={"name": "GCN ĐKDN"})
        document = ApplicationDocument.objects.create(
            application=application,
            document_type=document_type,
            file=ContentFile(PDF_BYTES, name="x.pdf"),
            original_name="Giấy chứng nhận ĐKDN.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
        )
        return {
            "logo": owner.pk,
            "logo_thumb": owner.pk,
            "product": product.pk,
            "product_thumb": product.pk,
            "document": document.pk,
        }

    return make(vendor), make(factories.VendorFactory())


def _body(response):
    # Reading to the end lets the test client close the file (and not the database connection).
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("kind", "content_type", "disposition"),
    [
        ("logo", "image/png", 'inline; filename="logo-{pk}.png"'),
        ("logo_thumb", "image/png", 'inline; filename="logo_thumb-{pk}.png"'),
        ("product", "image/jpeg", 'inline; filename="product-{pk}.jpg"'),
        ("product_thumb", "image/jpeg", 'inline; filename="product_thumb-{pk}.jpg"'),
        (
            "document",
            "application/pdf",
            "attachment; filename*=utf-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn%20%C4%90KDN.pdf",
        ),
    ],
)
def test_file_is_served_to_the_owning_business(owner_client, files, kind, content_type, disposition):
    mine, _ = files
    response = owner_client.get(en("vendors:file", kind=kind, pk=mine[kind]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition.format(pk=mine[kind])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=600"
    body = _body(response)
    assert body.startswith(b"%PDF-" if kind == "document" else (b"\x89PNG" if "logo" in kind else b"\xff\xd8"))


@pytest.mark.parametrize("kind", ["logo", "logo_thumb", "product", "product_thumb", "document"])
def test_file_of_another_business_answers_404(owner_client, files, kind):
    _, theirs = files
    assert owner_client.get(en("vendors:file", kind=kind, pk=theirs[kind])).status_code == 404


@pytest.mark.parametrize("kind", ["logo", "logo_thumb", "product", "product_thumb", "document"])
def test_file_is_served_to_staff_and_to_a_colleague(client, vendor, files, kind):
    mine, theirs = files
    client.force_login(factories.StaffUserFactory())
    response = client.get(en("vendors:file", kind=kind, pk=theirs[kind]))
    assert response.status_code == 200
    assert _body(response) == _stored_bytes(kind, theirs[kind])

    client.force_login(member_of(vendor, role="member"))
    response = client.get(en("vendors:file", kind=kind, pk=mine[kind]))
    assert response.status_code == 200
    assert _body(response) == _stored_bytes(kind, mine[kind])


def _stored_bytes(kind, pk):
    """The bytes the storage holds for that file: what the viewer must receive, not another file."""
    model, field = {
        "logo": (Vendor, "logo"),
        "logo_thumb": (Vendor, "logo_thumbnail"),
        "product": (Product, "image"),
        "product_thumb": (Product, "image_thumbnail"),
        "document": (ApplicationDocument, "file"),
    }[kind]
    stored = getattr(model.objects.get(pk=pk), field)
    with stored.open("rb") as handle:
        return handle.read()


def test_file_view_answers_404_for_an_account_without_business_and_for_missing_files(client, vendor, files):
    mine, _ = files
    client.force_login(factories.UserFactory())
    assert client.get(en("vendors:file", kind="logo", pk=mine["logo"])).status_code == 404

    client.force_login(member_of(vendor))
    Product.objects.filter(pk=mine["product"]).update(image="")
    assert client.get(en("vendors:file", kind="product", pk=mine["product"])).status_code == 404
    assert client.get(en("vendors:file", kind="logo", pk=999_999)).status_code == 404
    assert client.get(en("vendors:file", kind="logo", pk=10**17)).status_code == 404
    vendor.logo.storage.delete(vendor.logo.name)
    assert client.get(en("vendors:file", kind="logo", pk=mine["logo"])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/en/files/secret/1/",
        "/en/files/logo/../../settings.py",
        "/en/files/document/1/../../etc/passwd",
        "/en/files/logo/-1/",
    ],
)
def test_file_url_accepts_only_known_kinds_and_numeric_ids(owner_client, files, path):
    assert owner_client.get(path).status_code == 404


def test_document_of_unexpected_type_is_only_downloaded(owner_client, files):
    mine, _ = files
    ApplicationDocument.objects.filter(pk=mine["document"]).update(content_type="text/html")

    response = owner_client.get(en("vendors:file", kind="document", pk=mine["document"]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    _body(response)


# --- any input ---------------------------------------------------------------------------------

_PRODUCT_FIELDS = [
    "name",
    "category",
    "origin_province",
    "description",
    "ocop_stars",
    "ocop_decision_number",
    "ocop_decision_date",
    "ocop_issuer",
    "ocop_expires_on",
]
any_text = st.text(max_size=300) | st.sampled_from(
    ["", " ", "\x00", "3\x00", "²", "<script>x</script>", "9" * 40, "-1", "0000-00-00", "9999-12-31", "29/02/2023"]
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries(dict.fromkeys(_PRODUCT_FIELDS, any_text)))
def test_product_form_answers_any_input_without_server_error(owner_client, vendor, category, values):
    product = factories.ProductFactory(vendor=vendor, category=category)
    for url in (en("vendors:product_create"), en("vendors:product_edit", pk=product.pk)):
        response = owner_client.post(url, values)
        assert response.status_code in controls.expected(values.values(), (200, 302)), (url, response.status_code)
        assert b"<script>x</script>" not in response.content
