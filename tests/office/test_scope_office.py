"""Organisers kept apart in the office pages (issue 16): the staff home, a fair's dashboard, the
printing page, exports and generated files, reminders, reports, the print commands and the task
that builds a print. Another organiser's fair or object answers 404 (as one that does not
exist), a role without the capability 403 with the Vietnamese refusal, and a refused write
changes nothing; each refusal has its positive control."""

import dataclasses
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.generated import get_builder, registry
from events.generated import services as generated
from events.models import GeneratedFile, Membership
from events.tasks import build_generated_file
from tests import factories
from tests.printing.support import make_fair
from tuanhang.office.reminders.models import ReminderDelivery, ReminderRule
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import Application

pytestmark = pytest.mark.django_db
G = GeneratedFile.Status
R = Membership.Role

EXPORT_REFUSED = "Vai trò của bạn không được tải xuống dữ liệu của doanh nghiệp."
BUILD_REFUSED = "Vai trò của bạn không được tạo bản in."
REMINDER_REFUSED = "Vai trò của bạn không được sửa hoặc gửi lại nhắc nhở."
APPLICATIONS_REFUSED = "Vai trò của bạn không được xem hồ sơ đăng ký và giấy tờ của doanh nghiệp."
REPORTS_REFUSED = "Vai trò của bạn không được xem báo cáo."


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nine accounts a test


@dataclasses.dataclass
class World:
    fair: object  # organiser 1's fair, with approved participants and booths
    sister: object  # another fair of organiser 1
    foreign: object  # organiser 2's fair
    users: dict


@pytest.fixture
def world():
    fair, _booths, _applications = make_fair(name="Hội chợ Thủy Nguyên", slug="hoi-cho-thuy-nguyen")
    sister = factories.EventFactory(name="Hội chợ Kiến An", slug="hoi-cho-kien-an")
    other = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp Hải Dương", short_name="HHDN Hải Dương")
    foreign = factories.EventFactory(name="Hội chợ Hải Dương", slug="hoi-cho-hai-duong", organiser=other)
    users = {
        "admin": factories.StaffUserFactory(username="quan.tri"),
        "reviewer": factories.StaffUserFactory(username="duyet.ho.so", role=R.REVIEWER),
        "floor": factories.StaffUserFactory(username="hien.truong", role=R.FLOOR),
        "viewer": factories.StaffUserFactory(username="xem.bao.cao", role=R.VIEWER),
        "oversight": factories.StaffUserFactory(username="so.cong.thuong", role=R.OVERSIGHT),
        "limited": factories.StaffUserFactory(username="chi.kien.an", fairs=[sister]),
        "other": factories.StaffUserFactory(username="to.chuc.khac", organiser=other),
        "nobody": factories.StaffUserFactory(username="chua.co.don.vi", role=None),
        "superuser": factories.StaffUserFactory(username="quan.tri.he.thong", is_superuser=True),
    }
    return World(fair=fair, sister=sister, foreign=foreign, users=users)


def login(client, world, who):
    client.force_login(world.users[who])
    return client


def refused(response, message):
    assert response.status_code == 403
    assertContains(response, message, status_code=403)


# --- staff home -----------------------------------------------------------------------------


def _listed(response) -> list[str]:
    return [event.slug for event in response.context["events"]]


def test_staff_home_lists_only_the_fairs_of_the_users_organiser(client, world):
    response = login(client, world, "admin").get(reverse("events:staff_home"))

    assert sorted(_listed(response)) == ["hoi-cho-kien-an", "hoi-cho-thuy-nguyen"]
    assertNotContains(response, "Hội chợ Hải Dương")
    assertNotContains(response, "data-organiser=")  # one organiser: no need to name it on each row


def test_staff_home_links_an_administrator_to_its_team_page_and_other_roles_not(client, world):
    admin_home = login(client, world, "admin").get(reverse("events:staff_home"))
    organiser = admin_home.context["events"][0].organiser
    assertContains(admin_home, reverse("team:page", args=[organiser.pk]))
    client.logout()
    floor_home = login(client, world, "floor").get(reverse("events:staff_home"))
    assertNotContains(floor_home, "data-team=")


