"""Booth self-selection: the rules, changing a choice, the page and its JSON endpoint.
(The concurrency proofs on PostgreSQL are in test_selection_race.py.)"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from booths.models import Assignment, AssignmentChange, Booth
from booths.selectors import selection as selectors
from booths.services.core import BoothTaken
from booths.services.selection import ChoiceTaken, booths_choose
from tests import factories
from vendors.models import Application, VendorMember

APPROVED = Application.Status.APPROVED


def en(name, **kwargs):
    """A URL of the English interface, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def member_of(vendor):
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=user, role=VendorMember.Role.OWNER)
    return user


class Hall:
    """A fair that lets businesses pick booths.

    Zone A (every category): row A is A01–A06 side by side (3 m apart), then the blocked X01 and,
    after it, A07; row B is B01–B03; D01 is a double booth. Zone C takes only machinery: C01, C02.
    """

    def __init__(self, **event_fields):
        self.event = factories.EventFactory(
            name="Tuần hàng Việt Nam VSIP Thủy Nguyên", slug="vsip-2024", allow_self_selection=True, **event_fields
        )
        self.zone_a = factories.ZoneFactory(event=self.event, code="A", name="Khu OCOP", position=1)
        self.zone_c = factories.ZoneFactory(event=self.event, code="C", name="Khu cơ khí", position=2)
        self.machines = factories.CategoryFactory(name="Cơ khí", slug="co-khi")
        self.food = factories.CategoryFactory(name="Thực phẩm chế biến", slug="thuc-pham-che-bien")
        self.zone_c.categories.set([self.machines])
        self.standard = factories.BoothTypeFactory(event=self.event, code="std", name="Gian tiêu chuẩn")
        self.double = factories.BoothTypeFactory(
            event=self.event, code="double", name="Gian đôi", width_m=6, is_standard=False
        )
        self.booths = {}
        for i in range(6):
            self._booth(f"A0{i + 1}", self.zone_a, "A", x=3 * i, y=0)
        self._booth("X01", self.zone_a, "A", x=18, y=0, blocked=True, blocked_reason="Cột")
        self._booth("A07", self.zone_a, "A", x=21, y=0)
        for i in range(3):
            self._booth(f"B0{i + 1}", self.zone_a, "B", x=3 * i, y=6)
        self._booth("D01", self.zone_a, "D", x=0, y=12, width=6, booth_type=self.double)
        self._booth("C01", self.zone_c, "C", x=0, y=20)
        self._booth("C02", self.zone_c, "C", x=3, y=20)

    def _booth(self, code, zone, row, *, booth_type=None, **fields):
        self.booths[code] = factories.BoothFactory(
            event=self.event, zone=zone, booth_type=booth_type or self.standard, code=code, row=row, **fields
        )

    def __getitem__(self, code) -> Booth:
        return self.booths[code]

    def business(self, *, booths_requested=1, status=APPROVED, booth_type="standard", categories=None):
        """An application of a new business with one account: (application, user)."""
        application = factories.ApplicationFactory(
            event=self.event,
            status=status,
            booths_requested=booths_requested,
            booth_type=getattr(self, booth_type) if booth_type else None,
        )
        application.categories.set(categories if categories is not None else [self.food])
        return application, member_of(application.vendor)


@pytest.fixture
def hall(db):
    return Hall()


@pytest.fixture
def business(hall):
    return hall.business()


def choose(application, *codes, hall, by=None):
    with translation.override("en"):
        return booths_choose(application=application, booths=[hall[c] for c in codes], by=by)


def refusal(application, *codes, hall) -> str:
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        booths_choose(application=application, booths=[hall[c] for c in codes])
    assert not isinstance(exc.value, BoothTaken)
    return exc.value.messages[0]


def active_codes(application) -> list[str]:
    return sorted(
        Assignment.objects.filter(application=application, status__in=Assignment.ACTIVE).values_list(
            "booth__code", flat=True
        )
    )


# --- the service: rules -------------------------------------------------------------------


