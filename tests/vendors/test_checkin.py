"""Setup-day check-in: the rules (approved only, twice is harmless, undo recorded, handover only
after arrival), the staff pages (search by name or booth code, the live list by zone, the panel
on a business's public page), who may use them, query counts, and the race two staff members
tapping "arrived" at once would cause without the row lock (PostgreSQL)."""

import json
import re
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains, assertRedirects

from events.models import Event
from tests import factories
from tests.vendors._directory_support import crowd, en, exhibitor
from vendors.models import Application, CheckIn, CheckInChange
from vendors.services import checkin as services

A = Application.Status
E = Event.Status
ACT = CheckInChange.Action


@pytest.fixture
def fair(db):
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip", status=E.REGISTRATION_CLOSED)
    ocop = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", position=1)
    farm = factories.ZoneFactory(event=event, code="B", name="Khu nông sản", position=2)
    standard = factories.BoothTypeFactory(event=event)

    def booth(code, zone, x):
        return factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=code, x=x, y=0)

    apps = {
        "sen": exhibitor(event, "Hợp tác xã Sen Đồng Tháp", booths=[booth("A02", ocop, 3)]),
        "mam": exhibitor(event, "Công ty Nước mắm Cát Hải", booths=[booth("A01", ocop, 0)]),
        "gao": exhibitor(event, "Hộ kinh doanh Gạo Hải Hậu", booths=[booth("B01", farm, 20)]),
        "none": exhibitor(event, "Công ty Chưa Có Gian"),
        "pending": exhibitor(event, "Hợp tác xã Chờ Duyệt", status=A.SUBMITTED),
    }
    return type("Fair", (), {"event": event, "apps": apps})


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(username="can.bo.le.tan")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --- the rules --------------------------------------------------------------------------------------------


def test_arrival_records_who_and_when(fair, staff):
    checkin, recorded = services.checkin_arrive(application=fair.apps["sen"], by=staff)

    assert recorded is True
    assert checkin.arrived_at is not None and checkin.arrived_by == staff
    [change] = CheckInChange.objects.all()
    assert (change.action, change.changed_by, change.checkin) == (ACT.ARRIVE, staff, checkin)


def test_checking_in_twice_changes_nothing(fair, staff):
    first, _ = services.checkin_arrive(application=fair.apps["sen"], by=staff)
    other = factories.StaffUserFactory()

    again, recorded = services.checkin_arrive(application=fair.apps["sen"], by=other)

    assert recorded is False
    assert (again.arrived_at, again.arrived_by) == (first.arrived_at, staff)
    assert CheckInChange.objects.count() == 1
    assert CheckIn.objects.count() == 1


def test_a_wrong_checkin_is_undone_and_the_undo_is_recorded(fair, staff):
    checkin, _ = services.checkin_arrive(application=fair.apps["sen"], by=staff)
    arrived_at = checkin.arrived_at
    supervisor = factories.StaffUserFactory()

    undone, changed = services.checkin_undo(application=fair.apps["sen"], by=supervisor, note="Nhầm với A03")

    assert changed is True
    assert undone.arrived_at is None and undone.arrived_by is None
    undo = CheckInChange.objects.get(action=ACT.UNDO)
    assert (undo.changed_by, undo.previous_arrived_at, undo.note) == (supervisor, arrived_at, "Nhầm với A03")
    again, changed_again = services.checkin_undo(application=fair.apps["sen"], by=supervisor)
    assert changed_again is False and CheckInChange.objects.filter(action=ACT.UNDO).count() == 1


def test_after_an_undo_the_business_can_be_checked_in_again(fair, staff):
    services.checkin_arrive(application=fair.apps["sen"], by=staff)
    services.checkin_undo(application=fair.apps["sen"], by=staff)

    checkin, recorded = services.checkin_arrive(application=fair.apps["sen"], by=staff)

    assert recorded and checkin.arrived_at is not None
    assert list(CheckInChange.objects.order_by("pk").values_list("action", flat=True)) == [
        ACT.ARRIVE,
        ACT.UNDO,
        ACT.ARRIVE,
    ]