def test_staff_home_of_another_organiser_lists_its_own_fair_only(client, world):
    response = login(client, world, "other").get(reverse("events:staff_home"))

    assert _listed(response) == ["hoi-cho-hai-duong"]


def test_staff_home_of_a_fair_limited_member_lists_that_fair_only(client, world):
    response = login(client, world, "limited").get(reverse("events:staff_home"))

    assert _listed(response) == ["hoi-cho-kien-an"]


def test_staff_home_of_a_superuser_lists_every_fair_with_its_organiser(client, world):
    response = login(client, world, "superuser").get(reverse("events:staff_home"))

    assert sorted(_listed(response)) == ["hoi-cho-hai-duong", "hoi-cho-kien-an", "hoi-cho-thuy-nguyen"]
    html = response.content.decode()
    assert re.search(
        r'hoi-cho-hai-duong/">Hội chợ Hải Dương</a>\s*<div[^>]*><span data-organiser="\d+">HHDN Hải Dương', html
    )


def test_staff_home_of_an_oversight_body_names_the_organiser_of_each_fair(client, world):
    other = world.foreign.organiser
    Membership.objects.create(organiser=other, user=world.users["oversight"], role=R.OVERSIGHT)

    response = login(client, world, "oversight").get(reverse("events:staff_home"))

    assert sorted(_listed(response)) == ["hoi-cho-hai-duong", "hoi-cho-kien-an", "hoi-cho-thuy-nguyen"]
    assertContains(response, f'<span data-organiser="{other.pk}">HHDN Hải Dương</span>', html=True)
    assertNotContains(response, "Thêm hội chợ")  # it never writes: no "New fair" button


def test_staff_home_without_an_organiser_lists_nothing_and_says_whom_to_ask(client, world):
    response = login(client, world, "nobody").get(reverse("events:staff_home"))

    assert response.status_code == 200
    assert _listed(response) == []
    assertContains(response, "Tài khoản của bạn chưa thuộc đơn vị tổ chức nào nên chưa thấy hội chợ nào.")
    assertContains(response, "quản trị viên của đơn vị tổ chức")


def test_staff_home_counts_applications_businesses_provinces_ocop_products_and_booths(client, db):
    fair = factories.EventFactory(slug="dem-so-lieu")
    hanoi, haiphong = "01", "31"
    for province, stars in [(hanoi, [4, 3]), (hanoi, []), (haiphong, [5])]:
        vendor = factories.VendorFactory(province_id=province)
        application = factories.ApplicationFactory(vendor=vendor, event=fair, status=Application.Status.APPROVED)
        plain = factories.ProductFactory(vendor=vendor)  # not OCOP: not counted
        application.products.add(plain, *(factories.ProductFactory(vendor=vendor, ocop_stars=s) for s in stars))
    waiting = factories.ApplicationFactory(event=fair, status=Application.Status.SUBMITTED)
    waiting.products.add(factories.ProductFactory(vendor=waiting.vendor, ocop_stars=5))  # not taking part yet
    factories.BoothFactory.create_batch(4, event=fair)
    factories.ApplicationFactory(status=Application.Status.APPROVED)  # another fair's
    client.force_login(factories.StaffUserFactory())

    html = client.get(reverse("events:staff_home")).content.decode()

    row = re.search(r'href="/staff/fairs/dem-so-lieu/">.*?</tr>', html, re.S).group(0)
    cells = [re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r'<td class="text-end"[^>]*>(.*?)</td>', row, re.S)]
    assert cells == ["4", "3", "2", "3", "4"]  # applications, businesses, provinces, OCOP products, booths


def _fairs_of_two_organisers(count):
    other = factories.OrganiserFactory(name="Ban quản lý các KCN")
    for i in range(count):
        event = factories.EventFactory(organiser=other if i % 2 else factories.OrganiserFactory())
        application = factories.ApplicationFactory(event=event, status=Application.Status.APPROVED)
        application.products.add(factories.ProductFactory(vendor=application.vendor, ocop_stars=4))
        factories.BoothFactory(event=event)
    return other


