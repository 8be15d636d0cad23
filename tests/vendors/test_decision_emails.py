"""The e-mail a business gets for each decision on its application: queued on commit by the one
entry point of every status change (so the review pages and the admin actions both send it),
rendered in Vietnamese, sent to the business's accounts."""

import io

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from events.models import Organiser
from tests import factories
from tuanhang.celery import app as celery_app
from tuanhang.office.review.services import decision_apply
from vendors.models import Application, ApplicationStatusChange, VendorMember
from vendors.services import application_transition
from vendors.tasks import send_decision_email

pytestmark = pytest.mark.django_db
A = Application.Status
FAIR = "Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm 2024"
VENDOR = "Công ty TNHH Nước mắm Cát Hải"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def eager_celery():
    """Tasks run in-process when queued (the real worker has its own test)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def staff(application):
    """An administrator of the organiser of the application's fair (its review pages are scoped)."""
    return factories.StaffUserFactory(organiser=application.event.organiser)


@pytest.fixture
def application(db):
    organiser = Organiser.objects.create(
        name="Trung tâm Khuyến công Hải Phòng", phone="+842253842123", email="khuyencong@haiphong.gov.vn"
    )
    event = factories.EventFactory(name=FAIR, organiser=organiser, booth_fee=5_000_000, subsidy_percent=50)
    vendor = factories.VendorFactory(name=VENDOR, email="lienhe@nuocmamcathai.vn")
    return factories.ApplicationFactory(vendor=vendor, event=event, booths_requested=2, status=A.SUBMITTED)


def add_account(vendor, email, **extra):
    user = factories.UserFactory(email=email, **extra)
    VendorMember.objects.create(vendor=vendor, user=user)
    return user


def vi(msgid, **params):
    """What the Vietnamese interface shows for an English msgid (translated once the catalogue has it)."""
    with translation.override("vi"):
        return gettext(msgid) % params


def decide(application, to_status, by=None, reason=""):
    """A decision recorded without running its on-commit side effects; returns the status change."""
    application_transition(application=application, to_status=to_status, by=by, reason=reason)
    return ApplicationStatusChange.objects.filter(application=application).latest("pk")


# --- the task ---------------------------------------------------------------------------------


def test_decision_email_renders_vietnamese_approval_with_fee_reason_and_link(application, staff):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    add_account(application.vendor, "ketoan@nuocmamcathai.vn")
    change = decide(application, A.APPROVED, by=staff, reason="Hồ sơ đầy đủ, ưu tiên khu OCOP")

    assert send_decision_email(change.pk) == 2

    [message] = mail.outbox
    assert message.to == ["giamdoc@nuocmamcathai.vn", "ketoan@nuocmamcathai.vn"]
    assert message.reply_to == ["khuyencong@haiphong.gov.vn"]
    assert message.subject == vi("Your application to %(fair)s is approved", fair=FAIR)
    body = message.body
    assert vi("Dear %(name)s,", name=VENDOR) in body
    assert vi("Your application to take part in %(fair)s has been approved.", fair=FAIR) in body
    assert "Hồ sơ đầy đủ, ưu tiên khu OCOP" in body
    assert f"{vi('Booths:')} 2 × 5.000.000 ₫" in body
    assert f"{vi('Subsidy:')} −5.000.000 ₫" in body
    assert f"{vi('Fee due:')} 5.000.000 ₫" in body
    assert "http://127.0.0.1:8000/dashboard/" in body
    event = application.event
    dates = f"{timezone.localtime(event.opens_at):%d/%m/%Y} – {timezone.localtime(event.closes_at):%d/%m/%Y}"
    assert f"{vi('Dates:')} {dates}" in body
    assert "0225 3842 123" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="vi">' in html
    assert "<strong>5.000.000 ₫</strong>" in html
    assert 'href="http://127.0.0.1:8000/dashboard/"' in html


def test_decision_email_is_vietnamese_even_when_the_worker_runs_in_english(application):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    change = decide(application, A.WAITLISTED)

    with translation.override("en"):
        send_decision_email(change.pk)

    [message] = mail.outbox
    assert message.subject == vi("Your application to %(fair)s is on the waiting list", fair=FAIR)
    # The Vietnamese URL has no language prefix; the English one would start with /en/.
    assert "http://127.0.0.1:8000/dashboard/" in message.body
    assert "/en/" not in message.body


def test_decision_email_of_rejection_gives_the_reason_and_no_fee(application, staff):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    change = decide(application, A.REJECTED, by=staff, reason="Thiếu giấy chứng nhận ATTP")

    send_decision_email(change.pk)

    [message] = mail.outbox
    assert message.subject == vi("Your application to %(fair)s is not accepted", fair=FAIR)
    assert vi("We are sorry: your application to take part in %(fair)s has not been accepted.", fair=FAIR) in (
        message.body
    )
    assert f"{vi('Reason:')} Thiếu giấy chứng nhận ATTP" in message.body
    assert vi("Fee due:") not in message.body


def test_decision_email_of_cancellation(application):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    decide(application, A.APPROVED)
    change = decide(application, A.CANCELLED, reason="Đơn vị xin rút")

    send_decision_email(change.pk)

    assert mail.outbox[0].subject == vi("Your participation in %(fair)s is cancelled", fair=FAIR)