@pytest.mark.parametrize("status", [A.SUBMITTED, A.WAITLISTED, A.REJECTED, A.WITHDRAWN, A.DRAFT])
def test_only_approved_participants_can_be_checked_in(fair, staff, status):
    application = exhibitor(fair.event, f"Đơn vị {status}", status=status)

    with pytest.raises(ValidationError) as refused:
        services.checkin_arrive(application=application, by=staff)

    assert refused.value.code == "not_approved"
    assert not CheckIn.objects.exists()


def test_handover_checklist_and_note_are_recorded(fair, staff):
    services.checkin_arrive(application=fair.apps["sen"], by=staff)

    checkin, changed = services.checkin_handover(
        application=fair.apps["sen"],
        by=staff,
        power_ok=True,
        furniture_ok=True,
        fascia_ok=False,
        note="  Bảng tên ghi sai: “Sen Đồng Tháp”  ",
    )

    assert changed
    assert (checkin.power_ok, checkin.furniture_ok, checkin.fascia_ok) == (True, True, False)
    assert checkin.note == "Bảng tên ghi sai: “Sen Đồng Tháp”"
    handover = CheckInChange.objects.get(action=ACT.HANDOVER)
    assert (handover.power_ok, handover.furniture_ok, handover.fascia_ok) == (True, True, False)
    assert not checkin.handover_complete
    _same, changed_again = services.checkin_handover(
        application=fair.apps["sen"], by=staff, power_ok=True, furniture_ok=True, fascia_ok=False, note=checkin.note
    )
    assert changed_again is False and CheckInChange.objects.filter(action=ACT.HANDOVER).count() == 1


def test_handover_before_arrival_is_refused_and_writes_nothing(fair, staff):
    with pytest.raises(ValidationError) as refused:
        services.checkin_handover(
            application=fair.apps["sen"], by=staff, power_ok=True, furniture_ok=True, fascia_ok=True
        )

    assert list(refused.value.error_dict) == ["__all__"]
    assert refused.value.error_dict["__all__"][0].code == "not_arrived"
    assert not CheckInChange.objects.exists()


def test_a_note_too_long_is_refused_on_its_field(fair, staff):
    services.checkin_arrive(application=fair.apps["sen"], by=staff)

    with pytest.raises(ValidationError) as refused:
        services.checkin_handover(
            application=fair.apps["sen"], by=staff, power_ok=True, furniture_ok=True, fascia_ok=True, note="x" * 1001
        )

    assert list(refused.value.message_dict) == ["note"]
    assert not CheckInChange.objects.filter(action=ACT.HANDOVER).exists()


# --- who may use it ----------------------------------------------------------------------------------------


