"""What an application owes (issue 20 item 1): fee by booth type, subsidy, deposit and balance with
their deadlines, recomputed when booths or fees change; the data migration that filled it from the
fair's old fields; the fee schedule's checks; the dashboard and review page that show it."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import translation

from booths.services.core import assignment_release, booth_assign
from events.fees import deposit_part, fee_schedule_errors
from events.models import OrganiserBankAccount
from tests import factories
from tests.vendors._applying_support import Fair, en
from vendors.models import AmountDue, Application
from vendors.services.amounts import recompute_amount_due, recompute_amounts_due
from vendors.services.core import application_transition

A = Application.Status
fill_migration = importlib.import_module("vendors.migrations.0013_amount_due")


@pytest.fixture
def event(db):
    """5.000.000 ₫ a booth with a 50 % subsidy; a standard type without a fee of its own and a
    corner type at 8.000.000 ₫."""
    event = factories.EventFactory(booth_fee=5_000_000, subsidy_percent=50)
    event.standard = factories.BoothTypeFactory(event=event, code="std", name="Gian tiêu chuẩn")
    event.corner = factories.BoothTypeFactory(
        event=event, code="goc", name="Gian góc", price=8_000_000, is_standard=False
    )
    event.zone = factories.ZoneFactory(event=event, code="A")
    return event


def booth(event, code, booth_type):
    return factories.BoothFactory(event=event, zone=event.zone, booth_type=booth_type, code=code)


def owed(application) -> AmountDue:
    return AmountDue.objects.get(application=application)


def test_amount_counts_requested_booths_at_the_requested_type_before_assignment(event):
    application = factories.ApplicationFactory(event=event, booths_requested=2, booth_type=event.corner)

    row = owed(application)

    assert (row.booths, row.from_assigned, row.fee, row.subsidy, row.due) == (
        2,
        False,
        16_000_000,
        8_000_000,
        8_000_000,
    )


def test_amount_counts_assigned_booths_of_mixed_types_at_their_own_fees(event):
    application = factories.ApplicationFactory(event=event, status=A.APPROVED, booths_requested=1)
    for code, booth_type in (("A1", event.standard), ("A2", event.standard), ("A3", event.corner)):
        booth_assign(booth=booth(event, code, booth_type), application=application)

    row = owed(application)

    # 2 × 5.000.000 + 1 × 8.000.000 = 18.000.000, half of it subsidised.
    assert [(line["name"], line["count"], line["fee"]) for line in row.lines] == [
        ("Gian tiêu chuẩn", 2, 5_000_000),
        ("Gian góc", 1, 8_000_000),
    ]
    assert (row.booths, row.from_assigned, row.fee, row.subsidy, row.due) == (3, True, 18_000_000, 9_000_000, 9_000_000)


def test_releasing_a_booth_lowers_the_amount(event):
    application = factories.ApplicationFactory(event=event, status=A.APPROVED, booths_requested=2)
    booth_assign(booth=booth(event, "A1", event.standard), application=application)
    corner = booth_assign(booth=booth(event, "A2", event.corner), application=application)
    assert owed(application).due == 6_500_000

    assignment_release(assignment=corner)

    assert owed(application).due == 2_500_000


def test_changing_a_booth_types_fee_is_recomputed_for_its_holders(event, admin_client):
    application = factories.ApplicationFactory(event=event, status=A.APPROVED)
    booth_assign(booth=booth(event, "A1", event.corner), application=application)
    assert owed(application).due == 4_000_000

    response = admin_client.post(
        f"/admin/events/boothtype/{event.corner.pk}/change/",
        {
            "event": event.pk,
            "code": "goc",
            "name": "Gian góc",
            "width_m": "3",
            "depth_m": "3",
            "price": "10000000",
            "equipment": "",
        },
    )

    assert response.status_code == 302
    assert owed(application).due == 5_000_000


def test_approval_computes_deposit_balance_and_deadlines(event):
    event.deposit_percent, event.deposit = 30, 0
    event.deposit_due_on, event.balance_due_on = dt.date(2026, 1, 5), dt.date(2026, 1, 20)
    event.save()
    application = factories.ApplicationFactory(event=event, booths_requested=3)  # 3 × 2.500.000 due

    application_transition(application=application, to_status=A.APPROVED)

    row = owed(application)
    assert (row.due, row.deposit, row.deposit_due_on, row.balance, row.balance_due_on) == (
        7_500_000,
        2_250_000,
        dt.date(2026, 1, 5),
        5_250_000,
        dt.date(2026, 1, 20),
    )


@pytest.mark.parametrize(
    ("due", "percent", "deposit"),
    [
        (3_333_333, 30, 1_000_000),  # 999.999,9 → 1.000.000
        (1_000_005, 50, 500_003),  # 500.002,5: half up
        (1_000_003, 50, 500_002),  # 500.001,5: half up
        (1_000_001, 10, 100_000),  # 100.000,1 → 100.000
        (2_500_000, 100, 2_500_000),
    ],
)
def test_deposit_share_is_rounded_half_up_to_the_dong(db, due, percent, deposit):
    event = factories.EventFactory.build(deposit=0, deposit_percent=percent)
    assert deposit_part(due, event) == deposit


def test_a_fixed_deposit_is_never_more_than_is_due(db):
    event = factories.EventFactory.build(deposit=3_000_000, deposit_percent=None)
    assert (deposit_part(2_500_000, event), deposit_part(7_500_000, event)) == (2_500_000, 3_000_000)


def test_changing_the_fairs_fees_recomputes_every_application(event):
    applications = [factories.ApplicationFactory(event=event, booths_requested=n) for n in (1, 2)]
    event.booth_fee, event.subsidy_percent = 6_000_000, 30
    event.save()

    recompute_amounts_due(event=event)

    assert [owed(a).due for a in applications] == [4_200_000, 8_400_000]


def test_migration_keeps_what_old_fairs_owed(event, django_assert_max_num_queries):
    """Before: booths requested × booth_fee × (100 − subsidy %) // 100, the deposit a separate figure.
    The data migration's function, run over rows as the migration left them, stores the same amount."""
    odd = factories.EventFactory(booth_fee=4_999_999, subsidy_percent=33, deposit=1_000_000)
    factories.BoothTypeFactory(event=odd, code="std", name="Gian tiêu chuẩn")  # no fee of its own
    old = [
        factories.ApplicationFactory(event=odd, booths_requested=3),
        factories.ApplicationFactory(event=event, booths_requested=2, status=A.APPROVED),
        factories.ApplicationFactory(event=event, booths_requested=1, status=A.DRAFT),
    ]
    AmountDue.objects.all().delete()

    with django_assert_max_num_queries(6):
        fill_migration.fill_amounts_due(apps, None)

    def before(a):
        return a.booths_requested * (a.event.booth_fee * (100 - a.event.subsidy_percent) // 100)

    assert [owed(a).due for a in old] == [before(a) for a in old] == [10_049_997, 5_000_000, 2_500_000]
    assert (owed(old[0]).deposit, owed(old[0]).balance) == (1_000_000, 9_049_997)
    # …and what the service computes afterwards is what the migration stored.
    stored = [(owed(a).fee, owed(a).subsidy, owed(a).due, owed(a).deposit) for a in old]
    assert [(r.fee, r.subsidy, r.due, r.deposit) for r in map(recompute_amount_due, old)] == stored


def test_fee_schedule_errors_are_in_vietnamese_by_field(event):
    other = factories.OrganiserFactory(name="Trung tâm khác")
    event.deposit = 3_000_000  # more than one booth after subsidy (2.500.000)
    event.deposit_due_on = event.opens_at.date() + dt.timedelta(days=1)
    event.balance_due_on = event.opens_at.date() - dt.timedelta(days=10)
    event.bank_account = OrganiserBankAccount(
        organiser=other, bank_bin="970436", account_number="0011001234567", account_name="TRUNG TAM KHAC"
    )

    with translation.override("vi"):
        errors = fee_schedule_errors(event)

    assert errors == {
        "deposit": "Tiền cọc không thể lớn hơn phí một gian sau hỗ trợ (2.500.000 ₫).",
        "deposit_due_on": errors["deposit_due_on"],
        "balance_due_on": "Hạn nộp phần còn lại không thể trước hạn nộp tiền cọc.",
        "bank_account": "Tài khoản này thuộc đơn vị tổ chức khác.",
    }
    assert errors["deposit_due_on"].startswith("Hạn này phải trước ngày khai mạc hội chợ (")


def test_dashboard_and_review_page_state_deposit_balance_deadlines_and_account(client, admin_client, db):
    fair = Fair()
    event = fair.event
    event.bank_account = OrganiserBankAccount.objects.create(
        organiser=event.organiser, bank_bin="970418", account_number="12610000123456", account_name="TRUNG TAM KC"
    )
    event.deposit, event.deposit_due_on, event.balance_due_on = 2_000_000, dt.date(2026, 1, 5), dt.date(2026, 1, 20)
    event.save()
    application = factories.ApplicationFactory(vendor=fair.vendor, event=event, booths_requested=2)
    application_transition(application=application, to_status=A.APPROVED)
    client.force_login(fair.user)

    dashboard = " ".join(client.get(en("vendors:dashboard")).content.decode().split())
    review = " ".join(admin_client.get(en("vendors:review_detail", pk=application.pk)).content.decode().split())

    for page in (dashboard, review):
        assert 'data-field="terms-due">8.400.000 ₫' in page
        assert "2.000.000 ₫</span> · by 05/01/2026" in page
        assert "6.400.000 ₫</span> · by 20/01/2026" in page
        assert 'BIDV · <span class="text-nowrap">12610000123456</span> · TRUNG TAM KC' in page