@pytest.mark.parametrize("fairs", [2, 30])
def test_staff_home_query_count_for_an_oversight_body_does_not_grow_with_the_fairs(
    client, db, django_assert_num_queries, fairs
):
    other = _fairs_of_two_organisers(fairs)
    user = factories.StaffUserFactory(role=R.OVERSIGHT)
    Membership.objects.create(organiser=other, user=user, role=R.OVERSIGHT)
    client.force_login(user)

    # session, user, memberships, their fair limits (which also say whether it sees several
    # organisers), the page count, the page of fairs with every count, the page's OCOP products
    # (listed on applications; of businesses listing none)
    with django_assert_num_queries(8):
        response = client.get(reverse("events:staff_home"))

    assert len(response.context["events"]) == min(fairs, 20)
    assert {e.ocop_count for e in response.context["events"]} == {1}


# --- dashboard ------------------------------------------------------------------------------


def _dashboard(client, world, who, fair=None):
    return login(client, world, who).get(reverse("events:dashboard", args=[(fair or world.fair).slug]))


def test_dashboard_of_an_administrator_offers_every_link(client, world):
    response = _dashboard(client, world, "admin")

    assert response.status_code == 200
    for link in ["review-link", "floorplan-link", "booth-map-link", "allocation-link", "printing-link", "checkin-link"]:
        assertContains(response, f'id="{link}"')
    assertContains(response, f"/admin/events/event/{world.fair.pk}/change/")


def test_dashboard_of_an_oversight_body_reads_but_offers_nothing_to_change(client, world):
    response = _dashboard(client, world, "oversight")

    assert response.status_code == 200
    assertContains(response, 'id="printing-link"')
    assertContains(response, 'id="reports-link"')
    assertContains(response, 'id="booth-map-link"')
    for link in ["review-link", "floorplan-link", "allocation-link", "checkin-link", "reminders-link", "admin-links"]:
        assertNotContains(response, f'id="{link}"')
    assertNotContains(response, "/change/")


def test_dashboard_of_floor_staff_offers_check_in_and_no_printing(client, world):
    response = _dashboard(client, world, "floor")

    assert response.status_code == 200
    assertContains(response, 'id="checkin-link"')
    for link in ["printing-link", "review-link", "reports-link", "admin-links"]:
        assertNotContains(response, f'id="{link}"')


def test_dashboard_of_a_reports_viewer_offers_no_printing(client, world):
    response = _dashboard(client, world, "viewer")

    assertContains(response, 'id="reports-link"')
    assertNotContains(response, 'id="printing-link"')


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_dashboard_of_another_organisers_fair_is_404(client, world, who):
    assert _dashboard(client, world, who).status_code == 404


def test_dashboard_of_a_fair_outside_a_limited_membership_is_404(client, world):
    assert _dashboard(client, world, "limited").status_code == 404
    assert _dashboard(client, world, "limited", world.sister).status_code == 200


# --- printing page and exports --------------------------------------------------------------


def _printing(world, fair=None):
    return reverse("events:printing", args=[(fair or world.fair).slug])


def _export(world, fmt="csv", fair=None):
    return reverse("events:export", args=[(fair or world.fair).slug, "applications", fmt])


def test_printing_page_for_an_administrator_offers_to_make_prints(client, world):
    response = login(client, world, "admin").get(_printing(world))

    assertContains(response, "Tạo tệp PDF")


def test_printing_page_for_an_oversight_body_lists_files_and_exports_without_building(client, world):
    response = login(client, world, "oversight").get(_printing(world))

    assert response.status_code == 200
    assertContains(response, _export(world))
    assertNotContains(response, "Tạo tệp PDF")
    assertContains(response, "Vai trò của bạn chỉ được tải xuống các tệp đã tạo")


def test_printing_page_refuses_floor_staff_in_vietnamese(client, world):
    refused(login(client, world, "floor").get(_printing(world)), EXPORT_REFUSED)


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_printing_page_of_another_organisers_fair_is_404(client, world, who):
    assert login(client, world, who).get(_printing(world)).status_code == 404


