"""A business asks for its personal data to be erased; the organiser's administrators carry it out
or refuse it (issue 17 item 5). What the law lets go goes, files included; what it requires stays."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from events.models import AccessLog, DocumentType
from tests import factories
from tests.reminders.support import rule
from tuanhang.office.reminders.models import ReminderDelivery
from tuanhang.office.selectors.dashboard import events_with_counts
from vendors.models import ApplicationDocument, ErasureRequest, Payment, Vendor
from vendors.services import erasure as services
from vendors.services.amounts import recompute_amounts_due

from . import _profile_support
from ._profile_support import PDF_BYTES, en, image_bytes, member_of, stored_files

media_root = _profile_support.media_root
HOUSEHOLD_ID = "031185001345"


def _document(application, name="cccd.pdf"):
    kind, _ = DocumentType.objects.get_or_create(slug="cccd", defaults={"name": "Căn cước", "personal": True})
    document = ApplicationDocument(
        application=application, document_type=kind, original_name=name, content_type="application/pdf", size=9
    )
    document.file.save(name, ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


class World:
    def __init__(self):
        self.fair = factories.EventFactory(slug="hoi-cho-mot", subsidy_percent=0)
        self.admin = factories.StaffUserFactory(organiser=self.fair.organiser)
        self.household = self._business(name="Hộ kinh doanh Nguyễn Văn An", kind=Vendor.Kind.HKD, tax_code=HOUSEHOLD_ID)
        self.owner = member_of(self.household, first_name="An", last_name="Nguyễn", email="an@ho.vn")
        self.application = factories.ApplicationFactory(vendor=self.household, event=self.fair, status="approved")
        self.application.note = "Gọi cho anh An 0912 345 678"
        self.application.save()
        _document(self.application)
        self.other = self._business(name="Công ty TNHH Gốm Bát Tràng")
        self.other_owner = member_of(self.other, email="lan@gom.vn")
        self.other_application = factories.ApplicationFactory(vendor=self.other, event=self.fair, status="approved")
        _document(self.other_application, "khac.pdf")
        self.other_organiser = factories.OrganiserFactory(name="Hiệp hội Bắc Ninh", short_name="HH Bắc Ninh")
        factories.EventFactory(slug="hoi-cho-hai", organiser=self.other_organiser)
        self.other_admin = factories.StaffUserFactory(organiser=self.other_organiser)

    def _business(self, **fields):
        vendor = factories.VendorFactory(
            address="12 Lê Lợi", representative="Nguyễn Văn An", website="https://an.vn", **fields
        )
        vendor.logo.save("logo.jpg", ContentFile(image_bytes()), save=True)
        product = factories.ProductFactory(vendor=vendor)
        product.image.save("sp.jpg", ContentFile(image_bytes()), save=True)
        return vendor

    def ask(self):
        return services.erasure_request_create(vendor=self.household, by=self.owner, reason="Tôi nghỉ kinh doanh")


@pytest.fixture
def world(db, media_root, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def _other_files_present(world, media_root):
    other = Vendor.objects.get(pk=world.other.pk)
    names = [other.logo.name, other.products.get().image.name, world.other_application.documents.get().file.name]
    return all((media_root / name).is_file() for name in names)


def test_erasure_removes_personal_fields_files_and_logins(world, media_root, django_capture_on_commit_callbacks):
    erasure = world.ask()
    before = set(stored_files(media_root))

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=erasure, by=world.admin)

    vendor = Vendor.objects.get(pk=world.household.pk)
    assert vendor.name == f"Hộ kinh doanh đã xoá dữ liệu #{vendor.pk}"
    assert (vendor.representative, vendor.contact_name, vendor.phone, vendor.email, vendor.address) == ("",) * 5
    assert not vendor.logo and not vendor.products.get().image and vendor.erased_at is not None
    assert vendor.tax_code == f"XOA{vendor.pk}"  # no payment, no subsidy: the owner's ID goes too
    assert not ApplicationDocument.objects.filter(application__vendor=vendor).exists()
    assert vendor.applications.get().note == ""
    owner = get_user_model().objects.get(pk=world.owner.pk)
    assert not owner.is_active and not owner.has_usable_password()
    assert (owner.first_name, owner.last_name, owner.email) == ("", "", "")
    # Only this business's files left the disk: logo, thumbnails, product picture, document.
    gone = before - set(stored_files(media_root))
    assert len(gone) >= 3 and _other_files_present(world, media_root)
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.DONE


def test_erasure_keeps_a_households_tax_code_at_a_subsidised_fair(world, django_capture_on_commit_callbacks):
    world.fair.subsidy_percent = 50
    world.fair.save()
    recompute_amounts_due(event=world.fair)  # as the admin does when a fair's fees change

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=world.ask(), by=world.admin)

    vendor = Vendor.objects.get(pk=world.household.pk)
    assert (vendor.tax_code, vendor.name) == (HOUSEHOLD_ID, f"Hộ kinh doanh đã xoá dữ liệu #{vendor.pk}")


def test_erasure_keeps_payments_applications_and_the_figures(world, django_capture_on_commit_callbacks):
    Payment.objects.create(
        application=world.application, amount=2_000_000, paid_on=timezone.localdate(), reference="UNC 7"
    )
    figures = list(events_with_counts(world.admin).values("application_count", "business_count", "province_count"))

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=world.ask(), by=world.admin)

    payment = Payment.objects.get()
    assert (payment.amount, payment.reference, payment.application.status) == (2_000_000, "UNC 7", "approved")
    assert Vendor.objects.get(pk=world.household.pk).tax_code == HOUSEHOLD_ID  # tax records keep it
    assert list(events_with_counts(world.admin).values("application_count", "business_count", "province_count")) == (
        figures
    )


def test_erasure_of_an_enterprise_keeps_its_legal_name_and_tax_code(world, django_capture_on_commit_callbacks):
    erasure = ErasureRequest.objects.create(vendor=world.other, requested_by=world.other_owner)

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=erasure, by=world.admin)

    other = Vendor.objects.get(pk=world.other.pk)
    assert other.name == "Công ty TNHH Gốm Bát Tràng" and other.tax_code == world.other.tax_code
    assert other.representative == "" and other.email == ""


def test_erasure_leaves_another_business_and_staff_untouched(world, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=world.ask(), by=world.admin)

    other = Vendor.objects.get(pk=world.other.pk)
    assert other.representative == "Nguyễn Văn An" and other.email and other.phone and other.logo
    assert get_user_model().objects.get(pk=world.other_owner.pk).email == "lan@gom.vn"
    assert get_user_model().objects.get(pk=world.admin.pk).is_active
    assert _other_files_present(world, media_root)


def test_erasure_blanks_the_reminder_recipients(world, django_capture_on_commit_callbacks):
    delivery = ReminderDelivery.objects.create(
        rule=rule(world.fair),
        application=world.application,
        event=world.fair,
        due_at=timezone.now(),
        recipients="an@ho.vn",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=world.ask(), by=world.admin)

    delivery.refresh_from_db()
    assert delivery.recipients == ""


def test_erasure_carried_out_twice_changes_nothing_more(world, django_capture_on_commit_callbacks):
    erasure = world.ask()
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_carry_out(erasure=erasure, by=world.admin)
    first = Vendor.objects.values().get(pk=world.household.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.erasure_carry_out(erasure=erasure, by=world.other_admin)

    assert Vendor.objects.values().get(pk=world.household.pk) == first
    assert callbacks == []
    assert ErasureRequest.objects.get().decided_by == world.admin


def test_erasure_files_stay_when_the_transaction_rolls_back(world, media_root, monkeypatch):
    """The files go after the commit: a failure inside the transaction leaves them all."""
    before = stored_files(media_root)
    monkeypatch.setattr(services, "_deactivate_accounts", lambda vendor: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        services.erasure_carry_out(erasure=world.ask(), by=world.admin)

    assert stored_files(media_root) == before
    assert Vendor.objects.get(pk=world.household.pk).phone


# --- over HTTP -------------------------------------------------------------------------------


def test_business_asks_for_erasure_with_a_reason(client, world):
    client.force_login(world.owner)

    page = client.get(en("vendors:erasure_request"))
    response = client.post(en("vendors:erasure_request"), {"reason": "Tôi nghỉ kinh doanh"}, follow=True)

    assert page.status_code == 200 and b"erasure-form" in page.content
    erasure = ErasureRequest.objects.get()
    assert (erasure.vendor, erasure.reason, erasure.status) == (world.household, "Tôi nghỉ kinh doanh", "waiting")
    assert b'id="erasure-waiting"' in response.content


def test_business_cannot_ask_twice_while_one_waits(world):
    world.ask()

    with pytest.raises(ValidationError):
        world.ask()


def test_admin_sees_the_waiting_request_and_carries_it_out(client, world, django_capture_on_commit_callbacks):
    erasure = world.ask()
    client.force_login(world.admin)
    organiser = world.fair.organiser_id

    listing = client.get(en("team:erasure_list", pk=organiser))
    confirm = client.get(en("team:erasure_decide", pk=organiser, request_pk=erasure.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(en("team:erasure_decide", pk=organiser, request_pk=erasure.pk), {"action": "carry_out"})

    assert "Hộ kinh doanh Nguyễn Văn An" in listing.content.decode()
    assert b'id="erasure-carry-out"' in confirm.content
    assert Vendor.objects.get(pk=world.household.pk).erased_at is not None
    log = AccessLog.objects.get(kind=AccessLog.Kind.ERASURE)
    assert (log.organiser_id, log.changed_by, log.object_id) == (organiser, world.admin, str(world.household.pk))


def test_admin_refuses_with_a_reason_the_business_sees(client, world):
    erasure = world.ask()
    client.force_login(world.admin)
    url = en("team:erasure_decide", pk=world.fair.organiser_id, request_pk=erasure.pk)

    empty = client.post(url, {"action": "refuse", "reason": ""})
    client.post(url, {"action": "refuse", "reason": "Hồ sơ đang được thanh tra"})
    client.force_login(world.owner)
    page = client.get(en("vendors:my_data")).content.decode()

    assert empty.status_code == 400
    erasure.refresh_from_db()
    assert (erasure.status, erasure.refusal_reason) == ("refused", "Hồ sơ đang được thanh tra")
    assert "Hồ sơ đang được thanh tra" in page and 'id="erasure-refused"' in page
    assert Vendor.objects.get(pk=world.household.pk).phone  # nothing erased


def test_refusal_without_a_reason_changes_nothing(client, world):
    erasure = world.ask()
    client.force_login(world.admin)

    response = client.post(
        en("team:erasure_decide", pk=world.fair.organiser_id, request_pk=erasure.pk), {"action": "refuse", "reason": ""}
    )

    assert response.status_code == 400
    assert "the business is shown it" in response.content.decode()
    erasure.refresh_from_db()
    assert erasure.status == "waiting"


def test_another_organisers_admin_gets_404(client, world):
    erasure = world.ask()
    client.force_login(world.other_admin)
    other_organiser = world.other_organiser.pk

    own_list = client.get(en("team:erasure_list", pk=other_organiser))
    foreign_list = client.get(en("team:erasure_list", pk=world.fair.organiser_id))
    through_own = client.post(
        en("team:erasure_decide", pk=other_organiser, request_pk=erasure.pk), {"action": "carry_out"}
    )

    assert "Nguyễn Văn An" not in own_list.content.decode()
    assert (foreign_list.status_code, through_own.status_code) == (404, 404)
    assert ErasureRequest.objects.get().status == "waiting"


def test_a_reviewer_may_not_carry_out_erasure(client, world):
    erasure = world.ask()
    client.force_login(factories.StaffUserFactory(organiser=world.fair.organiser, role="reviewer"))

    response = client.post(
        en("team:erasure_decide", pk=world.fair.organiser_id, request_pk=erasure.pk), {"action": "carry_out"}
    )

    assert response.status_code == 403
    assert ErasureRequest.objects.get().status == "waiting"


def test_merge_is_refused_while_an_erasure_request_waits(world):
    from vendors.services import registry

    world.ask()
    duplicate = factories.VendorFactory(name="Hộ kinh doanh Nguyễn Văn An (trùng)")

    with pytest.raises(ValidationError) as refused:
        registry.vendors_merge(keep=world.household, duplicate=duplicate, by=world.admin)

    assert refused.value.code == "erasure"
    assert Vendor.objects.filter(pk=duplicate.pk).exists()


def test_superuser_carries_out_the_request_of_a_business_that_never_applied(
    client, world, django_capture_on_commit_callbacks
):
    """No organiser's page lists a business that applied nowhere: the installation's administrators
    decide its request in the admin, after a page saying what goes."""
    loner = factories.VendorFactory(name="Hộ kinh doanh Lê Thị Bình", kind=Vendor.Kind.HKD, tax_code="031190001234")
    owner = member_of(loner, email="binh@ho.vn")
    erasure = services.erasure_request_create(vendor=loner, by=owner, reason="")
    superuser = factories.StaffUserFactory(is_superuser=True, role=None)
    changelist = en("admin:vendors_erasurerequest_changelist")
    chosen = {"action": "carry_out", "_selected_action": [erasure.pk]}

    client.force_login(world.admin)  # an organiser's administrator: not the installation's page
    assert client.get(changelist).status_code == 403
    assert client.post(changelist, {**chosen, "confirmed": "yes"}).status_code == 403

    client.force_login(superuser)
    asked = client.post(changelist, chosen)
    assert asked.status_code == 200 and "Hộ kinh doanh Lê Thị Bình" in asked.content.decode()
    assert Vendor.objects.get(pk=loner.pk).erased_at is None  # asked first, nothing erased yet
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(changelist, {**chosen, "confirmed": "yes"})

    assert done.status_code == 302
    loner.refresh_from_db()
    owner.refresh_from_db()
    assert loner.erased_at is not None and loner.phone == "" and not owner.is_active
    assert ErasureRequest.objects.get(pk=erasure.pk).status == ErasureRequest.Status.DONE
    log = AccessLog.objects.get(kind=AccessLog.Kind.ERASURE)
    assert (log.organiser_id, log.changed_by) == (None, superuser)
