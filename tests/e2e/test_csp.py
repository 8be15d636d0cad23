"""The Content-Security-Policy holds in a real browser: the pages people use load without a single
violation (an inline script or style, or a resource from elsewhere, would be refused and logged),
and their scripts still work under it."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from booths.models import Assignment
from events.generated.building import options_key
from events.generated.services import generated_file_request
from events.models import DocumentType, Event, GeneratedFile
from tests import factories
from tuanhang.office.reminders.models import ReminderDelivery
from vendors.models import Application, ApplicationDocument, VendorMember

# A one-page PDF a viewer can open.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

VIOLATION = re.compile(r"Content Security Policy|Refused to (load|execute|apply|frame|connect)", re.I)


def _log_in(page, live_server, user):
    """Give the browser a session of `user` (the login form is tested elsewhere)."""
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    store.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )


def _violations(page, paths) -> dict[str, list[str]]:
    """Open each path, let its scripts run, and collect what the browser refused because of the policy."""
    messages = []
    page.on("console", lambda m: messages.append(m.text) if VIOLATION.search(m.text) else None)
    found = {}
    for path in paths:
        messages.clear()
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        if messages:
            found[path] = list(messages)
    return found


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)
    event = Event.objects.order_by("pk").first()
    event.allow_self_selection = True
    event.status = Event.Status.REGISTRATION_OPEN
    event.save()
    return event


def test_staff_pages_and_admin_load_without_policy_violations(page, live_server, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = factories.StaffUserFactory(is_superuser=True)
    _log_in(page, live_server, staff)
    application = Application.objects.filter(event=demo).first()
    vendor = application.vendor
    exhibitor = Application.objects.filter(event=demo, status=Application.Status.APPROVED).first()
    ApplicationDocument.objects.filter(application=application).delete()
    ApplicationDocument.objects.create(
        application=application,
        document_type=DocumentType.objects.first(),
        file=ContentFile(PDF, name="giay-phep.pdf"),
        original_name="giấy phép.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    rule = demo.reminder_rules.order_by("pk").first()
    ReminderDelivery.objects.create(
        rule=rule,
        application=application,
        event=demo,
        due_at=timezone.now(),
        status="failed",
        attempts=5,
        last_error="451 4.3.0 Try again later",
    )
    report = generated_file_request(event=demo, kind="closing_report")  # small: made at once
    building = GeneratedFile.objects.create(  # a large fair's report, still being made
        event=demo,
        kind="closing_report_xlsx",
        parameters={},
        parameters_key=options_key({}),
        fingerprint="0" * 64,
        message="Đang chờ bộ xử lý nền tạo tệp.",
    )
    paths = [
        "/staff/",
        f"/staff/fairs/{demo.slug}/",
        f"/review/fairs/{demo.slug}/",
        f"/review/applications/{application.pk}/",  # the PDF shown inline in an <object>
        f"/staff/fairs/{demo.slug}/map/",
        f"/floorplan/fairs/{demo.slug}/",
        f"/staff/fairs/{demo.slug}/allocation/",
        f"/staff/fairs/{demo.slug}/printing/",
        f"/staff/fairs/{demo.slug}/checkin/",
        f"/fairs/{demo.slug}/exhibitors/{exhibitor.vendor_id}/",  # with the check-in panel staff see
        f"/staff/fairs/{demo.slug}/reminders/",  # the delivery log, with a failed row to send again
        f"/staff/fairs/{demo.slug}/reports/",  # SVG charts
        f"/staff/files/{report.pk}/",
        f"/staff/files/{building.pk}/",  # the progress bar, polled by progress.js
        "/admin/",
        "/admin/vendors/application/",
        f"/admin/vendors/vendor/{vendor.pk}/change/",
        f"/admin/events/event/{demo.pk}/change/",
        "/admin/booths/booth/import/",
        "/admin/vendors/vendor/import/",
    ]
    assert _violations(page, paths) == {}


def test_business_and_public_pages_load_without_policy_violations(page, live_server, demo):
    application = (
        Application.objects.filter(event=demo, status=Application.Status.APPROVED)
        .exclude(assignments__status__in=Assignment.ACTIVE)
        .select_related("vendor")
        .first()
    )
    member = VendorMember.objects.filter(vendor=application.vendor).select_related("user").first()
    user = member.user if member else factories.UserFactory()
    if member is None:
        VendorMember.objects.create(vendor=application.vendor, user=user)
    public = _violations(
        page,
        [
            "/",
            "/fairs/",
            f"/fairs/{demo.slug}/",
            f"/fairs/{demo.slug}/exhibitors/?q=nuoc+mam",
            f"/fairs/{demo.slug}/exhibitors/{application.vendor_id}/",
            f"/fairs/{demo.slug}/map/",
            "/account/login/",
            "/account/signup/",
        ],
    )
    _log_in(page, live_server, user)
    business = _violations(
        page,
        [
            "/dashboard/",
            "/profile/",
            f"/fairs/{demo.slug}/booths/choose/",
            f"/fairs/{demo.slug}/map/mine/",
            f"/applications/{application.pk}/sales/",  # the daily sales form
        ],
    )
    assert public == {} and business == {}
