"""Personal data guarded (issue 17, item 5): a household's tax code is its owner's personal ID
number and an ID-card document (DocumentType.personal) is personal identity data. Only the business
and the organiser's administrators and reviewers (personal.view) read them in full; every other
role sees the number masked and gets 403 for the document. Every staff export and document
download or preview is written to the access log, which the organiser's administrators read."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from events.models import AccessLog, DocumentType
from tests import factories
from tuanhang.kernel.uploads.pdfs import _preview_folder_of, cached_pdf_preview
from tuanhang.kernel.vn import mask_personal_id
from vendors.models import ApplicationDocument, Vendor

from . import _profile_support
from ._profile_support import PDF_BYTES, member_of

media_root = _profile_support.media_root  # a fixture: MEDIA_ROOT in a temporary directory

PERSONAL_ID = "031185001345"  # a household's 12-digit personal ID number
MASKED = "0311•••••345"
REFUSED = "Chỉ quản trị viên và người duyệt hồ sơ của đơn vị tổ chức được mở giấy tờ có dữ liệu định danh cá nhân"


class World:
    """A household that applied to organiser 1's fair with its owner's ID card; staff of each role;
    an administrator of organiser 2."""

    def __init__(self):
        self.fair = factories.EventFactory(slug="hoi-cho-mot")
        self.household = factories.VendorFactory(
            name="Hộ kinh doanh Nguyễn Văn An", kind=Vendor.Kind.HKD, tax_code=PERSONAL_ID
        )
        self.application = factories.ApplicationFactory(vendor=self.household, event=self.fair, status="approved")
        id_card = DocumentType.objects.create(name="Căn cước công dân", slug="cccd", personal=True)
        plain = DocumentType.objects.create(name="Giấy chứng nhận đăng ký", slug="dkkd")
        self.id_card = self._document(id_card, "cccd.pdf")
        self.licence = self._document(plain, "dkkd.pdf")
        self.staff = {role: factories.StaffUserFactory(role=role) for role in ROLES}
        self.superuser = factories.StaffUserFactory(is_superuser=True)
        other = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp Bắc Ninh", short_name="HHDN Bắc Ninh")
        self.other_fair = factories.EventFactory(slug="hoi-cho-hai", organiser=other)
        self.other_admin = factories.StaffUserFactory(organiser=other)
        self.owner = member_of(self.household)

    def _document(self, kind, name):
        document = ApplicationDocument(
            application=self.application,
            document_type=kind,
            original_name=name,
            content_type="application/pdf",
            size=len(PDF_BYTES),
        )
        document.file.save(name, ContentFile(PDF_BYTES), save=False)
        document.save()
        return document


ROLES = ["admin", "reviewer", "accountant", "floor", "viewer", "oversight"]
SEES_PERSONAL = {"admin", "reviewer"}


@pytest.fixture
def world(db, media_root, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def _vi(name, **kwargs):
    with translation.override("vi"):
        return reverse(name, kwargs=kwargs)


def _done(response):
    """Close a file response's file (response.close() would close the test's database connection)."""
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return response


def test_mask_personal_id_keeps_four_and_three():
    assert mask_personal_id(PERSONAL_ID) == MASKED
    assert mask_personal_id("1234") == "••••"
    assert mask_personal_id("") == ""


# --- the ID-card document ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "reviewer"])
def test_id_card_downloads_for_admin_and_reviewer_and_is_logged(client, world, role):
    user = world.staff[role]
    client.force_login(user)
    response = client.get(_vi("vendors:file", kind="document", pk=world.id_card.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    entry = AccessLog.objects.get()
    assert (entry.changed_by, entry.kind, entry.event, entry.organiser, entry.object_id, entry.personal) == (
        user,
        AccessLog.Kind.DOCUMENT,
        world.fair,
        world.fair.organiser,
        str(world.id_card.pk),
        True,
    )
    assert entry.address == "127.0.0.1"


def test_id_card_refused_to_accountant_with_vietnamese_message_and_not_logged(client, world):
    client.force_login(world.staff["accountant"])
    response = client.get(_vi("vendors:file", kind="document", pk=world.id_card.pk))
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert not AccessLog.objects.exists()
    # The same role still opens the household's ordinary documents.
    assert client.get(_vi("vendors:file", kind="document", pk=world.licence.pk)).status_code == 200


@pytest.mark.parametrize("role", ["floor", "viewer", "oversight"])
def test_id_card_refused_to_roles_that_read_no_application(client, world, role):
    client.force_login(world.staff[role])
    assert client.get(_vi("vendors:file", kind="document", pk=world.id_card.pk)).status_code == 403


def test_id_card_preview_refused_to_accountant(client, world):
    client.force_login(world.staff["accountant"])
    response = client.get(_vi("vendors:file_preview", pk=world.id_card.pk, page=1))
    assert response.status_code == 403


def test_id_card_answers_404_to_another_organiser(client, world):
    client.force_login(world.other_admin)
    assert client.get(_vi("vendors:file", kind="document", pk=world.id_card.pk)).status_code == 404


def test_id_card_downloads_for_the_household_itself_without_a_log_row(client, world):
    client.force_login(world.owner)
    response = client.get(_vi("vendors:file", kind="document", pk=world.id_card.pk))
    assert response.status_code == 200
    _done(response)
    assert not AccessLog.objects.exists()


def test_document_download_log_is_one_insert(client, world):
    client.force_login(world.staff["admin"])
    url = _vi("vendors:file", kind="document", pk=world.licence.pk)
    with CaptureQueriesContext(connection) as ctx:
        _done(client.get(url))
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "events_accesslog" in inserts[0]


# --- the review pages: number masked, ID card not linked -----------------------------------------


@pytest.mark.parametrize("role", ["admin", "reviewer", "accountant"])
def test_review_detail_shows_the_personal_id_only_to_personal_view(client, world, role):
    client.force_login(world.staff[role])
    page = client.get(_vi("vendors:review_detail", pk=world.application.pk)).content.decode()
    id_card_url = _vi("vendors:file", kind="document", pk=world.id_card.pk)
    if role in SEES_PERSONAL:
        assert PERSONAL_ID in page and MASKED not in page
        assert id_card_url in page
    else:
        assert PERSONAL_ID not in page and MASKED in page
        assert id_card_url not in page
        assert "dữ liệu định danh cá nhân" in page


@pytest.mark.parametrize("role", ["admin", "accountant"])
def test_review_list_masks_the_personal_id_for_the_accountant(client, world, role):
    client.force_login(world.staff[role])
    page = client.get(_vi("vendors:review_list", slug=world.fair.slug)).content.decode()
    assert (PERSONAL_ID in page) is (role == "admin")
    assert (MASKED in page) is (role != "admin")


# --- exports ----------------------------------------------------------------------------------


def _csv(response) -> str:
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize("role", ["admin", "reviewer", "accountant", "oversight"])
@pytest.mark.parametrize("key", ["participants", "applications"])
def test_export_masks_the_personal_id_for_roles_without_personal_view_and_logs(client, world, role, key):
    user = world.staff[role]
    client.force_login(user)
    response = client.get(_vi("events:export", slug=world.fair.slug, key=key, fmt="csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(_csv(response))))
    cells = {cell for row in rows for cell in row}
    if role in SEES_PERSONAL:
        assert PERSONAL_ID in cells and MASKED not in cells
    else:
        assert PERSONAL_ID not in cells and MASKED in cells
    entry = AccessLog.objects.get()
    assert (entry.changed_by, entry.kind, entry.event, entry.object_id, entry.personal) == (
        user,
        AccessLog.Kind.EXPORT,
        world.fair,
        key,
        role in SEES_PERSONAL,
    )


def test_export_log_is_one_insert(client, world):
    client.force_login(world.staff["admin"])
    url = _vi("events:export", slug=world.fair.slug, key="participants", fmt="csv")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "events_accesslog" in inserts[0]


def test_print_never_shows_the_personal_id_even_to_an_administrator(world):
    from tuanhang.office.printing.selectors import participant_rows

    (row,) = participant_rows(world.fair)
    assert row.tax_code == MASKED
    (row,) = participant_rows(world.fair, personal=True)
    assert row.tax_code == PERSONAL_ID


def test_generated_file_download_is_logged(client, world):
    from events.generated import services

    user = world.staff["accountant"]
    generated = services.generated_file_request(
        event=world.fair, kind="participants", options={"order": "name"}, by=user
    )
    client.force_login(user)
    response = client.get(_vi("events:generated_file_download", pk=generated.pk))
    if response.status_code == 404:  # built by the worker in this set-up: build it here
        from events.generated.building import generated_file_execute

        generated_file_execute(file_id=generated.pk)
        response = client.get(_vi("events:generated_file_download", pk=generated.pk))
    assert response.status_code == 200
    _done(response)
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.changed_by, entry.event, entry.object_id) == (
        AccessLog.Kind.GENERATED,
        user,
        world.fair,
        str(generated.pk),
    )


# --- the admin --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "accountant"])
def test_admin_vendor_list_and_page_mask_the_personal_id_for_the_accountant(client, world, role):
    client.force_login(world.staff[role])
    listing = client.get(reverse("admin:vendors_vendor_changelist")).content.decode()
    page = client.get(reverse("admin:vendors_vendor_change", args=[world.household.pk])).content.decode()
    for html in (listing, page):
        assert (PERSONAL_ID in html) is (role == "admin")
        assert (MASKED in html) is (role == "accountant")


# --- public pages -----------------------------------------------------------------------------


def test_public_directory_search_never_finds_a_household_by_its_personal_id(client, world):
    world.fair.status = "published"
    world.fair.save(update_fields=["status"])
    url = reverse("vendors:exhibitors", kwargs={"slug": world.fair.slug})
    by_name = client.get(url, {"q": "Nguyễn Văn An"})
    by_id = client.get(url, {"q": PERSONAL_ID[:8]})
    assert "Nguyễn Văn An" in by_name.content.decode()
    assert "Nguyễn Văn An" not in by_id.content.decode()
    assert PERSONAL_ID not in by_name.content.decode()


# --- the access log page ----------------------------------------------------------------------


def test_access_log_page_lists_the_organisers_entries_newest_first(client, world):
    admin = world.staff["admin"]
    client.force_login(world.staff["reviewer"])
    _done(client.get(_vi("vendors:file", kind="document", pk=world.licence.pk)))
    client.get(_vi("events:export", slug=world.fair.slug, key="participants", fmt="csv"))
    AccessLog.objects.create(organiser=world.other_fair.organiser, user_name="ai-do", label="khong-duoc-thay")
    client.force_login(admin)
    page = client.get(_vi("team:access_log", pk=world.fair.organiser.pk)).content.decode()
    assert page.index('data-kind="export"') < page.index('data-kind="document"')
    assert "khong-duoc-thay" not in page
    filtered = client.get(_vi("team:access_log", pk=world.fair.organiser.pk), {"kind": "document"}).content.decode()
    assert 'data-kind="document"' in filtered and 'data-kind="export"' not in filtered


def test_access_log_page_of_another_organiser_answers_404(client, world):
    client.force_login(world.other_admin)
    assert client.get(_vi("team:access_log", pk=world.fair.organiser.pk)).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "accountant", "oversight"])
def test_access_log_page_refused_to_roles_that_do_not_manage_the_team(client, world, role):
    client.force_login(world.staff[role])
    assert client.get(_vi("team:access_log", pk=world.fair.organiser.pk)).status_code == 403


def test_access_log_page_keeps_its_query_count_with_more_entries(client, world):
    organiser = world.fair.organiser
    admin = world.staff["admin"]
    client.force_login(admin)
    url = _vi("team:access_log", pk=organiser.pk)
    AccessLog.objects.create(organiser=organiser, event=world.fair, changed_by=admin, user_name="a", kind="export")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    AccessLog.objects.bulk_create(
        AccessLog(organiser=organiser, event=world.fair, changed_by=admin, user_name="a", kind="export")
        for _ in range(30)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


# --- retention --------------------------------------------------------------------------------


def test_retention_job_removes_expired_id_cards_and_their_files_only(world, media_root):
    import datetime as dt

    from django.core.files.storage import default_storage

    from vendors.services.privacy import personal_documents_expire
    from vendors.tasks import expire_personal_documents

    organiser = world.fair.organiser
    organiser.personal_documents_months = 6
    organiser.save(update_fields=["personal_documents_months"])
    id_card_name, licence_name = world.id_card.file.name, world.licence.file.name
    rendered = cached_pdf_preview(world.id_card.file, 1)  # a reviewer looked at it: a page image on disk
    previews = _preview_folder_of(id_card_name)
    assert rendered is None or previews.exists()
    closes = world.fair.closes_at
    # Five months after the fair: kept.
    assert personal_documents_expire(now=closes + dt.timedelta(days=150)) == 0
    assert ApplicationDocument.objects.filter(pk=world.id_card.pk).exists()
    # Past six months: the ID card and its file go, the business's licence stays.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: closes + dt.timedelta(days=200))
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            assert expire_personal_documents() == 1
    assert not ApplicationDocument.objects.filter(pk=world.id_card.pk).exists()
    assert ApplicationDocument.objects.filter(pk=world.licence.pk).exists()
    assert not default_storage.exists(id_card_name) and default_storage.exists(licence_name)
    assert not previews.exists()  # nor a picture of the card left behind
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.event, entry.organiser, entry.label) == (
        AccessLog.Kind.RETENTION,
        world.fair,
        organiser,
        "1",
    )
    # Run again: nothing more.
    assert personal_documents_expire(now=closes + dt.timedelta(days=400)) == 0
    assert AccessLog.objects.count() == 1


def test_organiser_retention_months_are_validated(world):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    organiser = world.fair.organiser
    assert organiser.personal_documents_months == 24
    organiser.personal_documents_months = 0
    with pytest.raises(ValidationError):
        organiser.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        organiser.save(update_fields=["personal_documents_months"])
