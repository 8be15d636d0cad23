"""Every place that takes a file refuses the hostile corpus (tests/hostile_files.py) with a clear
message on the file field, and stores nothing: no row, no file in the media folder, no pending import.

The table UPLOADS names each such place; `test_every_form_that_takes_a_file_is_in_the_table` finds
every form of the project (and of the admin) with a file field and fails when one is missing here."""

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from booths.models import Booth
from events.models import DocumentType
from tests import factories, hostile_files
from vendors.models import ApplicationDocument, Product, Vendor, VendorMember

# The forms with a file field, by "module.ClassName", and the places in UPLOADS that use them.
FILE_FORMS = {
    "vendors.forms.profile_ui.VendorProfileForm": {"profile_create_logo", "profile_edit_logo"},
    "vendors.forms.profile_ui.ProductForm": {"product_create_image", "product_edit_image"},
    "vendors.forms.applying.DocumentUploadForm": {"application_document"},
    "vendors.admin_import.ImportUploadForm": {"admin_vendor_import"},
    "booths.forms.floorplan.ImportUploadForm": {"staff_booth_import"},
    "booths.admin_import.AdminImportUploadForm": {"admin_booth_import"},
    "tuanhang.office.admin.fairs.DocumentTypeForm": {"admin_document_template"},
    "tuanhang.office.statements.forms.StatementUploadForm": {"staff_bank_statement"},
}
OUR_PACKAGES = ("tuanhang", "events", "vendors", "booths")


@dataclass
class World:
    user: object
    vendor: object
    staff: object
    event: object
    application: object
    document_type: object
    product: object


@pytest.fixture(autouse=True)
def _english_and_private_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    event = factories.EventFactory(slug="hoi-cho-thu")
    document_type = DocumentType.objects.create(name="Giấy chứng nhận đăng ký doanh nghiệp", slug="gcn-dkdn")
    event.required_documents.set([document_type])
    vendor = factories.VendorFactory()
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=user)
    application = factories.ApplicationFactory(vendor=vendor, event=event, status="draft")
    product = factories.ProductFactory(vendor=vendor)
    staff = factories.StaffUserFactory(is_superuser=True)
    return World(user, vendor, staff, event, application, document_type, product)


def _receiving_account(w):
    from events.models import OrganiserBankAccount

    account, _made = OrganiserBankAccount.objects.get_or_create(
        organiser=w.event.organiser,
        bank_bin="970436",
        account_number="0011001234567",
        defaults={"account_name": "TRUNG TAM XUC TIEN THUONG MAI"},
    )
    return account


def _vendor_fields(w):
    v = w.vendor
    return {"name": v.name, "kind": v.kind, "tax_code": v.tax_code, "province": v.province_id, "phone": v.phone}


def _product_fields(w):
    return {"name": "Nước mắm Cát Hải", "category": w.product.category_id}


@dataclass(frozen=True)
class Upload:
    url: object  # world -> URL
    corpus: dict
    field: str
    as_staff: bool = False
    data: object = lambda w: {}  # world -> the other fields of a valid post
    context_form: str = "form"
    new_business: bool = False  # the account has no business yet (the profile is being created)
    status: int = 200  # how the page answers a refused file (the statement upload answers 400)


UPLOADS = {
    "profile_create_logo": Upload(
        lambda w: reverse("vendors:profile_create"),
        hostile_files.IMAGES,
        "logo",
        data=lambda w: {**_vendor_fields(w), "tax_code": factories.valid_tax_code(987), "personal_data_consent": "on"},
        new_business=True,
    ),
    "profile_edit_logo": Upload(
        lambda w: reverse("vendors:profile_edit"), hostile_files.IMAGES, "logo", data=_vendor_fields
    ),
    "product_create_image": Upload(
        lambda w: reverse("vendors:product_create"), hostile_files.IMAGES, "image", data=_product_fields
    ),
    "product_edit_image": Upload(
        lambda w: reverse("vendors:product_edit", kwargs={"pk": w.product.pk}),
        hostile_files.IMAGES,
        "image",
        data=_product_fields,
    ),
    "application_document": Upload(
        lambda w: reverse(
            "vendors:document_upload", kwargs={"pk": w.application.pk, "document_type_id": w.document_type.pk}
        ),
        hostile_files.DOCUMENTS,
        "file",
    ),
    "admin_vendor_import": Upload(
        lambda w: reverse("admin:vendors_vendor_import"),
        hostile_files.SHEETS,
        "file",
        as_staff=True,
        context_form="upload_form",
    ),
    "staff_booth_import": Upload(
        lambda w: reverse("booths:import", args=[w.event.slug]),
        hostile_files.SHEETS,
        "file",
        as_staff=True,
        data=lambda w: {"action": "upload"},
        context_form="upload_form",
    ),
    "staff_bank_statement": Upload(
        lambda w: reverse("reconcile:upload", args=[w.event.organiser_id]),
        hostile_files.SHEETS,
        "file",
        as_staff=True,
        data=lambda w: {"account": _receiving_account(w).pk, "layout": ""},
        status=400,
    ),
    "admin_document_template": Upload(
        lambda w: reverse("admin:events_documenttype_add"),
        hostile_files.TEMPLATES,
        "template",
        as_staff=True,
        data=lambda w: {"name": "Phiếu đăng ký", "slug": "phieu-dang-ky", "description": ""},
        context_form="adminform",
    ),
    "admin_booth_import": Upload(
        lambda w: reverse("admin:booths_booth_import"),
        hostile_files.SHEETS,
        "file",
        as_staff=True,
        data=lambda w: {"action": "upload", "event": w.event.pk},
        context_form="upload_form",
    ),
}
CASES = [(place, case) for place, upload in UPLOADS.items() for case in sorted(upload.corpus)]