def test_decision_email_escapes_the_reason_in_html(application):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    change = decide(application, A.REJECTED, reason='<script>alert("x")</script>')

    send_decision_email(change.pk)

    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' in mail.outbox[0].body  # plain text stays as written


def test_decision_email_skips_inactive_accounts_and_accounts_without_address(application):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    add_account(application.vendor, "nghiviec@nuocmamcathai.vn", is_active=False)
    add_account(application.vendor, "")
    change = decide(application, A.APPROVED)

    send_decision_email(change.pk)

    assert mail.outbox[0].to == ["giamdoc@nuocmamcathai.vn"]


def test_decision_email_without_accounts_goes_to_the_profile_address(application):
    change = decide(application, A.APPROVED)

    assert send_decision_email(change.pk) == 1

    assert mail.outbox[0].to == ["lienhe@nuocmamcathai.vn"]


def test_decision_email_without_any_address_sends_nothing(application):
    application.vendor.email = ""
    application.vendor.save()
    change = decide(application, A.APPROVED)

    assert send_decision_email(change.pk) == 0
    assert mail.outbox == []


def test_decision_email_for_a_deleted_status_change_sends_nothing(application):
    change = decide(application, A.APPROVED)
    change.delete()

    assert send_decision_email(change.pk) == 0
    assert mail.outbox == []


@override_settings(SITE_URL="https://hoicho.example.vn/")
def test_decision_email_links_to_the_configured_site(application):
    change = decide(application, A.APPROVED)

    send_decision_email(change.pk)

    assert f"https://hoicho.example.vn{reverse('vendors:dashboard')}" in mail.outbox[0].body


def test_decision_email_changes_nothing_in_the_database(application):
    change = decide(application, A.APPROVED)
    before = (Application.objects.values().get(pk=application.pk), ApplicationStatusChange.objects.count())

    send_decision_email(change.pk)

    assert (Application.objects.values().get(pk=application.pk), ApplicationStatusChange.objects.count()) == before


# --- queued on commit, by every path -------------------------------------------------------------


def test_review_decision_queues_the_email_and_sends_it_only_after_commit(
    application, staff, eager_celery, django_capture_on_commit_callbacks
):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")

    with django_capture_on_commit_callbacks(execute=True):
        decision_apply(
            event=application.event,
            applications=[application],
            to_status=A.APPROVED,
            by=staff,
            over_capacity_confirmed=True,  # this fair has no booths yet
        )
        assert mail.outbox == []  # not committed yet

    [message] = mail.outbox
    assert message.to == ["giamdoc@nuocmamcathai.vn"]
    assert message.subject == vi("Your application to %(fair)s is approved", fair=FAIR)


def test_rolled_back_decision_sends_nothing(application, staff, eager_celery, django_capture_on_commit_callbacks):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        application_transition(application=application, to_status=A.APPROVED, by=staff)
        raise RuntimeError("something failed after the decision")

    assert callbacks == []
    assert mail.outbox == []
    assert Application.objects.get(pk=application.pk).status == A.SUBMITTED


def test_bulk_decision_from_the_review_list_emails_each_business(
    client, staff, application, eager_celery, django_capture_on_commit_callbacks
):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    other = factories.ApplicationFactory(event=application.event, vendor__email="hoptacxa@example.vn")
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vendors:review_bulk", args=[application.event.slug]),
            {"applications": [application.pk, other.pk], "decision": "reject", "reason": "Hết chỗ"},
        )

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["giamdoc@nuocmamcathai.vn", "hoptacxa@example.vn"]


def test_admin_decision_action_emails_the_business_too(
    client, application, eager_celery, django_capture_on_commit_callbacks
):
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")
    client.force_login(factories.StaffUserFactory(is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:vendors_application_changelist"),
            {"action": "waitlist", "_selected_action": [application.pk], "confirm": "yes", "reason": "Chờ xếp gian"},
        )

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == A.WAITLISTED
    [message] = mail.outbox
    assert message.to == ["giamdoc@nuocmamcathai.vn"]
    assert message.subject == vi("Your application to %(fair)s is on the waiting list", fair=FAIR)


@pytest.mark.parametrize(("start", "step"), [(A.DRAFT, A.SUBMITTED), (A.SUBMITTED, A.WITHDRAWN)])
def test_steps_that_are_not_decisions_send_no_email(db, eager_celery, django_capture_on_commit_callbacks, start, step):
    application = factories.ApplicationFactory(status=start)
    add_account(application.vendor, "giamdoc@nuocmamcathai.vn")

    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_status=step)

    assert mail.outbox == []


def test_import_and_demo_seed_send_no_decision_emails(db, tmp_path, eager_celery, django_capture_on_commit_callbacks):
    """Lists the organisers already decided (imports, the demo) must not e-mail every business."""
    from django.core.management import call_command

    csv = tmp_path / "ds.csv"
    csv.write_text("name,kind,tax_code,province\nCông ty A,DN,0100109106,Hải Phòng\n", encoding="utf-8")
    event = factories.EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_vendors", str(csv), "--event", event.slug, stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    assert Application.objects.filter(status=Application.Status.APPROVED).count() > 1
    assert mail.outbox == []
    # the control: a decision made by staff through the same service does send one
    submitted = Application.objects.filter(status=Application.Status.SUBMITTED).first()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=submitted, to_status=Application.Status.APPROVED)
    assert len(mail.outbox) == 1