def test_checkin_pages_need_staff(client, fair):
    urls = [
        en("vendors:checkin", slug="vsip"),
        en("vendors:checkin_progress", slug="vsip"),
        en("vendors:checkin_detail", slug="vsip", pk=fair.apps["sen"].pk),
    ]
    for url in urls:
        assert client.get(url).url.startswith("/en/account/login/")
    client.force_login(factories.UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(en("vendors:checkin_arrive", slug="vsip", pk=fair.apps["sen"].pk)).status_code == 403
    assert not CheckIn.objects.exists()


def test_a_participant_of_another_fair_answers_404(staff_client, fair):
    other = exhibitor(factories.EventFactory(slug="khac"), "Công ty Nơi Khác")

    assert staff_client.get(en("vendors:checkin_detail", slug="vsip", pk=other.pk)).status_code == 404
    assert staff_client.post(en("vendors:checkin_arrive", slug="vsip", pk=other.pk)).status_code == 404


# --- the pages ---------------------------------------------------------------------------------------------


def _results(response) -> list[str]:
    html = response.content.decode()
    if 'id="checkin-results"' not in html:
        return []
    block = html.split('id="checkin-results"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="fw-semibold[^"]*" href="[^"]+">([^<]+)</a>', block)


@pytest.mark.parametrize("query", ["dong thap", "ĐỒNG THÁP", "Đồng Tháp", "a02", "A02"])
def test_search_by_name_ignoring_accents_or_by_booth_code(staff_client, fair, query):
    response = staff_client.get(en("vendors:checkin", slug="vsip"), {"q": query})

    assert _results(response) == ["Hợp tác xã Sen Đồng Tháp"]


def test_search_shows_only_approved_participants_and_says_when_none(staff_client, fair):
    response = staff_client.get(en("vendors:checkin", slug="vsip"), {"q": "Chờ Duyệt"})

    assert _results(response) == []
    assertContains(response, "No approved participant of this fair has this name or booth.")


def test_arrive_from_the_results_goes_back_to_the_search(staff_client, fair, staff):
    search = en("vendors:checkin", slug="vsip") + "?q=sen"
    url = en("vendors:checkin_arrive", slug="vsip", pk=fair.apps["sen"].pk)

    first = staff_client.post(url, {"next": search})
    second = staff_client.post(url, {"next": search}, follow=True)

    assertRedirects(first, search, fetch_redirect_response=False)
    assertContains(second, "Hợp tác xã Sen Đồng Tháp was already checked in; nothing changed.")
    assertInHTML('<span class="badge text-bg-success" data-field="arrived">Arrived</span>', second.content.decode())
    assert CheckIn.objects.get().arrived_by == staff


def test_arrive_refuses_a_redirect_to_another_site(staff_client, fair):
    response = staff_client.post(
        en("vendors:checkin_arrive", slug="vsip", pk=fair.apps["sen"].pk), {"next": "https://evil.example/"}
    )

    assert response.url == en("vendors:checkin_detail", slug="vsip", pk=fair.apps["sen"].pk)


def test_not_arrived_yet_by_zone_in_booth_order(staff_client, fair, staff):
    services.checkin_arrive(application=fair.apps["gao"], by=staff)

    response = staff_client.get(en("vendors:checkin", slug="vsip"))
    data = staff_client.get(en("vendors:checkin_progress", slug="vsip")).json()

    assertContains(response, "1 of 4 participants arrived")
    assert data == {
        "arrived": 1,
        "total": 4,
        "zones": [
            {
                "code": "A",
                "name": "Khu OCOP",
                "arrived": 0,
                "total": 2,
                "pending": [
                    {
                        "id": fair.apps["mam"].pk,
                        "name": "Công ty Nước mắm Cát Hải",
                        "sign": fair.apps["mam"].vendor.short_name,
                        "booths": ["A01"],
                    },
                    {
                        "id": fair.apps["sen"].pk,
                        "name": "Hợp tác xã Sen Đồng Tháp",
                        "sign": fair.apps["sen"].vendor.short_name,
                        "booths": ["A02"],
                    },
                ],
            },
            {"code": "B", "name": "Khu nông sản", "arrived": 1, "total": 1, "pending": []},
            {
                "code": "",
                "name": "No booth yet",
                "arrived": 0,
                "total": 1,
                "pending": [
                    {
                        "id": fair.apps["none"].pk,
                        "name": "Công ty Chưa Có Gian",
                        "sign": fair.apps["none"].vendor.short_name,
                        "booths": [],
                    }
                ],
            },
        ],
    }


def test_live_list_is_refreshed_by_a_static_script_not_inline(staff_client, fair):
    html = staff_client.get(en("vendors:checkin", slug="vsip")).content.decode()

    assert '<script src="/static/js/checkin.js" defer></script>' in html
    assert 'data-progress-url="/en/staff/fairs/vsip/checkin/progress/"' in html
    assert 'data-poll-seconds="5"' in html
    assert "<script>" not in html


def test_progress_json_is_never_cached(staff_client, fair):
    response = staff_client.get(en("vendors:checkin_progress", slug="vsip"))

    assert "no-cache" in response["Cache-Control"]


def test_detail_page_records_the_handover_and_shows_the_history(staff_client, fair, staff):
    application = fair.apps["sen"]
    staff_client.post(en("vendors:checkin_arrive", slug="vsip", pk=application.pk))

    response = staff_client.post(
        en("vendors:checkin_handover", slug="vsip", pk=application.pk),
        {"power_ok": "on", "furniture_ok": "on", "note": "Thiếu một ghế"},
        follow=True,
    )

    assertContains(response, "Handover of Hợp tác xã Sen Đồng Tháp recorded.")
    html = response.content.decode()
    history = html.split('id="checkin-history"', 1)[1].split("</ol>", 1)[0]
    assert history.count("<li") == 2
    assert "Handover checklist" in history and "Arrived" in history and "Thiếu một ghế" in history
    assert "✓ power · ✓ table and chairs · ✗ fascia board" in history
    assert "can.bo.le.tan" in history


def test_handover_before_arrival_shows_the_reason_on_the_page(staff_client, fair):
    response = staff_client.post(
        en("vendors:checkin_handover", slug="vsip", pk=fair.apps["sen"].pk), {"power_ok": "on"}
    )

    assert response.status_code == 400
    assertContains(response, "Check the participant in first: the handover is recorded on arrival.", status_code=400)
    assert not CheckInChange.objects.exists()


def test_undo_from_the_detail_page(staff_client, fair):
    application = fair.apps["sen"]
    staff_client.post(en("vendors:checkin_arrive", slug="vsip", pk=application.pk))

    response = staff_client.post(
        en("vendors:checkin_undo", slug="vsip", pk=application.pk), {"note": "Nhầm đơn vị"}, follow=True
    )

    assertContains(response, "The check-in of Hợp tác xã Sen Đồng Tháp is undone.")
    assertContains(response, "Not arrived yet")
    assert CheckInChange.objects.get(action=ACT.UNDO).note == "Nhầm đơn vị"


def test_staff_opening_the_booth_sign_qr_code_see_the_checkin_panel(staff_client, fair):
    """The booth sign's QR code is the business's public page; staff see a check-in panel there."""
    application = fair.apps["sen"]
    page = en("vendors:exhibitor", "vsip", application.vendor_id)

    before = staff_client.get(page)
    after = staff_client.post(en("vendors:checkin_arrive", slug="vsip", pk=application.pk), {"next": page}, follow=True)

    assertContains(before, 'id="checkin-arrive"')
    assertContains(after, "Hợp tác xã Sen Đồng Tháp is checked in.")
    assertContains(after, "checked in by can.bo.le.tan")
    assertNotContains(after, 'id="checkin-arrive"')


def test_the_checkin_panel_on_the_public_page_is_only_for_staff_who_may_check_in_at_that_fair(client, fair):
    """Staff of another organiser, and staff of this one whose role does not check in, see the
    public page as any visitor does: no arrival state, no check-in button."""
    page = en("vendors:exhibitor", "vsip", fair.apps["sen"].vendor_id)
    other = factories.OrganiserFactory(name="Hiệp hội Doanh nghiệp Thủy Nguyên")
    floor = factories.StaffUserFactory(role="floor")
    for user in (factories.StaffUserFactory(organiser=other), factories.StaffUserFactory(role="viewer")):
        client.force_login(user)
        response = client.get(page)
        assert response.status_code == 200
        assertNotContains(response, 'id="checkin-panel"')
    client.force_login(floor)
    assertContains(client.get(page), 'id="checkin-arrive"')


def test_the_dashboard_links_to_the_checkin(staff_client, fair):
    html = staff_client.get(en("events:dashboard", slug="vsip")).content.decode()

    link = '<a class="btn btn-outline-primary btn-sm" id="checkin-link" href="/en/staff/fairs/vsip/checkin/">'
    assertInHTML(f"{link}Setup-day check-in</a>", html)


# --- query counts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["home", "search", "progress"])
def test_checkin_query_count_is_the_same_at_10_and_1000_participants(client, db, page):
    client.force_login(factories.StaffUserFactory())
    counts = []
    for n in (10, 1000):
        event = factories.EventFactory(status=E.RUNNING)
        zone = factories.ZoneFactory(event=event, code="K")
        applications = crowd(event, n, zone=zone, booth_type=factories.BoothTypeFactory(event=event))
        CheckIn.objects.bulk_create(CheckIn(application=a) for a in applications[: n // 2])
        url = {
            "home": en("vendors:checkin", slug=event.slug),
            "search": en("vendors:checkin", slug=event.slug) + "?q=dong+hai",
            "progress": en("vendors:checkin_progress", slug=event.slug),
        }[page]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- concurrency (PostgreSQL: real row locks, one connection per thread) ------------------------------------


def _race(application_pk, users, pause):
    """Every user checks the participant in at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(users))
    errors = []
    real = services._locked

    def slow_locked(application):
        checkin = real(application)
        time.sleep(pause)  # widen the window between reading the row and writing the arrival
        return checkin

    def attempt(user):
        try:
            application = Application.objects.get(pk=application_pk)
            barrier.wait()
            services.checkin_arrive(application=application, by=user)
        except Exception as exc:  # anything is a bug the test must show
            errors.append(repr(exc))
        finally:
            connection.close()

    services._locked = slow_locked
    try:
        threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "a check-in hung"
    finally:
        services._locked = real
    return errors


def _unlocked(application):
    """Control: the check-in row created as _locked does, but read without its row lock."""
    CheckIn.objects.bulk_create([CheckIn(application=application)], ignore_conflicts=True)
    return CheckIn.objects.get(application=application)


def _created_if_missing_then_locked(application):
    """Control: the row created after a look (no INSERT … ON CONFLICT DO NOTHING), then locked."""
    if not CheckIn.objects.filter(application=application).exists():
        CheckIn.objects.create(application=application)
    return CheckIn.objects.select_for_update().get(application=application)


def _undone_checkin(application, staff):
    """A row that exists already (the business was checked in by mistake, then undone)."""
    services.checkin_arrive(application=application, by=staff)
    services.checkin_undo(application=application, by=staff)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_checking_in_at_once_record_one_arrival(on_postgres):
    event = factories.EventFactory(status=E.RUNNING)
    application = exhibitor(event, "Hợp tác xã Sen Đồng Tháp")
    staff = factories.StaffUserFactory()
    _undone_checkin(application, staff)
    users = [factories.StaffUserFactory() for _ in range(4)]

    errors = _race(application.pk, users, pause=0.2)

    assert errors == []
    assert CheckInChange.objects.filter(action=ACT.ARRIVE).count() == 2  # the first one, and one of the four
    assert CheckIn.objects.get().arrived_by in users


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_race_records_every_arrival(on_postgres, monkeypatch):
    event = factories.EventFactory(status=E.RUNNING)
    application = exhibitor(event, "Hợp tác xã Sen Đồng Tháp")
    staff = factories.StaffUserFactory()
    _undone_checkin(application, staff)
    users = [factories.StaffUserFactory() for _ in range(4)]
    monkeypatch.setattr(services, "_locked", _unlocked)

    errors = _race(application.pk, users, pause=0.2)

    assert errors == []
    assert CheckInChange.objects.filter(action=ACT.ARRIVE).count() == 1 + len(users)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_first_checkins_at_once_make_one_row_and_one_arrival(on_postgres):
    """No row yet: INSERT … ON CONFLICT DO NOTHING makes one, the lock then serialises the arrivals."""
    event = factories.EventFactory(status=E.RUNNING)
    application = exhibitor(event, "Hợp tác xã Sen Đồng Tháp")
    users = [factories.StaffUserFactory() for _ in range(4)]

    errors = _race(application.pk, users, pause=0.1)

    assert errors == []
    assert CheckIn.objects.count() == 1
    assert CheckInChange.objects.filter(action=ACT.ARRIVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_on_conflict_first_checkins_at_once_fail(on_postgres, monkeypatch):
    """Control: creating the row after looking for it lets the same race reach the unique index, and
    every attempt but one fails with an IntegrityError (a server error for the staff member), so the
    test above proves INSERT … ON CONFLICT DO NOTHING, not luck."""
    event = factories.EventFactory(status=E.RUNNING)
    application = exhibitor(event, "Hợp tác xã Sen Đồng Tháp")
    users = [factories.StaffUserFactory() for _ in range(4)]
    monkeypatch.setattr(services, "_locked", _created_if_missing_then_locked)

    errors = _race(application.pk, users, pause=0.3)

    assert errors and all(error.startswith("IntegrityError(") for error in errors), errors
    assert CheckIn.objects.count() == 1
    assert CheckInChange.objects.filter(action=ACT.ARRIVE).count() == 1


def test_progress_json_is_valid_for_an_empty_fair(staff_client, db):
    factories.EventFactory(slug="trong", status=E.RUNNING)

    data = json.loads(staff_client.get(en("vendors:checkin_progress", slug="trong")).content)

    assert data == {"arrived": 0, "total": 0, "zones": []}