def _written(settings) -> dict:
    """What an upload could have left behind."""
    media, var = Path(settings.MEDIA_ROOT), Path(settings.VAR_DIR) / "imports"
    return {
        "media": sorted(str(p) for p in media.rglob("*") if p.is_file()),
        "imports": sorted(str(p) for p in var.rglob("*") if p.is_file()),
        "vendors": list(Vendor.objects.values().order_by("pk")),
        "products": list(Product.objects.values().order_by("pk")),
        "documents": ApplicationDocument.objects.count(),
        "booths": Booth.objects.count(),
    }


@pytest.mark.parametrize(("place", "case"), CASES, ids=[f"{p}-{c}" for p, c in CASES])
def test_hostile_file_is_refused_with_a_field_message_and_nothing_is_stored(client, world, settings, place, case):
    upload = UPLOADS[place]
    if upload.as_staff:
        client.force_login(world.staff)
    elif upload.new_business:
        client.force_login(factories.UserFactory())
    else:
        client.force_login(world.user)
    name, content, message = upload.corpus[case]
    before = _written(settings)

    response = client.post(upload.url(world), {**upload.data(world), upload.field: SimpleUploadedFile(name, content)})

    assert response.status_code == upload.status, response.status_code
    errors = response.context[upload.context_form].errors
    assert list(errors) == [upload.field]
    assert errors[upload.field][0].startswith(message), errors[upload.field]
    assert _written(settings) == before


def test_the_corpus_is_refused_for_its_content_not_for_the_way_it_is_posted(client, world, settings):
    """The positive control: a plain file of each kind goes through the same posts."""
    client.force_login(world.user)
    images = {"logo": SimpleUploadedFile("logo.png", hostile_files.image_bytes("PNG"))}
    response = client.post(reverse("vendors:profile_edit"), {**_vendor_fields(world), **images})
    assert response.status_code == 302
    document = SimpleUploadedFile("giay-phep.pdf", hostile_files.PDF)
    response = client.post(UPLOADS["application_document"].url(world), {"file": document})
    assert response.status_code == 302
    assert ApplicationDocument.objects.filter(application=world.application).count() == 1
    client.force_login(world.staff)
    sheet = SimpleUploadedFile("gian.csv", b"code,zone,type,x,y,width,depth\n")
    response = client.post(reverse("booths:import", args=[world.event.slug]), {"action": "upload", "file": sheet})
    assert response.status_code in (200, 302)
    assert Vendor.objects.get(pk=world.vendor.pk).logo


def _our_form_classes():
    for package_name in OUR_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in info.name or info.name.endswith(".tests"):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == info.name:
                    yield value


def _checked_form(form_class) -> bool:
    """The form is (built on) one of the checked upload forms of FILE_FORMS."""
    return any(f"{cls.__module__}.{cls.__qualname__}" in FILE_FORMS for cls in form_class.__mro__)


def _has_file_field(form_class) -> bool:
    return any(isinstance(field, forms.FileField) for field in form_class.base_fields.values())


def test_every_form_that_takes_a_file_is_in_the_table(db):
    found = {f"{cls.__module__}.{cls.__qualname__}" for cls in _our_form_classes() if _has_file_field(cls)}

    assert found == set(FILE_FORMS)
    assert set().union(*FILE_FORMS.values()) == set(UPLOADS)


def test_no_admin_page_takes_an_unchecked_file(db):
    """Uploads happen only through the checked forms above: every other admin change form shows files read-only."""
    request = RequestFactory().get("/admin/")
    request.user = factories.StaffUserFactory(is_superuser=True)
    taking_files = []
    for model, model_admin in admin.site._registry.items():
        writable = model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        form = model_admin.get_form(request)
        if writable and _has_file_field(form) and not _checked_form(form):
            taking_files.append(model._meta.label)
        for inline in model_admin.get_inline_instances(request):
            inline_writable = inline.has_add_permission(request, None) or inline.has_change_permission(request)
            if inline_writable and _has_file_field(inline.get_formset(request).form):
                taking_files.append(f"{model._meta.label} inline {inline.model._meta.label}")

    assert taking_files == []