@pytest.mark.parametrize("who", ["admin", "oversight", "reviewer"])
def test_export_downloads_for_roles_that_may_export(client, world, who):
    response = login(client, world, who).get(_export(world))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Anh" in response.content.decode("utf-8-sig")  # a participant of the fair


@pytest.mark.parametrize("who", ["floor", "viewer"])
def test_export_refuses_roles_without_export_in_vietnamese(client, world, who):
    refused(login(client, world, who).get(_export(world, "xlsx")), EXPORT_REFUSED)


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_export_of_another_organisers_fair_is_404(client, world, who):
    assert login(client, world, who).get(_export(world)).status_code == 404


def test_export_of_a_fair_outside_a_limited_membership_is_404(client, world):
    assert login(client, world, "limited").get(_export(world)).status_code == 404
    assert login(client, world, "limited").get(_export(world, fair=world.sister)).status_code == 200


# --- building a print -----------------------------------------------------------------------


def _build(client, world, who, kind="participants", data=None, fair=None):
    url = reverse("events:printing_build", args=[(fair or world.fair).slug, kind])
    return login(client, world, who).post(url, data or {f"{kind}-order": "name"})


def test_administrator_builds_a_print(client, world):
    response = _build(client, world, "admin")

    built = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("events:generated_file_download", args=[built.pk])
    assert (built.event, built.status, built.created_by) == (world.fair, G.DONE, world.users["admin"])


def test_oversight_body_may_not_build_a_print_and_nothing_is_written(client, world):
    refused(_build(client, world, "oversight"), BUILD_REFUSED)

    assert not GeneratedFile.objects.exists()


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_building_a_print_at_another_organisers_fair_is_404_and_writes_nothing(client, world, who):
    assert _build(client, world, who).status_code == 404
    assert not GeneratedFile.objects.exists()


def test_a_letter_for_another_fairs_application_is_refused_and_nothing_is_built(client, world):
    stranger = factories.ApplicationFactory(event=world.foreign, status=Application.Status.APPROVED)

    response = _build(client, world, "admin", kind="letters", data={"letters-application": stranger.pk})

    assert response.status_code == 400
    assert not GeneratedFile.objects.exists()


# --- generated files ------------------------------------------------------------------------


@pytest.fixture
def built(world):
    return generated.generated_file_request(
        event=world.fair, kind="participants", options={"order": "name"}, by=world.users["admin"]
    )


FILE_PAGES = ["events:generated_file", "events:generated_file_progress", "events:generated_file_download"]


@pytest.mark.parametrize("who", ["admin", "oversight"])
def test_generated_file_pages_open_for_roles_that_may_export(client, world, built, who):
    login(client, world, who)

    page, progress, download = (client.get(reverse(name, args=[built.pk])) for name in FILE_PAGES)

    assert page.status_code == 200
    assert progress.json()["status"] == G.DONE
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("name", FILE_PAGES)
def test_generated_file_pages_refuse_floor_staff_in_vietnamese(client, world, built, name):
    refused(login(client, world, "floor").get(reverse(name, args=[built.pk])), EXPORT_REFUSED)


@pytest.mark.parametrize("who", ["other", "nobody", "limited"])
@pytest.mark.parametrize("name", FILE_PAGES)
def test_generated_file_of_another_organiser_is_404_as_a_missing_one(client, world, built, who, name):
    login(client, world, who)

    assert client.get(reverse(name, args=[built.pk])).status_code == 404
    assert client.get(reverse(name, args=[built.pk + 1000])).status_code == 404


# --- the worker's build re-checks the role -------------------------------------------------


@pytest.fixture
def slow_letters(monkeypatch):
    """Letters never quick enough to build in the request: they go to the worker."""
    monkeypatch.setitem(
        registry._BUILDERS, "letters", dataclasses.replace(get_builder("letters"), quick=lambda d: False)
    )


