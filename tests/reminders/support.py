"""Helpers of the reminder tests: a fair with a due rule and businesses to remind."""

import datetime as dt
import itertools

from django.utils import timezone

from events.models import DocumentType, Organiser
from tests import factories
from tuanhang.office.reminders.models import ReminderRule
from vendors.models import Application, Vendor, VendorMember

FAIR = "Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm 2024"


def at(days=0, hours=0):
    return timezone.now() + dt.timedelta(days=days, hours=hours)


def fair(**extra):
    organiser = Organiser.objects.get_or_create(
        name="Trung tâm Khuyến công Hải Phòng", defaults={"phone": "+842253842123", "email": "khuyencong@haiphong.vn"}
    )[0]
    values = {"name": FAIR, "organiser": organiser, "booth_fee": 5_000_000, "subsidy_percent": 50}
    values.update(extra)
    return factories.EventFactory(**values)


def rule(event, kind=ReminderRule.Kind.FAIR_OPENS, **extra):
    values = {
        "kind": kind,
        "anchor": ReminderRule.Anchor.OPENS,
        "direction": ReminderRule.Direction.BEFORE,
        "hours": 12,
        "statuses": ["approved"],
        "subject_vi": "{fair_name} khai mạc lúc {opens_at}",
        "body_vi": "Kính gửi {business_name},\n\nGian hàng: {booth_codes}. Phí: {fee_due}.",
        "subject_en": "{fair_name} opens",
        "body_en": "Dear {business_name}, your booth: {booth_codes}.",
    }
    values.update(extra)
    return ReminderRule.objects.create(event=event, **values)


def opening_in(hours):
    """Dates for a fair opening `hours` from now (registration already closed)."""
    opens = at(hours=hours)
    return {
        "registration_opens_at": opens - dt.timedelta(days=30),
        "registration_closes_at": opens - dt.timedelta(days=3),
        "setup_at": opens - dt.timedelta(hours=18),
        "opens_at": opens,
        "closes_at": opens + dt.timedelta(days=4),
        "status": "registration_closed",
    }


def business(event, name="Công ty TNHH Nước mắm Cát Hải", email="giamdoc@catHai.vn", status="approved", **extra):
    vendor = factories.VendorFactory(name=name, email="", **extra)
    if email:
        user = factories.UserFactory(email=email)
        VendorMember.objects.create(vendor=vendor, user=user)
    return factories.ApplicationFactory(vendor=vendor, event=event, status=status, booths_requested=2)


_numbers = itertools.count(100_000)


def many_businesses(event, n, *, status="approved", prefix="bulk"):
    """n businesses with a profile e-mail and an application each, in bulk (fast)."""
    start = next(_numbers)
    for _ in range(n):
        next(_numbers)
    vendors = Vendor.objects.bulk_create(
        Vendor(
            name=f"Hợp tác xã Số {i}",
            kind=Vendor.Kind.HTX,
            tax_code=factories.valid_tax_code(start + i),
            province_id="31",
            email=f"{prefix}{i}@example.vn",
        )
        for i in range(n)
    )
    return Application.objects.bulk_create(Application(vendor=v, event=event, status=status) for v in vendors)


def require_documents(event, *names):
    types = [DocumentType.objects.get_or_create(slug=f"doc-{i}", defaults={"name": n})[0] for i, n in enumerate(names)]
    event.required_documents.set(types)
    return types
