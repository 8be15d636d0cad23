"""Check-in shows what a participant still owes; a fair that hands booths over only when paid in
full refuses the handover while something is owed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from tests import factories
from vendors.models import Application, CheckInChange, Payment
from vendors.services import checkin as services

A = Application.Status


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(username="can.bo.le.tan")


@pytest.fixture
def owing(db, staff):
    """An approved participant that owes 2.500.000 ₫ (one booth at 5.000.000 ₫, 50 % subsidy) and has arrived."""
    application = factories.ApplicationFactory(status=A.APPROVED, event__handover_requires_full_payment=True)
    services.checkin_arrive(application=application, by=staff)
    return application


def pay(application, amount, staff):
    Payment.objects.create(application=application, amount=amount, paid_on=dt.date(2025, 9, 1), recorded_by=staff)


def handover(application, staff):
    return services.checkin_handover(
        application=application, by=staff, power_ok=True, furniture_ok=True, fascia_ok=True
    )


def test_handover_is_refused_in_vietnamese_while_something_is_owed(owing, staff):
    pay(owing, 1_000_000, staff)
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        handover(owing, staff)
    assert exc.value.message_dict["__all__"] == [
        "Hội chợ này chỉ bàn giao gian hàng khi đã thanh toán đủ: đơn vị còn nợ 1.500.000 ₫. "
        "Hãy ghi nhận khoản thanh toán trước."
    ]
    assert not CheckInChange.objects.filter(action=CheckInChange.Action.HANDOVER).exists()


def test_handover_goes_ahead_once_paid_in_full(owing, staff):
    pay(owing, 2_500_000, staff)
    _checkin, changed = handover(owing, staff)
    assert changed


def test_fair_without_the_setting_hands_over_to_a_participant_who_owes(staff):
    application = factories.ApplicationFactory(status=A.APPROVED)
    services.checkin_arrive(application=application, by=staff)
    _checkin, changed = handover(application, staff)
    assert changed


def test_detail_page_shows_what_is_unpaid_and_the_refusal(client, owing, staff):
    client.force_login(staff)
    url = reverse("vendors:checkin_detail", args=[owing.event.slug, owing.pk])
    with translation.override("vi"):
        response = client.get(url)
    assertContains(response, "2.500.000 ₫")
    assertContains(response, "Còn chưa thanh toán")

    with translation.override("vi"):
        refused = client.post(
            reverse("vendors:checkin_handover", args=[owing.event.slug, owing.pk]), {"power_ok": "on"}
        )
    assertContains(refused, "chỉ bàn giao gian hàng khi đã thanh toán đủ", status_code=400)


def test_detail_page_says_paid_in_full(client, owing, staff):
    pay(owing, 2_500_000, staff)
    client.force_login(staff)
    with translation.override("vi"):
        response = client.get(reverse("vendors:checkin_detail", args=[owing.event.slug, owing.pk]))
    assertContains(response, "Đã thanh toán đủ")
    assert "Còn chưa thanh toán" not in response.content.decode()
