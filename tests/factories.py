"""factory_boy factories for every model; valid tax codes and phones by construction."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.vn import mst

from booths.models import Assignment, Booth
from events.models import BoothType, Category, Event, Membership, Organiser, Province, Zone
from vendors.models import Application, Product, Vendor
from vendors.services.amounts import recompute_amount_due

# Tax codes come from two disjoint number spaces. Tests that bulk-create businesses pick their own
# numbers (valid_tax_code(n) with n below FACTORY_TAX_NUMBERS); VendorFactory's sequence, which keeps
# counting across the whole run (a query-count test alone makes a thousand businesses), starts there.
# Sharing one space made a test's own numbers meet the codes of the factory's businesses, depending
# on how many tests ran before it.
FACTORY_TAX_NUMBERS = 5_000_000
_TAX_NUMBERS = 10_000_000


def valid_tax_code(n: int) -> str:
    """A 10-digit enterprise code with a correct check digit, different for each n (0 <= n < 10,000,000):
    n and an attempt number map one to one onto the eight digits (an odd multiplier not divisible
    by 5 is invertible modulo 10**8), so no two n share a code, and the digits still look random."""
    if not 0 <= n < _TAX_NUMBERS:
        raise AssertionError(f"valid_tax_code takes 0 <= n < {_TAX_NUMBERS:,}, not {n}")
    for attempt in range(10):
        first9 = f"0{((n * 10 + attempt) * 48_271_723) % 10**8:08d}"
        check = mst.calc_check_digit(first9)
        if len(check) == 1 and mst.is_valid(first9 + check):
            return first9 + check
    raise AssertionError(f"no valid tax code for {n}")


def factory_tax_code(n: int) -> str:
    """VendorFactory's n-th tax code: never one that valid_tax_code(m) gives for m < FACTORY_TAX_NUMBERS."""
    return valid_tax_code(FACTORY_TAX_NUMBERS + n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("mat-khau-123")


class StaffUserFactory(UserFactory):
    """A staff account of an organiser: by default an administrator of the default organiser (the
    one EventFactory's fairs belong to). StaffUserFactory(role=None) works for no organiser;
    StaffUserFactory(organiser=other, role=Membership.Role.FLOOR, fairs=[fair]) as named."""

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @classmethod
    def _create(cls, model_class, *args, role="admin", organiser=None, fairs=(), **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role and not user.is_superuser:
            membership, _ = Membership.objects.get_or_create(
                organiser=organiser or OrganiserFactory(), user=user, defaults={"role": role}
            )
            if fairs:
                membership.events.set(fairs)
        return user


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser
        django_get_or_create = ("name",)

    name = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng"
    short_name = "TTKC Hải Phòng"
    province_id = "31"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)  # the common categories exist from a migration

    name = factory.Sequence(lambda n: f"Nhóm hàng {n}")
    slug = factory.Sequence(lambda n: f"nhom-hang-{n}")


def _at(days, hour=8):
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Tuần hàng Việt Nam {n}")
    slug = factory.Sequence(lambda n: f"tuan-hang-{n}")
    organiser = factory.SubFactory(OrganiserFactory)
    venue = "KCN VSIP Thủy Nguyên"
    address = "Xã Thủy Nguyên"
    province = factory.LazyFunction(lambda: Province.objects.get(pk="31"))
    registration_opens_at = factory.LazyFunction(lambda: _at(-10))
    registration_closes_at = factory.LazyFunction(lambda: _at(20, 17))
    setup_at = factory.LazyFunction(lambda: _at(29, 14))
    opens_at = factory.LazyFunction(lambda: _at(30))
    closes_at = factory.LazyFunction(lambda: _at(35, 22))
    booth_fee = 5_000_000
    subsidy_percent = 50
    max_booths_per_participant = 3
    status = Event.Status.REGISTRATION_OPEN


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Công ty TNHH Nông sản Số {n}")
    short_name = factory.Sequence(lambda n: f"Nông sản {n}")
    kind = Vendor.Kind.DN
    tax_code = factory.Sequence(factory_tax_code)
    province = factory.LazyFunction(lambda: Province.objects.get(pk="31"))
    phone = factory.Sequence(lambda n: f"+8491{n % 10_000_000:07d}")
    email = factory.Sequence(lambda n: f"lienhe{n}@example.vn")
    contact_name = "Nguyễn Thị Lan"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Nước mắm {n}")
    category = factory.SubFactory(CategoryFactory)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"Z{n}")
    name = factory.Sequence(lambda n: f"Khu {n}")


class BoothTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoothType

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"std{n}")
    name = "Gian tiêu chuẩn"
    is_standard = True


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    event = factory.SubFactory(EventFactory)
    zone = factory.SubFactory(ZoneFactory, event=factory.SelfAttribute("..event"))
    booth_type = factory.SubFactory(BoothTypeFactory, event=factory.SelfAttribute("..event"))
    code = factory.Sequence(lambda n: f"A{n:03d}")
    x = factory.Sequence(lambda n: 3 * (n % 40))
    y = factory.Sequence(lambda n: 6 * (n // 40))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    vendor = factory.SubFactory(VendorFactory)
    event = factory.SubFactory(EventFactory)
    status = Application.Status.SUBMITTED

    @factory.post_generation
    def owed(obj, create, extracted, **kwargs):
        """What it owes, stored as the services store it on submission (recompute_amount_due)."""
        if create:
            recompute_amount_due(obj)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    booth = factory.SubFactory(BoothFactory)
    application = factory.SubFactory(ApplicationFactory, event=factory.SelfAttribute("..booth.event"))

    @factory.post_generation
    def owed(obj, create, extracted, **kwargs):
        """The holder's amount due counts its booths, as booth_assign recomputes it."""
        if create:
            recompute_amount_due(obj.application)
