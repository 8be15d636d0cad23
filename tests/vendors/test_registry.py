"""The shared business registry (issue 16, item 3): a change of legal identity after applying waits
for the installation's approval; two records of the same business merge into one, with every row
that pointed to the duplicate; the old code still finds the business; documents are never shared
between applications."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from events.models import DocumentType
from tests import factories
from tests.vendors._profile_support import en, media_root, member_of, stored_files  # noqa: F401
from vendors.importing import read_table, run_import, validate_table
from vendors.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    CheckIn,
    CheckInChange,
    IdentityChangeRequest,
    Payment,
    Product,
    Vendor,
    VendorFormerCode,
    VendorInvitation,
    VendorMember,
    VendorMerge,
)
from vendors.selectors.registry import vendor_by_code
from vendors.services import registry

A = Application.Status
ICR = IdentityChangeRequest.Status
OLD_CODE = "0100109106"  # a household's 10-digit code before 1 July 2025
PERSONAL_ID = "031185012345"  # its representative's 12-digit personal ID
OTHER_CODE = "0300588569"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _profile_data(vendor, **overrides):
    data = {
        "name": vendor.name,
        "short_name": vendor.short_name,
        "kind": vendor.kind,
        "tax_code": vendor.tax_code,
        "province": vendor.province_id,
        "address": "Số 5, đường Lạch Tray",
        "representative": "Trần Văn Nam",
        "contact_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "email": "lienhe@example.vn",
        "website": "",
        "description": "Nước mắm Cát Hải.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def household(db):
    return factories.VendorFactory(name="Hộ kinh doanh Nước mắm Cát Hải", kind="HKD", tax_code=OLD_CODE)


@pytest.fixture
def owner(household):
    return member_of(household)


# --- legal identity -------------------------------------------------------------------------


def test_identity_change_after_applying_is_held_and_other_fields_saved(client, household, owner):
    factories.ApplicationFactory(vendor=household, status=A.SUBMITTED)
    client.force_login(owner)

    response = client.post(
        en("vendors:profile_edit"),
        _profile_data(household, tax_code=PERSONAL_ID, name="Hộ kinh doanh Trần Văn Nam", address="Số 9, Cát Bà"),
    )

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.tax_code, household.name, household.address) == (
        OLD_CODE,
        "Hộ kinh doanh Nước mắm Cát Hải",
        "Số 9, Cát Bà",
    )
    request = IdentityChangeRequest.objects.get()
    assert (request.status, request.old_tax_code, request.new_tax_code, request.new_name, request.requested_by) == (
        ICR.PENDING,
        OLD_CODE,
        PERSONAL_ID,
        "Hộ kinh doanh Trần Văn Nam",
        owner,
    )
    page = client.get(response.url)
    assertContains(page, "Change of legal identity waiting for approval")
    assertContains(page, PERSONAL_ID)
    assertContains(page, "the change waits for the approval of the installation")


def test_identity_change_asked_again_updates_the_one_pending_request(client, household, owner):
    factories.ApplicationFactory(vendor=household, status=A.APPROVED)
    client.force_login(owner)
    client.post(en("vendors:profile_edit"), _profile_data(household, name="Tên thứ nhất"))

    client.post(en("vendors:profile_edit"), _profile_data(household, tax_code=PERSONAL_ID))

    request = IdentityChangeRequest.objects.get()
    assert (request.status, request.new_name, request.new_tax_code) == (
        ICR.PENDING,
        "Hộ kinh doanh Nước mắm Cát Hải",
        PERSONAL_ID,
    )


def test_identity_change_before_any_application_applies_directly(client, household, owner):
    factories.ApplicationFactory(vendor=household, status=A.DRAFT)  # a draft never sent
    client.force_login(owner)

    response = client.post(en("vendors:profile_edit"), _profile_data(household, tax_code=PERSONAL_ID))

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.tax_code == PERSONAL_ID
    assert not IdentityChangeRequest.objects.exists()
    assertNotContains(client.get(response.url), "waiting for approval")


def test_profile_edit_without_identity_change_stores_no_request(client, household, owner):
    factories.ApplicationFactory(vendor=household, status=A.SUBMITTED)
    client.force_login(owner)

    client.post(en("vendors:profile_edit"), _profile_data(household, address="Số 1, Cát Hải"))

    household.refresh_from_db()
    assert household.address == "Số 1, Cát Hải"
    assert not IdentityChangeRequest.objects.exists()


def _pending(vendor, by=None, **new):
    values = {"new_name": vendor.name, "new_kind": vendor.kind, "new_tax_code": vendor.tax_code, **new}
    return IdentityChangeRequest.objects.create(
        vendor=vendor,
        old_name=vendor.name,
        old_kind=vendor.kind,
        old_tax_code=vendor.tax_code,
        requested_by=by,
        **values,
    )


def test_identity_change_approved_applies_and_keeps_the_old_code_as_former(household, organiser_user):
    request = _pending(household, new_tax_code=PERSONAL_ID, new_name="Hộ kinh doanh Trần Văn Nam")

    registry.identity_change_approve(request_pk=request.pk, by=organiser_user)

    household.refresh_from_db()
    request.refresh_from_db()
    assert (household.tax_code, household.name) == (PERSONAL_ID, "Hộ kinh doanh Trần Văn Nam")
    assert (request.status, request.decided_by) == (ICR.APPROVED, organiser_user)
    assert request.decided_at is not None
    assert list(household.former_codes.values_list("tax_code", flat=True)) == [OLD_CODE]
    assert vendor_by_code(OLD_CODE) == household
    assert vendor_by_code(PERSONAL_ID) == household  # found by its new code
    # The search text was rebuilt with the new name, and a household's personal ID stays out of it.
    assert "tran van nam" in household.search_text and PERSONAL_ID not in household.search_text


def test_identity_change_approval_rechecks_the_tax_code_and_changes_nothing(household, organiser_user):
    request = _pending(household, new_tax_code=PERSONAL_ID)
    factories.VendorFactory(kind="HKD", tax_code=PERSONAL_ID)  # registered meanwhile

    with pytest.raises(ValidationError) as caught:
        registry.identity_change_approve(request_pk=request.pk, by=organiser_user)

    assert "Another business already uses the tax code 031185012345" in caught.value.messages[0]
    household.refresh_from_db()
    request.refresh_from_db()
    assert (household.tax_code, request.status) == (OLD_CODE, ICR.PENDING)
    assert not VendorFormerCode.objects.exists()


def test_identity_change_approval_refuses_a_code_invalid_for_the_kind(household, organiser_user):
    request = _pending(household, new_tax_code=PERSONAL_ID, new_kind=Vendor.Kind.DN)

    with pytest.raises(ValidationError) as caught:
        registry.identity_change_approve(request_pk=request.pk, by=organiser_user)

    assert caught.value.messages == [
        "031185012345 is not a valid tax code for this kind of business: reject the change."
    ]
    household.refresh_from_db()
    assert (household.tax_code, household.kind) == (OLD_CODE, "HKD")


def test_identity_change_rejected_leaves_the_business_unchanged_and_shows_the_reason(
    client, household, owner, organiser_user
):
    request = _pending(household, new_tax_code=PERSONAL_ID)

    registry.identity_change_reject(request_pk=request.pk, by=organiser_user, reason="CCCD không khớp tên chủ hộ.")

    household.refresh_from_db()
    assert household.tax_code == OLD_CODE
    assert IdentityChangeRequest.objects.get().status == ICR.REJECTED
    client.force_login(owner)
    page = client.get(en("vendors:profile_edit"))
    assertContains(page, "Change of legal identity rejected")
    assertContains(page, "CCCD không khớp tên chủ hộ.")


def test_identity_change_decided_once(household, organiser_user):
    request = _pending(household, new_tax_code=PERSONAL_ID)
    registry.identity_change_reject(request_pk=request.pk, by=organiser_user, reason="Sai.")

    with pytest.raises(ValidationError):
        registry.identity_change_approve(request_pk=request.pk, by=organiser_user)

    household.refresh_from_db()
    assert household.tax_code == OLD_CODE


# --- merge ----------------------------------------------------------------------------------


def _document(application, document_type, content=b"%PDF-1.4 giay phep"):
    document = ApplicationDocument(
        application=application,
        document_type=document_type,
        original_name="giay-phep.pdf",
        content_type="application/pdf",
        size=len(content),
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def duplicate_world(db, media_root, organiser_user):  # noqa: F811
    """The household under its old code (with two fairs' history) and its new record (personal ID)."""
    old = factories.VendorFactory(name="Hộ kinh doanh Nước mắm Cát Hải", kind="HKD", tax_code=OLD_CODE)
    new = factories.VendorFactory(name="Hộ kinh doanh Trần Văn Nam", kind="HKD", tax_code=PERSONAL_ID)
    category = factories.CategoryFactory(name="Gia vị", slug="gia-vi")
    old.categories.add(category)
    past = factories.ApplicationFactory(
        vendor=old, status=A.SUBMITTED, event=factories.EventFactory(name="Hội chợ 2024")
    )
    ApplicationStatusChange.objects.create(application=past, from_status=A.SUBMITTED, to_status=A.APPROVED)
    Application.objects.filter(pk=past.pk).update(status=A.APPROVED)
    registration = DocumentType.objects.create(name="Giấy đăng ký hộ kinh doanh", slug="dkhkd")
    document = _document(past, registration)
    Payment.objects.create(application=past, amount=2_500_000, paid_on=dt.date(2024, 5, 2), reference="FT24")
    checkin = CheckIn.objects.create(application=past, arrived_at=timezone.now())
    CheckInChange.objects.create(checkin=checkin, action=CheckInChange.Action.ARRIVE)
    product = factories.ProductFactory(vendor=old, name="Nước mắm Cát Hải 40 độ đạm")
    old_owner = member_of(old)
    VendorInvitation.objects.create(vendor=old, email="con@example.vn", token="t" * 64, invited_by=old_owner)
    VendorFormerCode.objects.create(vendor=old, tax_code="0300588569-001")
    new_owner = member_of(new)
    current = factories.ApplicationFactory(
        vendor=new, status=A.SUBMITTED, event=factories.EventFactory(name="Tuần hàng 2025")
    )
    return {
        "old": old,
        "new": new,
        "past": past,
        "current": current,
        "document": document,
        "product": product,
        "old_owner": old_owner,
        "new_owner": new_owner,
        "category": category,
        "by": organiser_user,
    }


def test_merge_moves_every_related_row_and_keeps_the_history(duplicate_world, media_root):  # noqa: F811
    w = duplicate_world
    old_pk = w["old"].pk
    files_before = stored_files(media_root)

    log = registry.vendors_merge(keep=w["new"], duplicate=w["old"], by=w["by"])

    new = w["new"]
    assert not Vendor.objects.filter(pk=old_pk).exists()
    assert set(Application.objects.filter(vendor=new).values_list("pk", flat=True)) == {w["past"].pk, w["current"].pk}
    # What hangs on the application travelled with it: decisions, documents, payments, check-ins.
    assert ApplicationStatusChange.objects.filter(application=w["past"]).count() == 1
    assert ApplicationDocument.objects.get(application=w["past"]).pk == w["document"].pk
    assert Payment.objects.get(application__vendor=new).amount == 2_500_000
    assert CheckInChange.objects.filter(checkin__application=w["past"]).count() == 1
    assert Product.objects.get(pk=w["product"].pk).vendor == new
    assert set(VendorMember.objects.filter(vendor=new).values_list("user", flat=True)) == {
        w["old_owner"].pk,
        w["new_owner"].pk,
    }
    assert VendorInvitation.objects.get().vendor == new
    assert list(new.categories.all()) == [w["category"]]
    assert set(new.former_codes.values_list("tax_code", flat=True)) == {OLD_CODE, "0300588569-001"}
    assert (log.kept, log.kept_tax_code, log.merged_tax_code, log.merged_vendor_id, log.merged_by) == (
        new,
        PERSONAL_ID,
        OLD_CODE,
        old_pk,
        w["by"],
    )
    assert log.moved["vendors.Application"] == 1
    assert log.moved["vendors.Product"] == 1
    assert log.moved["vendors.VendorMember"] == 1
    assert stored_files(media_root) == files_before  # the document's file is still there


def test_merge_old_code_finds_the_kept_business(duplicate_world, client):
    w = duplicate_world
    registry.vendors_merge(keep=w["new"], duplicate=w["old"], by=w["by"])

    assert vendor_by_code(OLD_CODE) == w["new"]
    # Registering the old code again is refused: the business exists (ask its owner for an invitation).
    client.force_login(factories.UserFactory())
    response = client.post(
        en("vendors:profile_create"),
        {**_profile_data(w["new"], tax_code=OLD_CODE, name="Hộ mới"), "personal_data_consent": "on"},
    )
    assert "A business with this tax code is already registered" in response.context["form"].errors["tax_code"][0]
    assert Vendor.objects.count() == 1


def test_import_by_the_old_code_updates_the_kept_business(duplicate_world, tmp_path):
    w = duplicate_world
    registry.vendors_merge(keep=w["new"], duplicate=w["old"], by=w["by"])
    path = tmp_path / "ds.csv"
    path.write_text(
        "name,kind,tax_code,province,phone\nHộ kinh doanh Trần Văn Nam,HKD,0100109106,Hải Phòng,0912 345 678\n",
        encoding="utf-8",
    )

    plan = validate_table(read_table(path, path.name))
    outcome = run_import(plan)

    assert (plan.errors, outcome.created, outcome.updated) == ([], 0, 1)
    w["new"].refresh_from_db()
    assert (Vendor.objects.count(), w["new"].tax_code, w["new"].phone) == (1, PERSONAL_ID, "+84912345678")


def test_merge_refused_when_both_applied_to_the_same_fair_writes_nothing(duplicate_world):
    w = duplicate_world
    factories.ApplicationFactory(vendor=w["new"], event=w["past"].event)
    before = {model: model.objects.count() for model in (Vendor, Application, VendorFormerCode, VendorMerge)}

    with pytest.raises(ValidationError) as caught:
        registry.vendors_merge(keep=w["new"], duplicate=w["old"], by=w["by"])

    assert caught.value.messages == [
        "Both records have an application to “Hội chợ 2024”: withdraw or delete one of them in each fair "
        "before merging."
    ]
    assert {model: model.objects.count() for model in before} == before
    assert Application.objects.filter(vendor=w["old"]).count() == 1
    assert Product.objects.get(pk=w["product"].pk).vendor == w["old"]


def test_merge_closes_the_duplicates_pending_identity_change(duplicate_world):
    w = duplicate_world
    _pending(w["old"], new_name="Tên khác")
    _pending(w["new"], new_name="Tên khác nữa")

    registry.vendors_merge(keep=w["new"], duplicate=w["old"], by=w["by"])

    statuses = sorted(IdentityChangeRequest.objects.filter(vendor=w["new"]).values_list("status", flat=True))
    assert statuses == [ICR.PENDING, ICR.REJECTED]


def test_merge_handles_every_relation_to_vendor():
    """A model that points to Vendor is moved by the merge; one whose move could break a unique
    constraint needs a rule in BEFORE_MOVE. A new relation shows up here to be reviewed."""
    labels = {label for label, *_ in registry.vendor_relations()}

    assert labels == {
        "vendors.Application",
        "vendors.ErasureRequest",
        "vendors.IdentityChangeRequest",
        "vendors.Product",
        "vendors.VendorFormerCode",
        "vendors.VendorInvitation",
        "vendors.VendorMember",
        "vendors.VendorMerge",
    }
    assert registry.relations_needing_a_rule() <= set(registry.BEFORE_MOVE)


def test_merge_log_counts_every_relation(duplicate_world):
    w = duplicate_world

    log = registry.vendors_merge(keep=w["new"], duplicate=w["old"], by=w["by"])

    assert set(log.moved) == {label for label, *_ in registry.vendor_relations()}


def test_merge_of_a_record_with_itself_is_refused(household, organiser_user):
    with pytest.raises(ValidationError):
        registry.vendors_merge(keep=household, duplicate=household, by=organiser_user)
    assert Vendor.objects.filter(pk=household.pk).exists()


# --- documents belong to their application --------------------------------------------------


@pytest.fixture
def two_fairs(household, media_root):  # noqa: F811
    """The household's application to last year's fair with its registration paper, and a draft to this year's."""
    registration = DocumentType.objects.create(name="Giấy đăng ký hộ kinh doanh", slug="dkhkd")
    last_year = factories.EventFactory(name="Hội chợ 2024")
    this_year = factories.EventFactory(name="Tuần hàng 2025")
    for fair in (last_year, this_year):
        fair.required_documents.set([registration])
    sent = _document(factories.ApplicationFactory(vendor=household, event=last_year, status=A.APPROVED), registration)
    draft = factories.ApplicationFactory(vendor=household, event=this_year, status=A.DRAFT)
    return {"registration": registration, "sent": sent, "draft": draft}


def test_document_copy_makes_a_new_row_and_a_new_file(two_fairs):
    sent, draft = two_fairs["sent"], two_fairs["draft"]

    copied = registry.application_document_copy(document=sent, application=draft)

    assert (copied.application, copied.document_type) == (draft, two_fairs["registration"])
    assert copied.pk != sent.pk
    assert copied.file.name != sent.file.name
    assert copied.file.read() == b"%PDF-1.4 giay phep"
    # Deleting the copy's file leaves the original untouched: no row and no stored file is shared.
    copied.file.delete(save=False)
    sent.refresh_from_db()
    assert sent.file.read() == b"%PDF-1.4 giay phep"
    assert ApplicationDocument.objects.filter(file=sent.file.name).count() == 1


def test_upload_page_offers_the_document_sent_before_and_copies_it(client, household, owner, two_fairs):
    sent, draft = two_fairs["sent"], two_fairs["draft"]
    client.force_login(owner)
    url = en("vendors:document_upload", pk=draft.pk, document_type_id=two_fairs["registration"].pk)

    page = client.get(url)
    response = client.post(url, {"reuse": str(sent.pk)})

    assertContains(page, "Reuse the document you sent for “Hội chợ 2024” on")
    assert response.status_code == 302
    copied = ApplicationDocument.objects.get(application=draft)
    assert (copied.pk != sent.pk, copied.file.name != sent.file.name, copied.uploaded_by) == (True, True, owner)
    assert ApplicationDocument.objects.get(pk=sent.pk).application == sent.application


def test_upload_page_refuses_to_copy_another_business_document(client, household, owner, two_fairs):
    theirs = _document(
        factories.ApplicationFactory(event=two_fairs["sent"].application.event), two_fairs["registration"]
    )
    client.force_login(owner)
    draft = two_fairs["draft"]
    url = en("vendors:document_upload", pk=draft.pk, document_type_id=two_fairs["registration"].pk)

    response = client.post(url, {"reuse": str(theirs.pk)})

    assert response.status_code == 404
    assert not ApplicationDocument.objects.filter(application=draft).exists()
    with pytest.raises(ValidationError):
        registry.application_document_copy(document=theirs, application=draft)
    assert not ApplicationDocument.objects.filter(application=draft).exists()


def test_document_copy_refused_when_the_application_can_no_longer_change(two_fairs):
    draft = two_fairs["draft"]
    Application.objects.filter(pk=draft.pk).update(status=A.APPROVED)

    with pytest.raises(ValidationError):
        registry.application_document_copy(document=two_fairs["sent"], application=draft)

    assert not ApplicationDocument.objects.filter(application=draft).exists()