def test_booths_choose_gives_a_free_booth_held_and_chosen_by_the_participant(hall, business):
    application, user = business
    [assignment] = choose(application, "A03", hall=hall, by=user)
    stored = Assignment.objects.get(pk=assignment.pk)
    assert (stored.booth.code, stored.status, stored.source, stored.created_by) == (
        "A03",
        Assignment.Status.HELD,
        Assignment.Source.SELF,
        user,
    )
    change = AssignmentChange.objects.get(application=application)
    assert (change.action, change.from_booth, change.to_booth, change.changed_by, change.event) == (
        AssignmentChange.Action.ASSIGN,
        None,
        hall["A03"],
        user,
        hall.event,
    )


def test_booths_choose_takes_two_booths_side_by_side(hall):
    application, user = hall.business(booths_requested=2)
    assignments = choose(application, "A03", "A02", hall=hall, by=user)
    assert [a.booth.code for a in assignments] == ["A02", "A03"]
    assert active_codes(application) == ["A02", "A03"]


@pytest.mark.parametrize(
    "codes",
    [
        ("A01", "A03"),  # a gap between them
        ("A06", "A07"),  # the blocked X01 stands between them
        ("A03", "B03"),  # two rows
        ("B03", "C01"),  # two zones
    ],
)
def test_booths_choose_refuses_booths_not_side_by_side_in_one_row(hall, codes):
    application, _ = hall.business(booths_requested=2, categories=[hall.food, hall.machines])
    message = refusal(application, *codes, hall=hall)
    assert message == "Your 2 booths must be side by side in one row of one zone."
    assert not Assignment.objects.exists()


def test_booths_choose_refuses_a_different_number_of_booths(hall):
    application, _ = hall.business(booths_requested=2)
    assert refusal(application, "A01", hall=hall) == ("You were approved for 2 booths: choose exactly 2 (you chose 1).")
    single, _ = hall.business()
    assert refusal(single, "A01", "A02", hall=hall) == "You were approved for 1 booth: choose exactly 1 (you chose 2)."


def test_booths_choose_refuses_a_booth_of_another_type(hall, business):
    application, _ = business
    assert refusal(application, "D01", hall=hall) == (
        "Booth D01 is not a “Gian tiêu chuẩn” booth, the type you were approved for."
    )


def test_booths_choose_takes_any_type_when_the_application_names_none(hall):
    application, _ = hall.business(booth_type=None)
    assert [a.booth.code for a in choose(application, "D01", hall=hall)] == ["D01"]


def test_booths_choose_refuses_booths_of_two_types_when_the_application_names_none(hall):
    hall._booth("D02", hall.zone_a, "D", x=6, y=12)  # a standard booth right after the double D01
    application, _ = hall.business(booths_requested=2, booth_type=None)
    assert refusal(application, "D01", "D02", hall=hall) == "Your 2 booths must all be of one booth type."
    with pytest.raises(ValidationError) as exc:  # in Vietnamese, the default language
        booths_choose(application=application, booths=[hall["D02"], hall["D01"]])
    assert exc.value.messages == ["2 gian của bạn phải cùng một loại gian."]
    assert not Assignment.objects.exists()
    assert [a.booth.code for a in choose(application, "A01", "A02", hall=hall)] == ["A01", "A02"]


def test_booths_choose_refuses_two_types_as_another_type_when_the_application_names_one(hall):
    hall._booth("D02", hall.zone_a, "D", x=6, y=12)
    application, _ = hall.business(booths_requested=2)
    assert refusal(application, "D01", "D02", hall=hall) == (
        "Booth D01 is not a “Gian tiêu chuẩn” booth, the type you were approved for."
    )


def test_booths_choose_refuses_a_zone_that_does_not_take_the_categories(hall, business):
    application, _ = business
    assert refusal(application, "C01", hall=hall) == (
        "Booth C01 is in the zone “Khu cơ khí”, which does not take your product categories."
    )
    maker, _ = hall.business(categories=[hall.machines])
    assert [a.booth.code for a in choose(maker, "C01", hall=hall)] == ["C01"]


