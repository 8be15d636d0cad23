"""A business downloads everything stored about it (issue 17 item 5: the data subject's right to
obtain its data): a zip of data.json and the stored files, for its own accounts only, logged."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from events.models import AccessLog, DocumentType
from tests import factories
from tests.reminders.support import rule
from tuanhang.office.reminders.models import ReminderDelivery
from vendors.models import ApplicationDocument, ApplicationStatusChange, CheckIn, Payment, Vendor, ZonePreference
from vendors.selectors import mydata

from . import _profile_support
from ._profile_support import PDF_BYTES, en, image_bytes, member_of

media_root = _profile_support.media_root


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def business(db, media_root):
    """A business with a bit of everything: logo, product picture, application with its history,
    zone wish, document, payment, check-in, booth and a reminder sent."""
    vendor = factories.VendorFactory(name="Công ty TNHH Gốm Bát Tràng", phone="+84912345678")
    vendor.logo.save("logo.jpg", ContentFile(image_bytes()), save=True)
    owner = member_of(vendor, first_name="Lan", last_name="Nguyễn", email="lan@gom.vn")
    product = factories.ProductFactory(vendor=vendor, name="Bình gốm men lam")
    product.image.save("binh.jpg", ContentFile(image_bytes()), save=True)
    booth = factories.BoothFactory()
    application = factories.ApplicationFactory(vendor=vendor, event=booth.event, status="approved")
    ZonePreference.objects.create(application=application, zone=booth.zone, rank=1)
    ApplicationStatusChange.objects.create(application=application, from_status="submitted", to_status="approved")
    kind = DocumentType.objects.create(name="Giấy chứng nhận đăng ký", slug="dkkd")
    document = ApplicationDocument(
        application=application, document_type=kind, original_name="dkkd.pdf", content_type="application/pdf", size=9
    )
    document.file.save("dkkd.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    Payment.objects.create(application=application, amount=1_500_000, paid_on=timezone.localdate(), reference="UNC 42")
    CheckIn.objects.create(application=application, arrived_at=timezone.now(), note="Đến sớm")
    factories.AssignmentFactory(booth=booth, application=application)
    ReminderDelivery.objects.create(
        rule=rule(booth.event),
        application=application,
        event=booth.event,
        due_at=timezone.now(),
        recipients="lan@gom.vn",
    )
    return vendor, owner, document


def test_my_data_download_holds_every_part_and_the_files(client, business):
    vendor, owner, document = business
    client.force_login(owner)

    response = client.get(en("vendors:my_data_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip(response)
    data = json.loads(archive.read("data.json"))
    assert data["business"]["name"] == "Công ty TNHH Gốm Bát Tràng"
    assert data["business"]["phone"] == "+84912345678"
    assert data["accounts"][0]["email"] == "lan@gom.vn"
    assert data["accounts"][0]["first_name"] == "Lan"
    assert [p["name"] for p in data["vendors.Product"]] == ["Bình gốm men lam"]
    assert data["vendors.Payment"][0]["amount"] == 1_500_000 and data["vendors.Payment"][0]["reference"] == "UNC 42"
    assert data["vendors.ApplicationStatusChange"][0]["to_status"] == "approved"
    assert data["vendors.ZonePreference"][0]["rank"] == 1
    assert data["vendors.CheckIn"][0]["note"] == "Đến sớm"
    assert data["booths.Assignment"][0]["booth"]["name"] == str(factories.Booth.objects.get())
    assert data["reminders.ReminderDelivery"][0]["recipients"] == "lan@gom.vn"
    # The files themselves, under the names data.json gives.
    document_name = data["vendors.ApplicationDocument"][0]["file"]
    assert archive.read(document_name) == PDF_BYTES
    assert archive.read(data["business"]["logo"])[:2] == b"\xff\xd8"
    assert archive.read(data["vendors.Product"][0]["image"])[:2] == b"\xff\xd8"


def test_my_data_download_never_holds_a_password_hash_or_a_token(client, business):
    vendor, owner, _ = business
    vendor.invitations.create(email="ban@gom.vn", token="secret-digest-123", invited_by=owner)
    client.force_login(owner)

    raw = _zip(client.get(en("vendors:my_data_download"))).read("data.json").decode()

    assert owner.password and owner.password not in raw
    assert "password" not in raw
    assert "secret-digest-123" not in raw
    assert "ban@gom.vn" in raw


def test_my_data_download_is_the_accounts_own_business_only(client, business):
    vendor, owner, _ = business
    other = factories.VendorFactory(name="Hợp tác xã Chè Thái")
    client.force_login(member_of(other))

    data = json.loads(_zip(client.get(en("vendors:my_data_download"))).read("data.json"))

    assert data["business"]["name"] == "Hợp tác xã Chè Thái"
    assert "Gốm" not in json.dumps(data, ensure_ascii=False)
    assert data["vendors.Application"] == []


def test_my_data_download_is_written_to_the_fairs_organiser_access_log(client, business):
    vendor, owner, _ = business
    client.force_login(owner)

    client.get(en("vendors:my_data_download"))

    entry = AccessLog.objects.get(kind=AccessLog.Kind.SELF_EXPORT)
    assert entry.organiser_id == vendor.applications.get().event.organiser_id
    assert entry.changed_by == owner and entry.object_id == str(vendor.pk) and entry.personal


def test_my_data_needs_a_login(client, db):
    response = client.get(en("vendors:my_data_download"))

    assert response.status_code == 302 and "login" in response["Location"]


def _owned_closure() -> set[str]:
    """Every model holding rows of a business, found from the other side: models whose foreign key
    or one-to-one field points to Vendor or to a model already found (hidden relations included)."""
    found, grew = {Vendor}, True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in found and field.remote_field.model is not model:
                    found.add(model)
                    grew = True
                    break
    return {model._meta.label for model in found} - {"vendors.Vendor"}


def test_every_model_pointing_to_a_business_is_exported_or_excluded_on_purpose(db):
    """A model added later with a foreign key to Vendor, Application, CheckIn… lands in the export
    by itself; if it should not (a secret), it has to be listed in mydata.EXCLUDED with a reason."""
    exported = {part.label for part in mydata.data_parts()}

    missing = _owned_closure() - exported - set(mydata.EXCLUDED)

    assert missing == set()
    assert {"booths.Assignment", "reminders.ReminderDelivery", "vendors.CheckInChange"} <= exported