def _queue_letters(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = _build(client, world, "admin", kind="letters", data={})
    queued = GeneratedFile.objects.get()
    assert response.url == reverse("events:generated_file", args=[queued.pk])
    assert queued.status == G.QUEUED
    return queued


def test_worker_builds_a_print_for_a_user_who_still_may(
    client, world, slow_letters, django_capture_on_commit_callbacks
):
    queued = _queue_letters(client, world, django_capture_on_commit_callbacks)

    assert build_generated_file(queued.pk) == G.DONE

    queued.refresh_from_db()
    assert queued.file


def test_worker_refuses_a_print_whose_requester_lost_the_role(
    client, world, slow_letters, django_capture_on_commit_callbacks
):
    queued = _queue_letters(client, world, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=world.users["admin"]).update(role=R.FLOOR)

    assert build_generated_file(queued.pk) == G.FAILED

    queued.refresh_from_db()
    assert not queued.file
    assert queued.message == ("Không tạo tệp: tài khoản đã yêu cầu tệp này không còn được tạo bản in cho hội chợ này.")


def test_worker_refuses_a_print_whose_requester_left_the_organiser(
    client, world, slow_letters, django_capture_on_commit_callbacks
):
    queued = _queue_letters(client, world, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=world.users["admin"]).delete()

    assert build_generated_file(queued.pk) == G.FAILED
    assert not GeneratedFile.objects.get(pk=queued.pk).file


# --- reminders ------------------------------------------------------------------------------


@pytest.fixture
def deliveries(world):
    """A failed delivery at the fair and one at the sister fair of the same organiser."""
    found = {}
    for key, fair in [("fair", world.fair), ("sister", world.sister)]:
        reminder_rules_create_defaults(event=fair)
        application = fair.applications.first() or factories.ApplicationFactory(
            event=fair, status=Application.Status.APPROVED
        )
        found[key] = ReminderDelivery.objects.create(
            rule=fair.reminder_rules.order_by("pk").first(),
            application=application,
            event=fair,
            due_at=timezone.now(),
            status="failed",
            attempts=5,
            last_error="550 5.1.1 mailbox unavailable",
        )
    return found


def _log(world, fair=None):
    return reverse("reminders:log", args=[(fair or world.fair).slug])


def _resend(world, delivery, fair=None):
    return reverse("reminders:resend", args=[(fair or world.fair).slug, delivery.pk])


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_reminder_log_opens_for_roles_that_read_applications(client, world, deliveries, who):
    response = login(client, world, who).get(_log(world))

    assert response.status_code == 200
    assert [d.pk for d in response.context["deliveries"]] == [deliveries["fair"].pk]
    # only a role that may manage reminders is offered to resend
    assert (_resend(world, deliveries["fair"]) in response.content.decode()) == (who == "admin")


@pytest.mark.parametrize("who", ["oversight", "floor"])
def test_reminder_log_refuses_roles_that_do_not_read_applications(client, world, deliveries, who):
    refused(login(client, world, who).get(_log(world)), APPLICATIONS_REFUSED)


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_reminder_log_of_another_organisers_fair_is_404(client, world, deliveries, who):
    assert login(client, world, who).get(_log(world)).status_code == 404


def test_reminder_log_ignores_a_rule_of_another_fair_in_its_filter(client, world, deliveries):
    foreign_rule = ReminderRule.objects.filter(event=world.sister).first()

    response = login(client, world, "admin").get(_log(world), {"rule": foreign_rule.pk})

    assert response.context["filters_active"] is False
    assert [d.pk for d in response.context["deliveries"]] == [deliveries["fair"].pk]


def test_administrator_resends_a_reminder(client, world, deliveries):
    response = login(client, world, "admin").post(_resend(world, deliveries["fair"]))

    assert response.status_code == 302
    assert ReminderDelivery.objects.filter(resent_from=deliveries["fair"]).count() == 1


@pytest.mark.parametrize("who", ["oversight", "reviewer"])
def test_resending_a_reminder_is_refused_without_reminder_manage(client, world, deliveries, who):
    refused(login(client, world, who).post(_resend(world, deliveries["fair"])), REMINDER_REFUSED)

    assert ReminderDelivery.objects.count() == 2


@pytest.mark.parametrize("who", ["other", "nobody"])
def test_resending_another_organisers_reminder_is_404_and_sends_nothing(client, world, deliveries, who):
    assert login(client, world, who).post(_resend(world, deliveries["fair"])).status_code == 404
    assert ReminderDelivery.objects.count() == 2


def test_resending_another_fairs_delivery_through_this_fair_is_404(client, world, deliveries):
    response = login(client, world, "admin").post(_resend(world, deliveries["sister"]))

    assert response.status_code == 404
    assert ReminderDelivery.objects.count() == 2


def test_default_reminders_need_reminder_manage(client, world):
    url = reverse("reminders:defaults", args=[world.fair.slug])

    refused(login(client, world, "oversight").post(url), REMINDER_REFUSED)
    assert not ReminderRule.objects.filter(event=world.fair).exists()
    assert login(client, world, "other").post(url).status_code == 404
    assert not ReminderRule.objects.filter(event=world.fair).exists()

    assert login(client, world, "admin").post(url).status_code == 302
    assert ReminderRule.objects.filter(event=world.fair).exists()


# --- reports --------------------------------------------------------------------------------


def _reports(world, fair=None):
    return reverse("reports:page", args=[(fair or world.fair).slug])


def _chart(world, fair=None):
    return reverse("reports:chart_csv", args=[(fair or world.fair).slug, "provinces"])


@pytest.mark.parametrize("who", ["admin", "oversight", "viewer"])
def test_reports_open_for_roles_that_read_them(client, world, who):
    login(client, world, who)

    page, chart = client.get(_reports(world)), client.get(_chart(world))

    assert page.status_code == 200
    assert chart.status_code == 200 and chart["Content-Type"].startswith("text/csv")
    # the closing report is made by roles that may build prints, its files read by those that may export
    assert ('id="report-documents"' in page.content.decode()) == (who == "admin")


@pytest.mark.parametrize("url", [_reports, _chart])
def test_reports_refuse_floor_staff_in_vietnamese(client, world, url):
    refused(login(client, world, "floor").get(url(world)), REPORTS_REFUSED)


@pytest.mark.parametrize("who", ["other", "nobody", "limited"])
@pytest.mark.parametrize("url", [_reports, _chart])
def test_reports_of_another_organisers_fair_are_404(client, world, who, url):
    assert login(client, world, who).get(url(world)).status_code == 404


# --- print commands -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["print_participants", "print_letters", "print_checkin_sheet"])
@pytest.mark.parametrize("who", ["admin", "oversight"])
def test_print_commands_run_for_a_user_who_may_export(world, tmp_path, command, who):
    out = tmp_path / "out.pdf"

    call_command(command, world.fair.slug, "--out", str(out), "--user", world.users[who].username, stdout=io.StringIO())

    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("command", ["print_participants", "print_letters", "print_checkin_sheet"])
def test_print_commands_refuse_a_user_whose_role_may_not_export(world, tmp_path, command):
    out = tmp_path / "out.pdf"

    with pytest.raises(CommandError, match=re.escape(EXPORT_REFUSED)):
        call_command(command, world.fair.slug, "--out", str(out), "--user", "hien.truong")

    assert not out.exists()


@pytest.mark.parametrize("who", ["to.chuc.khac", "chua.co.don.vi"])
def test_print_commands_answer_another_organisers_fair_as_a_missing_one(world, tmp_path, who):
    out = tmp_path / "out.pdf"

    with pytest.raises(CommandError, match="Không có hội chợ nào có địa chỉ hoặc mã số “hoi-cho-thuy-nguyen”"):
        call_command("print_participants", world.fair.slug, "--out", str(out), "--user", who)

    assert not out.exists()


def test_print_commands_refuse_an_unknown_or_inactive_account(world, tmp_path):
    out = tmp_path / "out.pdf"
    world.users["admin"].is_active = False
    world.users["admin"].save()

    for username in ["khong.ai.ca", "quan.tri"]:
        with pytest.raises(CommandError, match="Không có tài khoản đang hoạt động"):
            call_command("print_participants", world.fair.slug, "--out", str(out), "--user", username)
    assert not out.exists()


def test_print_commands_without_a_user_are_the_operators(world, tmp_path):
    out = tmp_path / "out.pdf"

    call_command("print_participants", world.foreign.slug, "--out", str(out), stdout=io.StringIO())

    assert out.read_bytes().startswith(b"%PDF")