def test_booths_choose_refuses_a_blocked_booth(hall, business):
    application, _ = business
    assert refusal(application, "X01", hall=hall) == "Booth X01 is blocked and cannot be chosen."


def test_booths_choose_refuses_a_booth_of_another_fair(hall, business):
    application, _ = business
    elsewhere = factories.BoothFactory(code="A01")
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        booths_choose(application=application, booths=[elsewhere])
    assert exc.value.messages == [
        "One of the booths you chose is not on this fair's plan; reload the page and choose again."
    ]


def test_booths_choose_refuses_after_the_deadline(db):
    hall = Hall(selection_closes_at=timezone.make_aware(dt.datetime(2024, 3, 5, 17, 30)))
    application, _ = hall.business()
    assert refusal(application, "A01", hall=hall) == "The booth choice for this fair closed on 05/03/2024 17:30."


def test_booths_choose_deadline_is_registration_close_when_none_is_set(hall, business):
    application, _ = business
    hall.event.registration_opens_at = timezone.now() - dt.timedelta(days=20)
    hall.event.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    hall.event.save()
    application.refresh_from_db()
    assert refusal(application, "A01", hall=hall).startswith("The booth choice for this fair closed on ")


def test_booths_choose_refuses_an_application_not_approved(hall):
    application, _ = hall.business(status=Application.Status.SUBMITTED)
    assert refusal(application, "A01", hall=hall) == (
        "You can choose your booth once your application is approved; it is “Submitted” now."
    )


def test_booths_choose_refuses_when_the_fair_does_not_let_participants_choose(hall, business):
    application, _ = business
    hall.event.allow_self_selection = False
    hall.event.save()
    assert refusal(application, "A01", hall=hall) == (
        "At this fair the organisers allocate the booths; participants do not choose them."
    )


def test_booths_choose_refuses_a_booth_another_business_holds(hall, business):
    application, _ = business
    other, _ = hall.business()
    choose(other, "A01", hall=hall)
    with pytest.raises(ChoiceTaken) as exc, translation.override("en"):
        booths_choose(application=application, booths=[hall["A01"]])
    assert exc.value.messages == ["Booth A01 was just taken by another participant."]
    assert active_codes(application) == []
    assert active_codes(other) == ["A01"]


def test_booths_choose_refuses_to_move_pinned_booths(hall, business):
    application, _ = business
    factories.AssignmentFactory(booth=hall["A01"], application=application, pinned=True)
    assert refusal(application, "A02", hall=hall) == (
        "The organisers have fixed your booths (A01); contact them if you need a change."
    )


# --- changing the choice ------------------------------------------------------------------


def test_booths_choose_again_releases_the_old_booth_and_records_the_move(hall, business):
    application, user = business
    [first] = choose(application, "A01", hall=hall, by=user)
    [second] = choose(application, "A04", hall=hall, by=user)
    first.refresh_from_db()
    assert (first.status, first.released_by) == (Assignment.Status.RELEASED, user)
    assert first.released_at is not None
    assert (second.booth.code, second.status) == ("A04", Assignment.Status.HELD)
    move = AssignmentChange.objects.filter(application=application).first()
    assert (move.action, move.from_booth.code, move.to_booth.code, move.changed_by) == (
        AssignmentChange.Action.MOVE,
        "A01",
        "A04",
        user,
    )
    # The released booth is free again for someone else.
    other, _ = hall.business()
    assert [a.booth.code for a in choose(other, "A01", hall=hall)] == ["A01"]


def test_booths_choose_again_keeps_a_booth_that_stays_chosen(hall):
    application, user = hall.business(booths_requested=2)
    kept_before = {a.booth.code: a.pk for a in choose(application, "A01", "A02", hall=hall, by=user)}
    after = {a.booth.code: a.pk for a in choose(application, "A02", "A03", hall=hall, by=user)}
    assert after["A02"] == kept_before["A02"]
    assert active_codes(application) == ["A02", "A03"]
    changes = [
        (c.action, c.from_booth and c.from_booth.code, c.to_booth.code)
        for c in AssignmentChange.objects.filter(application=application).order_by("id")
    ]
    assert changes == [("assign", None, "A01"), ("assign", None, "A02"), ("move", "A01", "A03")]


