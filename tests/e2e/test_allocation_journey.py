"""An organiser approves the applications in bulk, runs the automatic allocation on a real Celery
worker (the page follows its progress), applies the plan and prints the booth map, in Chromium.

The worker is another process on the broker in force (Redis in CI, the filesystem transport
otherwise) and the live server's test database, as in tests/test_celery_worker.py."""

import io

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect
from pypdf import PdfReader

from booths.models import Assignment
from tests import factories
from tests.test_celery_worker import _start_worker, _stop_worker
from tuanhang.celery import app as celery_app
from vendors.models import Application

NAMES = ["Hợp tác xã Chè Tân Cương", "Công ty Nước mắm Cát Hải", "Hộ kinh doanh Bánh đa Kế"]


@pytest.fixture
def fair(transactional_db):
    event = factories.EventFactory(slug="vsip-2027", name="Tuần hàng Việt Nam VSIP 2027", hall_width_m=30)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    standard = factories.BoothTypeFactory(event=event, code="std", name="Gian tiêu chuẩn")
    for i in range(6):
        factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=f"A0{i + 1}", row="A1", x=3 * i, y=3)
    for name in NAMES:
        vendor = factories.VendorFactory(name=name, short_name=name.split(maxsplit=2)[-1])
        factories.ApplicationFactory(vendor=vendor, event=event, status=Application.Status.SUBMITTED)
    return event


@pytest.fixture
def worker(tmp_path, transactional_db):
    """A real worker for the live server's tasks (anything left in the queue by earlier tests is purged)."""
    celery_app.control.purge()
    process = _start_worker(settings.VAR_DIR, tmp_path / "worker.log")
    yield process
    _stop_worker(process)


def test_organiser_approves_allocates_on_the_worker_and_prints_the_map(desktop_page, live_server, fair, worker):
    page = desktop_page
    client = Client()
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    # --- approve the three applications at once ---------------------------------------------------
    page.goto(f"/review/fairs/{fair.slug}/")
    page.check("[data-select-all]")
    page.fill("#id_reason", "Đủ điều kiện tham gia.")
    page.click("#bulk-actions button[value=approve]")
    page.wait_for_load_state("networkidle")
    assert set(Application.objects.filter(event=fair).values_list("status", flat=True)) == {"approved"}

    # --- run the allocation: the worker does it, the page follows -----------------------------------
    page.goto(f"/staff/fairs/{fair.slug}/allocation/")
    page.click("#start-form button[value=start]")
    expect(page.locator("#apply-form")).to_be_visible(timeout=90_000)  # the plan, once the worker is done
    page.check("#apply-form input[name=confirm]")
    page.click("#apply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    held = Assignment.objects.filter(application__event=fair, status__in=Assignment.ACTIVE)
    assert held.count() == 3
    assert set(held.values_list("source", flat=True)) == {"auto"}

    # --- print the booth map ----------------------------------------------------------------------
    page.goto(f"/staff/fairs/{fair.slug}/printing/")
    with page.expect_download(timeout=60_000) as download:
        page.click("#document-booth_map button[type=submit]")
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split())
    assert "SƠ ĐỒ GIAN HÀNG" in text
    for name in NAMES:  # the index "business → booth" lists every participant
        assert name in text, name
