"""A business with an account applies to the next fair in one screen (issue 18): the documents it
sent with its latest application are offered on the new-application page as ticked "reuse" boxes,
copied into the new application in the transaction that creates it (the page's post and the
autosave's first save alike), and seen by staff as ordinary documents. Identity documents, papers
filled in for each fair, files older than settings.DOCUMENT_REUSE_MONTHS and other businesses'
documents are never offered."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from events.models import DocumentType
from tests import factories
from tests.vendors._applying_support import Fair, en, pdf_upload, use_media_root
from vendors.models import Application, ApplicationDocument
from vendors.services.applying import application_save_draft

A = Application.Status


def _document(application, document_type, *, name="giay-phep.pdf", content=b"%PDF-1.4 giay phep", days_ago=30):
    document = ApplicationDocument(
        application=application,
        document_type=document_type,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
    )
    document.file.save("document.pdf", ContentFile(content), save=False)
    document.save()
    sent_at = timezone.now() - dt.timedelta(days=days_ago)
    ApplicationDocument.objects.filter(pk=document.pk).update(uploaded_at=sent_at)
    document.uploaded_at = sent_at
    return document


class Returning(Fair):
    """Fair B (this one) open; the business applied to fair A last spring with its papers."""

    def __init__(self):
        super().__init__()
        self.fair_a = factories.EventFactory(name="Hội chợ Công Thương 2025", slug="hoi-cho-2025")
        self.fair_a.required_documents.set([self.registration, self.food_safety])
        self.earlier = factories.ApplicationFactory(vendor=self.vendor, event=self.fair_a, status=A.APPROVED)
        self.sent_registration = _document(self.earlier, self.registration, name="dkkd-cat-hai.pdf", days_ago=40)
        self.sent_food_safety = _document(self.earlier, self.food_safety, name="attp-cat-hai.pdf", days_ago=40)

    def submit_data(self, **overrides):
        """What the one screen posts when nothing is typed: the prefilled form, the terms ticked."""
        data = self.form_data(action="submit", accept_terms="on")
        data.update(
            {
                f"reuse_{self.registration.pk}": "on",
                f"reuse_{self.food_safety.pk}": "on",
                "reuse_offered": f"{self.sent_registration.pk},{self.sent_food_safety.pk}",
            }
        )
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def returning(db, settings, tmp_path):
    use_media_root(settings, tmp_path)
    return Returning()


def _new(client, returning):
    client.force_login(returning.user)
    return client.get(en("vendors:application_create", slug=returning.event.slug))


def test_the_new_application_page_offers_each_document_sent_before_as_a_ticked_box(client, returning):
    page = _new(client, returning).content.decode()

    sent_on = timezone.localtime(returning.sent_registration.uploaded_at).strftime("%d/%m/%Y")
    box = f'name="reuse_{returning.registration.pk}"'
    assert f"Reuse the file sent on {sent_on} (dkkd-cat-hai.pdf)" in page
    assert "(attp-cat-hai.pdf)" in page
    assert box in page
    tag = page[page.rindex("<input", 0, page.index(box)) : page.index(">", page.index(box))]
    assert "checked" in tag


def test_the_vietnamese_page_says_reuse_in_vietnamese(client, returning):
    client.force_login(returning.user)
    with translation.override("vi"):
        url = reverse("vendors:application_create", kwargs={"slug": returning.event.slug})

    page = client.get(url).content.decode()

    assert "Dùng lại tệp đã nộp ngày" in page


def test_submitting_the_one_screen_sends_the_application_with_copies_of_the_documents(client, returning):
    _new(client, returning)

    response = client.post(en("vendors:application_create", slug=returning.event.slug), returning.submit_data())

    assert response.status_code == 302
    assert response.url == en("vendors:dashboard")
    application = Application.objects.get(vendor=returning.vendor, event=returning.event)
    assert application.status == A.SUBMITTED
    copies = {d.document_type_id: d for d in application.documents.all()}
    assert set(copies) == {returning.registration.pk, returning.food_safety.pk}
    copy = copies[returning.registration.pk]
    assert (copy.original_name, copy.copied_from, copy.uploaded_by) == (
        "dkkd-cat-hai.pdf",
        returning.sent_registration,
        returning.user,
    )
    assert copy.file.name != returning.sent_registration.file.name
    assert copy.file.read() == b"%PDF-1.4 giay phep"
    # The copy keeps the date the paper was sent: the reuse window counts from it.
    assert copy.uploaded_at == returning.sent_registration.uploaded_at
    assert returning.earlier.documents.count() == 2  # the originals stay with fair A's application


def test_staff_see_the_reused_document_as_an_ordinary_document(client, returning):
    _new(client, returning)
    client.post(en("vendors:application_create", slug=returning.event.slug), returning.submit_data())
    application = Application.objects.get(vendor=returning.vendor, event=returning.event)
    copy = application.documents.get(document_type=returning.registration)
    staff = factories.StaffUserFactory(organiser=returning.event.organiser)

    client.force_login(staff)
    page = client.get(en("vendors:review_detail", pk=application.pk)).content.decode()

    assert "dkkd-cat-hai.pdf" in page
    assert en("vendors:file", kind="document", pk=copy.pk) in page


def test_an_unticked_box_means_a_new_file_is_needed(client, returning):
    _new(client, returning)
    data = returning.submit_data(**{f"reuse_{returning.food_safety.pk}": None})

    response = client.post(en("vendors:application_create", slug=returning.event.slug), data)

    application = Application.objects.get(vendor=returning.vendor, event=returning.event)
    assert application.status == A.DRAFT  # kept as a draft: the food-safety paper is missing
    assert response.status_code == 302
    assert list(application.documents.values_list("document_type_id", flat=True)) == [returning.registration.pk]


def test_a_new_file_chosen_beside_a_ticked_box_wins(client, returning):
    _new(client, returning)
    data = returning.submit_data(**{f"document_{returning.registration.pk}": pdf_upload("dkkd-moi.pdf")})

    client.post(en("vendors:application_create", slug=returning.event.slug), data)

    application = Application.objects.get(vendor=returning.vendor, event=returning.event)
    new = application.documents.get(document_type=returning.registration)
    assert (new.original_name, new.copied_from) == ("dkkd-moi.pdf", None)
    assert application.documents.get(document_type=returning.food_safety).copied_from == returning.sent_food_safety


def test_the_autosave_first_save_copies_and_an_unticked_box_takes_the_copy_back(
    client, returning, django_capture_on_commit_callbacks
):
    _new(client, returning)
    first = client.post(
        en("vendors:application_autosave_new", slug=returning.event.slug), returning.submit_data(action=None)
    )
    draft = Application.objects.get(vendor=returning.vendor, event=returning.event)
    assert draft.documents.count() == 2
    copy_name = draft.documents.get(document_type=returning.food_safety).file.name

    # The business unticks the food-safety box: it will photograph a new certificate.
    data = returning.submit_data(action=None, **{f"reuse_{returning.food_safety.pk}": None})
    with django_capture_on_commit_callbacks(execute=True):
        later = client.post(first.json()["save_url"], data)

    assert later.status_code == 200
    assert list(draft.documents.values_list("document_type_id", flat=True)) == [returning.registration.pk]
    storage = ApplicationDocument._meta.get_field("file").storage
    assert not storage.exists(copy_name)
    # Ticked again: copied again.
    client.post(first.json()["save_url"], returning.submit_data(action=None))
    assert draft.documents.count() == 2


def test_an_unticked_box_leaves_a_file_uploaded_since(client, returning):
    _new(client, returning)
    first = client.post(
        en("vendors:application_autosave_new", slug=returning.event.slug), returning.submit_data(action=None)
    )
    pk = returning.food_safety.pk
    upload = client.post(
        first.json()["save_url"], returning.submit_data(action=None, **{f"document_{pk}": pdf_upload("moi.pdf")})
    )
    assert upload.json()["documents"] == {str(pk): "moi.pdf"}

    client.post(first.json()["save_url"], returning.submit_data(action=None, **{f"reuse_{pk}": None}))

    draft = Application.objects.get(vendor=returning.vendor, event=returning.event)
    assert draft.documents.get(document_type_id=pk).original_name == "moi.pdf"


def test_the_most_recent_application_s_document_is_offered(client, returning):
    newer_fair = factories.EventFactory(name="Hội chợ mùa thu 2025")
    newer = factories.ApplicationFactory(vendor=returning.vendor, event=newer_fair, status=A.SUBMITTED)
    # Sent with the more recent application, though the file itself is a little older.
    _document(newer, returning.registration, name="dkkd-ban-moi-nhat.pdf", days_ago=50)

    page = _new(client, returning).content.decode()

    assert "(dkkd-ban-moi-nhat.pdf)" in page
    assert "(dkkd-cat-hai.pdf)" not in page


def test_what_is_never_offered(client, returning, settings):
    """Identity documents, papers filled in for each fair, files past the window, other businesses'."""
    id_card = DocumentType.objects.create(name="CCCD của chủ hộ", slug="cccd", personal=True)
    form = DocumentType.objects.create(name="Phiếu đăng ký tham gia", slug="phieu", reusable=False)
    old_type = DocumentType.objects.create(name="Bản tự công bố sản phẩm", slug="tu-cong-bo")
    for fair in (returning.event, returning.fair_a):
        fair.required_documents.add(id_card, form, old_type)
    _document(returning.earlier, id_card, name="cccd.jpg")
    _document(returning.earlier, form, name="phieu-2025.pdf")
    settings.DOCUMENT_REUSE_MONTHS = 12
    _document(returning.earlier, old_type, name="tu-cong-bo-cu.pdf", days_ago=400)
    stranger = factories.ApplicationFactory(event=returning.fair_a)
    theirs = _document(stranger, returning.registration, name="cua-nguoi-khac.pdf", days_ago=1)

    page = _new(client, returning).content.decode()

    for name in ("cccd.jpg", "phieu-2025.pdf", "tu-cong-bo-cu.pdf", "cua-nguoi-khac.pdf"):
        assert name not in page
    assert f'name="reuse_{id_card.pk}"' not in page
    # Posting another business's document id as if it had been offered copies nothing.
    data = returning.submit_data(reuse_offered=str(theirs.pk), action="draft")
    client.post(en("vendors:application_create", slug=returning.event.slug), data)
    application = Application.objects.get(vendor=returning.vendor, event=returning.event)
    assert not application.documents.filter(copied_from=theirs).exists()


def test_the_service_refuses_another_business_s_document_and_writes_nothing(returning):
    stranger = factories.ApplicationFactory(event=returning.fair_a)
    theirs = _document(stranger, returning.registration)

    with pytest.raises(ValidationError):
        application_save_draft(vendor=returning.vendor, event=returning.event, booths_requested=1, reuse=[theirs])

    assert not Application.objects.filter(vendor=returning.vendor, event=returning.event).exists()


def test_a_business_applying_for_the_first_time_sees_no_box(client, db, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()
    client.force_login(fair.user)

    page = client.get(en("vendors:application_create", slug=fair.event.slug)).content.decode()

    assert 'name="reuse_' not in page
    assert "Reuse the file sent on" not in page
