"""Uploaded files kept apart between organisers (issue 16): vendors:file.

A document belongs to the application it was sent with: staff read it only where their role reads
applications (application.view) at that application's fair. Logos and product images: staff whose
role reads applications at some fair the business applied to. The business's own accounts as
before; anyone else 404, as for a file that does not exist."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from events.models import DocumentType
from tests import factories
from vendors.models import ApplicationDocument

from . import _profile_support
from ._profile_support import PDF_BYTES, image_bytes, member_of

media_root = _profile_support.media_root  # a fixture: MEDIA_ROOT in a temporary directory

READ_REFUSED = "Vai trò của bạn không được xem hồ sơ đăng ký và giấy tờ của doanh nghiệp."


def url(kind, pk):
    with translation.override("vi"):
        return reverse("vendors:file", kwargs={"kind": kind, "pk": pk})


class World:
    """A business that applied to organiser 1's two fairs (a document sent with each) and never to
    organiser 2's; staff of each kind."""

    def __init__(self):
        self.fair = factories.EventFactory(slug="hoi-cho-mot")
        self.sister = factories.EventFactory(slug="hoi-cho-mot-b", organiser=self.fair.organiser)
        second = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp tỉnh Bắc Ninh", short_name="HHDN Bắc Ninh")
        self.foreign = factories.EventFactory(slug="hoi-cho-hai", organiser=second)
        self.vendor = factories.VendorFactory()
        self.vendor.logo.save("logo.png", ContentFile(image_bytes("PNG")), save=False)
        self.vendor.logo_thumbnail.save("logo-thumb.png", ContentFile(image_bytes("PNG")), save=False)
        self.vendor.save()
        self.product = factories.ProductFactory(vendor=self.vendor)
        self.product.image.save("anh.png", ContentFile(image_bytes("PNG")), save=False)
        self.product.image_thumbnail.save("anh-thumb.png", ContentFile(image_bytes("PNG")), save=False)
        self.product.save()
        kind = DocumentType.objects.create(name="Giấy chứng nhận đăng ký kinh doanh", slug="dkkd")
        self.document = self._document(self.fair, kind)
        self.sister_document = self._document(self.sister, kind)
        self.admin = factories.StaffUserFactory()
        self.reviewer = factories.StaffUserFactory(role="reviewer")
        self.floor = factories.StaffUserFactory(role="floor")
        self.oversight = factories.StaffUserFactory(role="oversight")
        self.limited = factories.StaffUserFactory(role="reviewer", fairs=[self.fair])
        self.other = factories.StaffUserFactory(organiser=second)
        self.nobody = factories.StaffUserFactory(role=None)
        self.superuser = factories.StaffUserFactory(is_superuser=True)
        self.owner = member_of(self.vendor)
        self.stranger = member_of(factories.VendorFactory())

    def _document(self, event, kind):
        application = factories.ApplicationFactory(vendor=self.vendor, event=event)
        document = ApplicationDocument(
            application=application,
            document_type=kind,
            original_name="giay-phep.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
        )
        document.file.save("giay-phep.pdf", ContentFile(PDF_BYTES), save=False)
        document.save()
        return document


@pytest.fixture
def world(db, media_root, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def get(client, user, kind, pk):
    if user is not None:
        client.force_login(user)
    return client.get(url(kind, pk))


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "reviewer", "superuser", "owner"])
def test_document_is_served_to_who_reads_the_application(client, world, who):
    response = get(client, getattr(world, who), "document", world.document.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("who", ["other", "nobody", "stranger"])
def test_document_answers_404_to_staff_of_another_organiser_and_to_strangers(client, world, who):
    response = get(client, getattr(world, who), "document", world.document.pk)
    assert response.status_code == 404


def test_document_of_another_organiser_answers_like_a_document_that_does_not_exist(client, world):
    missing = get(client, world.other, "document", world.document.pk + 1000)
    assert missing.status_code == get(client, world.other, "document", world.document.pk).status_code == 404


@pytest.mark.parametrize("who", ["floor", "oversight"])
def test_document_answers_403_in_vietnamese_to_a_role_that_does_not_read_applications(client, world, who):
    response = get(client, getattr(world, who), "document", world.document.pk)
    assert response.status_code == 403
    assert READ_REFUSED in response.content.decode()


def test_document_of_a_fair_outside_the_reviewers_limits_is_404(client, world):
    assert get(client, world.limited, "document", world.document.pk).status_code == 200
    assert get(client, world.limited, "document", world.sister_document.pk).status_code == 404


def test_document_asks_anonymous_visitors_to_log_in(client, world):
    response = get(client, None, "document", world.document.pk)
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- logos and product images -----------------------------------------------------------------

IMAGES = ["logo", "logo_thumb", "product", "product_thumb"]


def _pk(world, kind):
    return world.vendor.pk if kind.startswith("logo") else world.product.pk


@pytest.mark.parametrize("kind", IMAGES)
@pytest.mark.parametrize("who", ["admin", "reviewer", "limited", "superuser", "owner"])
def test_image_is_served_to_staff_who_read_an_application_of_the_business(client, world, kind, who):
    response = get(client, getattr(world, who), kind, _pk(world, kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize("kind", IMAGES)
@pytest.mark.parametrize("who", ["other", "nobody", "floor", "oversight", "stranger"])
def test_image_answers_404_to_staff_who_read_no_application_of_the_business(client, world, kind, who):
    response = get(client, getattr(world, who), kind, _pk(world, kind))
    assert response.status_code == 404


def test_image_is_served_to_another_organisers_staff_once_the_business_applies_there(client, world):
    assert get(client, world.other, "logo", world.vendor.pk).status_code == 404
    factories.ApplicationFactory(vendor=world.vendor, event=world.foreign)
    assert get(client, world.other, "logo", world.vendor.pk).status_code == 200
    # …and still not the documents sent to organiser 1's fair
    assert get(client, world.other, "document", world.document.pk).status_code == 404


def test_image_of_a_business_that_applied_nowhere_is_for_the_superuser_and_its_own_accounts(client, world):
    vendor = factories.VendorFactory()
    vendor.logo.save("logo.png", ContentFile(image_bytes("PNG")), save=True)
    assert get(client, world.admin, "logo", vendor.pk).status_code == 404
    assert get(client, world.superuser, "logo", vendor.pk).status_code == 200
    assert get(client, member_of(vendor), "logo", vendor.pk).status_code == 200