def test_booths_choose_the_same_booths_again_changes_nothing(hall, business):
    application, _ = business
    [first] = choose(application, "A01", hall=hall)
    [again] = choose(application, "A01", hall=hall)
    assert again.pk == first.pk
    assert AssignmentChange.objects.filter(application=application).count() == 1


def test_booths_choose_a_taken_booth_keeps_the_old_choice(hall, business):
    """All or nothing: a change that fails leaves the business with the booth it had."""
    application, _ = business
    choose(application, "A01", hall=hall)
    other, _ = hall.business()
    choose(other, "A04", hall=hall)
    with pytest.raises(BoothTaken):
        choose(application, "A04", hall=hall)
    assert active_codes(application) == ["A01"]
    assert AssignmentChange.objects.filter(application=application).count() == 1


# --- the page -----------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, business):
    client.force_login(business[1])
    return client


def test_select_page_lists_the_booths_the_business_may_pick_by_zone_and_row(hall, business, logged_in):
    application, _ = business
    other, _ = hall.business()
    choose(other, "A05", hall=hall)
    choose(application, "A02", hall=hall)
    response = logged_in.get(en("booths:select", slug="vsip-2024"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose your booth" in html
    offered = [b for b in hall.booths if f'data-pick="{b}"' in html]
    # Not the blocked X01, not A05 (taken), not the double D01, not zone C (machinery only).
    assert offered == ["A01", "A02", "A03", "A04", "A06", "A07", "B01", "B02", "B03"]
    assert html.index("Row A") < html.index('data-pick="A01"') < html.index("Row B") < html.index('data-pick="B01"')
    assert f'value="{hall["A02"].pk}" id="booth-{hall["A02"].pk}" autocomplete="off" checked' in html
    assert 'data-booth="{}">A02 · Khu OCOP</li>'.format(hall["A02"].pk) in html
    assert 'type="radio"' in html
    assert "You were approved for 1 booth of the type “Gian tiêu chuẩn”." in html


def test_select_page_shows_the_hall_plan_in_pick_mode(hall, business, logged_in):
    application, _ = business
    choose(application, "A02", hall=hall)
    html = logged_in.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert f'class="booth booth-free booth-pickable" data-booth-id="{hall["A01"].pk}"' in html
    assert f'class="booth booth-assigned booth-own booth-pickable" data-booth-id="{hall["A02"].pk}"' in html
    assert f'class="booth booth-free" data-booth-id="{hall["C01"].pk}"' in html  # zone C does not take food
    assert f'class="booth booth-blocked" data-booth-id="{hall["X01"].pk}"' in html
    assert "js/map.js" in html and "js/selection.js" in html


def test_select_page_uses_check_boxes_for_several_booths(hall, client):
    application, user = hall.business(booths_requested=2)
    client.force_login(user)
    html = client.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert 'type="checkbox"' in html and 'type="radio"' not in html


def test_select_page_asks_for_one_booth_type_when_the_application_names_none(hall, client):
    application, user = hall.business(booths_requested=2, booth_type=None)
    client.force_login(user)
    html = client.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert (
        "You were approved for 2 booths; choose them side by side in one row of one zone, all of one booth type."
        in html
    )
    assert "choose them side by side in one row of one zone" in html


def test_select_page_post_chooses_and_says_which_booths(hall, business, logged_in):
    application, user = business
    response = logged_in.post(en("booths:select", slug="vsip-2024"), {"booths": [hall["A03"].pk]}, follow=True)
    assert response.redirect_chain == [(en("booths:select", slug="vsip-2024"), 302)]
    assert "Your booth is now A03." in response.content.decode()
    assert active_codes(application) == ["A03"]
    assert Assignment.objects.get(application=application).created_by == user


def test_select_page_post_of_a_taken_booth_says_just_taken_and_shows_the_free_ones(hall, business, logged_in):
    application, _ = business
    other, _ = hall.business()
    choose(other, "A03", hall=hall)
    response = logged_in.post(en("booths:select", slug="vsip-2024"), {"booths": [hall["A03"].pk]}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Booth A03 was just taken by another participant. Choose again from the booths still free below." in html
    assert 'data-pick="A03"' not in html
    assert 'data-pick="A04"' in html
    assert active_codes(application) == []


def test_select_page_post_of_an_invalid_choice_explains_and_keeps_the_ticks(hall, client):
    application, user = hall.business(booths_requested=2)
    client.force_login(user)
    response = client.post(en("booths:select", slug="vsip-2024"), {"booths": [hall["A01"].pk, hall["A04"].pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your 2 booths must be side by side in one row of one zone." in html
    assert f'value="{hall["A04"].pk}" id="booth-{hall["A04"].pk}" autocomplete="off" checked' in html
    assert not Assignment.objects.exists()


def test_select_page_post_without_a_booth_asks_for_one(hall, business, logged_in):
    response = logged_in.post(en("booths:select", slug="vsip-2024"), {})
    assert "Choose a booth first." in response.content.decode()


def test_select_page_after_the_deadline_shows_why_and_no_form(db, client):
    hall = Hall(selection_closes_at=timezone.make_aware(dt.datetime(2024, 3, 5, 17, 30)))
    application, user = hall.business()
    factories.AssignmentFactory(booth=hall["A01"], application=application)
    client.force_login(user)
    html = client.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert "The booth choice for this fair closed on 05/03/2024 17:30." in html
    assert 'id="selection-form"' not in html
    assert "A01 · Khu OCOP" in html
    response = client.post(en("booths:select", slug="vsip-2024"), {"booths": [hall["A02"].pk]})
    assert "The booth choice for this fair closed on 05/03/2024 17:30." in response.content.decode()
    assert active_codes(application) == ["A01"]


def test_select_page_for_a_fair_without_self_selection_says_so(hall, business, logged_in):
    hall.event.allow_self_selection = False
    hall.event.save()
    html = logged_in.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert "At this fair the organisers allocate the booths; participants do not choose them." in html
    assert 'id="selection-form"' not in html


def test_select_page_without_free_booths_says_so(hall, business, logged_in):
    Booth.objects.filter(zone=hall.zone_a).update(blocked=True)
    html = logged_in.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert "No free booth fits your application right now." in html


def test_select_page_lists_the_business_booths_with_zone_and_confirmation(hall, business, logged_in):
    application, _ = business
    choose(application, "A02", hall=hall)
    html = logged_in.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert "A02 · Khu OCOP</li>" in html
    Assignment.objects.filter(application=application).update(status=Assignment.Status.CONFIRMED)
    html = logged_in.get(en("booths:select", slug="vsip-2024")).content.decode()
    assert "A02 · Khu OCOP · confirmed</li>" in html


def test_select_pages_answer_404_to_a_business_without_an_application_there(hall, business, client):
    """Another business cannot see or act on the application: its lookup is by its own business."""
    application, _ = business
    stranger = factories.VendorFactory()
    client.force_login(member_of(stranger))
    booth_ids = [hall["A01"].pk]
    assert client.get(en("booths:select", slug="vsip-2024")).status_code == 404
    assert client.post(en("booths:select", slug="vsip-2024"), {"booths": booth_ids}).status_code == 404
    assert client.get(en("booths:select_api", slug="vsip-2024")).status_code == 404
    response = client.post(
        en("booths:select_api", slug="vsip-2024"), json.dumps({"booth_ids": booth_ids}), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_select_page_sends_anonymous_visitors_to_login(hall, client):
    url = en("booths:select", slug="vsip-2024")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(en("vendors:login"))


def test_select_page_answers_404_for_an_unknown_fair(business, logged_in):
    assert logged_in.get(en("booths:select", slug="no-such-fair")).status_code == 404


# --- the JSON endpoint --------------------------------------------------------------------


def post_json(client, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(en("booths:select_api", slug="vsip-2024"), data, content_type="application/json", **extra)


def test_select_api_get_lists_free_booths_and_mine(hall, business, logged_in):
    application, _ = business
    choose(application, "B02", hall=hall)
    data = logged_in.get(en("booths:select_api", slug="vsip-2024")).json()
    assert data["ok"] is True and data["can_choose"] is True and data["refusal"] is None
    assert data["needed"] == 1
    assert data["mine"] == [{"id": hall["B02"].pk, "code": "B02", "zone": hall.zone_a.pk, "row": "B"}]
    assert data["free_fields"] == ["id", "code", "zone", "row"]
    assert [b[1] for b in data["free"]] == ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "B01", "B03"]
    assert data["free"][0] == [hall["A01"].pk, "A01", hall.zone_a.pk, "A"]
    assert data["zones"] == [{"id": hall.zone_a.pk, "code": "A", "name": "Khu OCOP"}]


def test_select_api_post_chooses(hall, business, logged_in):
    application, _ = business
    response = post_json(logged_in, {"booth_ids": [hall["A06"].pk]})
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "booths": [{"id": hall["A06"].pk, "code": "A06", "zone": hall.zone_a.pk, "row": "A"}],
        "message": "Your booth is now A06.",
    }
    assert active_codes(application) == ["A06"]


def test_a_choice_and_a_change_of_it_update_what_the_business_owes(hall, business, logged_in):
    """The choice stores the amount due from the booth taken (the endpoint passes the application it
    read under its lock to the recompute), and a later change of booth type is charged at once."""
    from vendors.models import AmountDue

    application, _ = business
    hall.event.booth_fee, hall.event.subsidy_percent = 3_000_000, 50
    hall.event.save(update_fields=["booth_fee", "subsidy_percent"])
    hall.double.price = 8_000_000
    hall.double.save(update_fields=["price"])

    assert post_json(logged_in, {"booth_ids": [hall["A06"].pk]}).status_code == 200
    owed = AmountDue.objects.get(application=application)
    assert (owed.from_assigned, owed.booths, owed.fee, owed.subsidy, owed.due) == (
        True,
        1,
        3_000_000,
        1_500_000,
        1_500_000,
    )
    assert [line["name"] for line in owed.lines] == ["Gian tiêu chuẩn"]

    Application.objects.filter(pk=application.pk).update(booth_type=hall.double)
    assert post_json(logged_in, {"booth_ids": [hall["D01"].pk]}).status_code == 200
    owed.refresh_from_db()
    assert (owed.fee, owed.subsidy, owed.due) == (8_000_000, 4_000_000, 4_000_000)
    assert [line["name"] for line in owed.lines] == ["Gian đôi"]


def test_select_api_post_of_a_taken_booth_answers_409(hall, business, logged_in):
    other, _ = hall.business()
    choose(other, "A06", hall=hall)
    response = post_json(logged_in, {"booth_ids": [hall["A06"].pk]})
    assert response.status_code == 409
    assert response.json() == {
        "ok": False,
        "error": "Booth A06 was just taken by another participant.",
        "code": "taken",
    }


def test_select_api_post_of_an_invalid_choice_answers_400(hall, business, logged_in):
    response = post_json(logged_in, {"booth_ids": [hall["X01"].pk]})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "Booth X01 is blocked and cannot be chosen.", "code": "invalid"}


def test_select_api_post_after_the_deadline_answers_400_with_the_reason(hall, business, logged_in):
    hall.event.selection_closes_at = timezone.make_aware(dt.datetime(2024, 3, 5, 17, 30))
    hall.event.save()
    response = post_json(logged_in, {"booth_ids": [hall["A01"].pk]})
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "The booth choice for this fair closed on 05/03/2024 17:30.",
        "code": "invalid",
        "reason": "closed",
    }


@pytest.mark.parametrize("body", ["not json", {"booths": [1]}, {"booth_ids": "1"}, {"booth_ids": [True]}, [1]])
def test_select_api_post_of_a_malformed_body_answers_400(hall, business, logged_in, body):
    response = post_json(logged_in, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Assignment.objects.exists()


def test_select_api_answers_404_to_a_stranger_even_for_a_malformed_body(hall, business, client):
    """The body is checked only for an account whose business applied: a stranger learns nothing."""
    client.force_login(member_of(factories.VendorFactory()))
    assert post_json(client, "not json").status_code == 404
    assert post_json(client, {"booth_ids": []}).status_code == 404


def test_select_api_answers_404_to_an_account_without_a_business(hall, business, client):
    """The endpoint looks the application up by the account: none without a business profile."""
    client.force_login(factories.UserFactory())
    assert client.get(en("booths:select_api", slug="vsip-2024")).status_code == 404
    assert post_json(client, {"booth_ids": [hall["A01"].pk]}).status_code == 404
    assert not Assignment.objects.exists()


def test_select_api_sends_anonymous_visitors_to_login(hall, client):
    response = client.get(en("booths:select_api", slug="vsip-2024"))
    assert response.status_code == 302
    assert response.url.startswith(en("vendors:login"))
    assert post_json(client, {"booth_ids": [hall["A01"].pk]}).status_code == 302
    assert not Assignment.objects.exists()


def test_select_api_post_needs_the_csrf_token(hall, business):
    _, user = business
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert post_json(client, {"booth_ids": [hall["A01"].pk]}).status_code == 403
    client.get(en("booths:select", slug="vsip-2024"))
    token = client.cookies["csrftoken"].value
    response = post_json(client, {"booth_ids": [hall["A01"].pk]}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


# --- the application read in one plain statement -------------------------------------------


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("booth_type", ["standard", None])
def test_application_with_fair_builds_what_the_orm_builds(hall, booth_type):
    """The choice endpoint's one-statement read gives the same application, fair and booth type as
    a queryset: every field, with its type (the fair's deadlines as aware datetimes on SQLite too)."""
    application, user = hall.business(booth_type=booth_type)
    expected = Application.objects.select_related("event", "booth_type").get(pk=application.pk)
    for found in (
        selectors.application_with_fair(pk=application.pk),
        selectors.application_with_fair(user=user, slug="vsip-2024"),
    ):
        assert _fields(found) == _fields(expected)
        assert _fields(found.event) == _fields(expected.event)
        assert found.event.booth_choice_deadline.tzinfo is not None
        if booth_type:
            assert _fields(found.booth_type) == _fields(expected.booth_type)
        else:
            assert found.booth_type is None
    assert selectors.application_with_fair(user=user, slug="another-fair") is None
    stranger = member_of(factories.VendorFactory())
    assert selectors.application_with_fair(user=stranger, slug="vsip-2024") is None


# --- fixed number of queries --------------------------------------------------------------


def _many_booths(hall, n):
    """n more free booths in zone A, rows of 20."""
    Booth.objects.bulk_create(
        Booth(
            event=hall.event,
            zone=hall.zone_a,
            booth_type=hall.standard,
            code=f"M{i:04d}",
            row=f"M{i // 20}",
            x=Decimal(3 * (i % 20)),
            y=Decimal(30 + 4 * (i // 20)),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [10, 1200])
def test_select_page_query_count_does_not_grow(hall, business, logged_in, n, django_assert_num_queries):
    _many_booths(hall, n)
    choose(business[0], "A01", hall=hall)
    # session, user, business, application, zones with their categories, the application's categories
    # (a zone names some), mine, booths, holders; the map: 6
    with django_assert_num_queries(15):
        response = logged_in.get(en("booths:select", slug="vsip-2024"))
    assert response.content.decode().count('name="booths"') == 10 + n


@pytest.mark.parametrize("n", [10, 1200])
def test_select_api_query_count_does_not_grow(hall, business, logged_in, n, django_assert_num_queries):
    _many_booths(hall, n)
    # as the page, without the map and the business (the application is looked up by the account)
    with django_assert_num_queries(8):
        response = logged_in.get(en("booths:select_api", slug="vsip-2024"))
    assert len(response.json()["free"]) == 10 + n
