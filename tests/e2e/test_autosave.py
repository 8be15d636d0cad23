"""The application's draft is kept on the server as the user goes (issue 18), in Chromium on a
390×844 screen: a business types a note and photographs its paper on the new-application page,
sees "Đã lưu nháp", and a fresh page (the tab closed, the connection dropped) finds both; a change
made offline is saved when the browser is back online; and the draft is then submitted."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from events.models import DocumentType
from tests import factories
from tests.e2e.test_household_phone import _phone_photo
from vendors.models import Application, ApplicationDocument, VendorMember


def _logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _household_and_fair():
    """A fair asking for a household's licence, and a household business with its owner's login."""
    fair = factories.EventFactory(name="Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên", slug="vsip-thuy-nguyen")
    licence = DocumentType.objects.create(name="Giấy chứng nhận đăng ký hộ kinh doanh", slug="gcn-hkd")
    fair.required_documents.set([licence])
    factories.BoothTypeFactory(event=fair, code="std", name="Gian tiêu chuẩn")
    vendor = factories.VendorFactory(name="Hộ kinh doanh Nguyễn Thị Hoa")
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=user, role=VendorMember.Role.OWNER)
    return fair, licence, vendor, user


@pytest.mark.django_db(transaction=True)
def test_the_draft_and_its_photo_survive_a_closed_tab_and_a_dropped_connection(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    fair, licence, vendor, user = _household_and_fair()
    _logged_in(page, live_server, user)

    page.goto(reverse("vendors:application_create", kwargs={"slug": fair.slug}))
    page.fill("#id_note", "Xin gian gần cổng số 2")
    page.set_input_files(f"input[name=document_{licence.pk}]", str(_phone_photo(tmp_path / "IMG_2041.jpg")))
    page.wait_for_selector("[data-autosaved] >> text=IMG_2041.jpg")
    page.wait_for_selector("#autosave-status >> text=Đã lưu nháp lúc")
    application = Application.objects.get(vendor=vendor, event=fair)
    edit_url = reverse("vendors:application_edit", kwargs={"pk": application.pk})
    assert page.url.endswith(edit_url)  # a reload shows the draft

    # A change made without a connection waits, then goes when the browser is back online.
    page.context.set_offline(True)
    page.fill("#id_note", "Xin gian gần cổng số 3")
    page.wait_for_selector("#autosave-status >> text=Chưa lưu được — sẽ thử lại khi có mạng")
    page.context.set_offline(False)
    page.wait_for_selector("#autosave-status >> text=Đã lưu nháp lúc")

    # The tab closed; the fair's apply link opened again on another page: everything is there.
    page.close()
    fresh = page.context.new_page()
    fresh.goto(reverse("vendors:application_create", kwargs={"slug": fair.slug}))
    fresh.wait_for_url(re.compile(rf".*{re.escape(edit_url)}$"))
    assert fresh.input_value("#id_note") == "Xin gian gần cổng số 3"
    assert "IMG_2041.jpg" in fresh.inner_text(f"li[data-document-type='{licence.pk}']")
    assert ApplicationDocument.objects.get(application=application).original_name == "IMG_2041.jpg"

    fresh.check("#id_accept_terms")
    fresh.click("#application-form button[value=submit]")
    fresh.wait_for_url(f"**{reverse('vendors:dashboard')}")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.note == "Xin gian gần cổng số 3"


@pytest.mark.parametrize("pressed", ["while the save is on its way", "after the save"])
@pytest.mark.django_db(transaction=True)
def test_upload_pressed_after_the_photo_was_autosaved_shows_it_once(
    page, live_server, tmp_path, settings, monkeypatch, pressed
):
    """On the draft's page each document has its own upload form, and the photo chosen there is saved
    at once by the autosave. The user then presses "upload", on a slow connection while that save is
    still on its way, or after it: either way the page then shows the paper, stored once. (CI saw the
    second: the autosave had emptied the file box, the form posted no file and the page came back
    without the paper.)"""
    import time

    from tuanhang.public.applying import autosave

    settings.MEDIA_ROOT = tmp_path / "media"
    fair, licence, vendor, user = _household_and_fair()
    application = factories.ApplicationFactory(vendor=vendor, event=fair, status=Application.Status.DRAFT)
    _logged_in(page, live_server, user)

    slow = autosave._autosave

    def slow_autosave(request, event, application):
        time.sleep(2)  # a slow uplink: the photo takes two seconds to arrive
        return slow(request, event, application)

    monkeypatch.setattr(autosave, "_autosave", slow_autosave)
    page.goto(reverse("vendors:application_edit", kwargs={"pk": application.pk}))
    item = f"li[data-document-type='{licence.pk}']"
    page.set_input_files(f"{item} input[type=file]", str(_phone_photo(tmp_path / "IMG_2041.jpg")))
    if pressed == "after the save":
        page.wait_for_selector(f"{item} [data-autosaved] >> text=IMG_2041.jpg")
    page.click(f"{item} button[type=submit]")
    page.wait_for_selector(f"{item} [data-field=document-file] >> text=IMG_2041.jpg")
    assert ApplicationDocument.objects.filter(application=application).count() == 1
