"""Consent with a stated purpose (issue 17 item 5, Decree 13/2023): registering a business and
uploading an identity document need the box ticked; the time is recorded; without it nothing is
saved and the box says why, in Vietnamese."""

import pytest
from django.utils import translation

from events.models import DocumentType
from tests import factories
from tests.vendors._applying_support import Fair, pdf_upload, stored_files, use_media_root
from vendors.models import ApplicationDocument, Vendor
from vendors.services.applying import application_save_draft

from .test_profile import _data

REFUSED_VI = "Vui lòng đánh dấu ô đồng ý: không có sự đồng ý của bạn thì không thể lưu."


def _vi(name, **kwargs):
    from django.urls import reverse

    with translation.override("vi"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def new_user_client(client, db):
    client.force_login(factories.UserFactory(email="chu@dongthap.vn"))
    return client


def test_profile_create_states_the_purpose_and_asks_consent(new_user_client):
    page = new_user_client.get(_vi("vendors:profile_create")).content.decode()

    assert 'name="personal_data_consent"' in page
    assert "Tôi đồng ý để ban tổ chức xử lý dữ liệu cá nhân" in page
    assert "Mục đích:" in page


def test_profile_create_without_consent_saves_nothing_and_says_so_at_the_box(new_user_client):
    response = new_user_client.post(_vi("vendors:profile_create"), _data(personal_data_consent=None))

    assert response.status_code == 200
    assert response.context["form"].errors["personal_data_consent"] == [REFUSED_VI]
    assert not Vendor.objects.exists()


def test_profile_create_with_consent_records_the_time(new_user_client):
    new_user_client.post(_vi("vendors:profile_create"), _data())

    assert Vendor.objects.get().personal_data_consent_at is not None


def test_profile_edit_does_not_ask_again(client, db):
    vendor = factories.VendorFactory()
    from ._profile_support import member_of

    client.force_login(member_of(vendor))

    assert 'name="personal_data_consent"' not in client.get(_vi("vendors:profile_edit")).content.decode()


@pytest.fixture
def id_card_fair(db, settings, tmp_path):
    use_media_root(settings, tmp_path)
    fair = Fair()
    fair.id_card = DocumentType.objects.create(name="Căn cước công dân của chủ hộ", slug="cccd", personal=True)
    fair.event.required_documents.add(fair.id_card)
    fair.application = application_save_draft(
        vendor=fair.vendor,
        event=fair.event,
        by=fair.user,
        booths_requested=1,
        booth_type=fair.standard,
        zones=[fair.zone_a],
        categories=[fair.food],
        products=[fair.fish_sauce],
        note="",
        accept_terms=False,
    )
    fair.root = tmp_path
    return fair


def _upload_url(fair, document_type):
    return _vi("vendors:document_upload", pk=fair.application.pk, document_type_id=document_type.pk)


def test_id_card_upload_without_consent_stores_nothing(client, id_card_fair):
    fair = id_card_fair
    client.force_login(fair.user)

    response = client.post(_upload_url(fair, fair.id_card), {"file": pdf_upload("cccd.pdf")})

    assert response.status_code == 200
    assert response.context["form"].errors["consent"] == [REFUSED_VI]
    assert not ApplicationDocument.objects.exists()
    assert [name for name in stored_files(fair.root) if "documents" in name] == []


def test_id_card_upload_with_consent_records_the_time(client, id_card_fair):
    fair = id_card_fair
    client.force_login(fair.user)

    page = client.get(_upload_url(fair, fair.id_card)).content.decode()
    client.post(_upload_url(fair, fair.id_card), {"file": pdf_upload("cccd.pdf"), "consent": "on"})

    assert "Tôi đồng ý để ban tổ chức xử lý dữ liệu cá nhân" in page
    assert ApplicationDocument.objects.get(document_type=fair.id_card).consent_at is not None


def test_other_documents_need_no_consent(client, id_card_fair):
    fair = id_card_fair
    client.force_login(fair.user)

    page = client.get(_upload_url(fair, fair.registration)).content.decode()
    client.post(_upload_url(fair, fair.registration), {"file": pdf_upload("dkkd.pdf")})

    assert 'name="consent"' not in page
    assert ApplicationDocument.objects.get(document_type=fair.registration).consent_at is None
