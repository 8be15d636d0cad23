"""A long print's page in Chromium: the progress bar follows the worker (static/js/progress.js
polls the JSON endpoint) and the page turns into the download when the file is ready."""

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from events.generated import building
from events.models import GeneratedFile
from tests import factories
from tests.printing.support import make_fair


def test_progress_bar_moves_then_the_download_appears(page, live_server, transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    event, _booths, _apps = make_fair(names=["Đông", "Dương"])
    staff = factories.StaffUserFactory()
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    queued = GeneratedFile.objects.create(
        event=event,
        kind="participants",
        parameters={"order": "name"},
        parameters_key=building.options_key({"order": "name"}),
        fingerprint="0" * 64,
        created_by=staff,
        message="Đang chờ bộ xử lý nền tạo tệp.",
    )
    page.goto(reverse("events:generated_file", args=[queued.pk]))
    bar = page.locator("[data-progress]")
    assert bar.inner_text() == "0%"
    GeneratedFile.objects.filter(pk=queued.pk).update(
        status="running", progress=40, message="Đang tạo tệp: đã xong 40 %."
    )
    # (Not wait_for_function: the page's Content-Security-Policy forbids evaluating strings.)
    expect(bar).to_have_text("40%")
    assert page.locator("[data-progress-message]").inner_text() == "Đang tạo tệp: đã xong 40 %."
    assert page.locator("[data-file-status]").inner_text() == "Đang tạo"
    building.generated_file_execute(file_id=queued.pk)
    link = page.locator("#download-link")
    link.wait_for()
    assert link.get_attribute("href") == reverse("events:generated_file_download", args=[queued.pk])
    assert "danh-sach-don-vi-tham-gia" in page.locator("#file-ready").inner_text()
