"""The world of the permission matrix (tests/test_permission_matrix.py): two organisers, each with a
fair full of what staff pages show and change, and one account per kind of visitor.

Organiser 1 (the default organiser of the factories) runs the boundary tests' fair
(tests/vendors/_boundary_support.py: businesses A and B, A's submitted application with a document
and a payment) plus, here, a hall with booths, an approved application holding a booth, one already
checked in, an allocation run, a failed reminder and a generated file. Organiser 2 runs a fair with
the same kinds of objects. Its administrator, a staff account of no organiser, a superuser, an
overseer and one account per role of organiser 1 complete the visitors.

`fingerprint()` reads every row a staff page can write (all concrete fields, sorted): a refused
request must leave it equal."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone

from booths.models import AllocationRules, AllocationRun, Assignment, AssignmentChange, Booth, HallFeature
from events.generated import services as generated
from events.models import BoothType, Event, GeneratedFile, Membership, Organiser, Zone
from tests import factories
from tests.vendors._boundary_support import build_world, member, pdf_upload
from tuanhang.office.reminders.models import ReminderDelivery, ReminderRule
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    ErasureRequest,
    Payment,
    PaymentInvoice,
    Refund,
    Vendor,
)
from vendors.models.checkin import CheckIn
from vendors.services.applying import application_document_upload
from vendors.services.checkin import checkin_arrive
from vendors.services.payments import payment_record

R = Membership.Role
A = Application.Status

# Who visits, and as what. The roles of organiser 1 map to events.models.Membership.Role.
ROLE_OF = {
    "admin": R.ADMIN,
    "reviewer": R.REVIEWER,
    "accountant": R.ACCOUNTANT,
    "floor": R.FLOOR,
    "viewer": R.VIEWER,
    "overseer": R.OVERSIGHT,
}
BUSINESSES = ("business_a", "business_b")
OUTSIDERS = ("org2_admin", "no_membership")  # staff accounts that may not see organiser 1's fairs
ACTORS = ("anonymous", *BUSINESSES, *ROLE_OF, *OUTSIDERS, "superuser")
STAFF_ACTORS = (*ROLE_OF, *OUTSIDERS, "superuser")

# Every model a staff page (or the admin) can write to.
WATCHED = (
    Event,
    Organiser,
    Membership,
    Zone,
    BoothType,
    Booth,
    HallFeature,
    Assignment,
    AssignmentChange,
    AllocationRules,
    AllocationRun,
    Vendor,
    Application,
    ApplicationStatusChange,
    ApplicationDocument,
    Payment,
    PaymentInvoice,
    Refund,
    CheckIn,
    ReminderRule,
    ReminderDelivery,
    GeneratedFile,
    get_user_model(),
)


def _rows(model):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("last_login",)]
    return sorted(repr(row) for row in model._default_manager.values_list(*fields))


def fingerprint() -> dict:
    """Every row of every watched model, all fields (last_login aside): equal before and after a
    refused request."""
    return {model.__name__: _rows(model) for model in WATCHED}


@dataclass
class Side:
    """One organiser's fair and the objects its staff pages name."""

    organiser: object = None
    fair: object = None
    zone: object = None
    booth_type: object = None
    free_booth: object = None  # a free booth (to block)
    blocked_booth: object = None  # a blocked booth (to unblock)
    application: object = None  # submitted, with a document and a payment (review, decide, pay)
    document: object = None
    payment: object = None  # the application's payment (receipt, e-invoice)
    refund: object = None  # a refund of the application (voucher)
    listed: object = None  # approved, holding a booth, not arrived (check in)
    arrived: object = None  # approved, holding a booth, checked in (undo, handover)
    run: object = None
    delivery: object = None  # a failed reminder (resend)
    generated: object = None
    member: object = None  # a floor member of the organiser's team (team pages)
    erasure: object = None  # a waiting erasure request of the application's business


def _hall(side, prefix, by):
    side.zone = factories.ZoneFactory(event=side.fair, code=prefix, name=f"Khu {prefix}")
    side.booth_type = factories.BoothTypeFactory(event=side.fair, code=f"std-{prefix.lower()}")

    def booth(n, **extra):
        return factories.BoothFactory(
            event=side.fair, zone=side.zone, booth_type=side.booth_type, code=f"{prefix}{n:02d}", x=3 * n, y=0, **extra
        )

    held, held_too = booth(1), booth(2)
    side.free_booth = booth(3)
    side.blocked_booth = booth(4, blocked=True, blocked_reason="Cột điện")
    side.listed = factories.ApplicationFactory(event=side.fair, status=A.APPROVED, booth_type=side.booth_type)
    side.arrived = factories.ApplicationFactory(event=side.fair, status=A.APPROVED, booth_type=side.booth_type)
    for booth_, application in ((held, side.listed), (held_too, side.arrived)):
        Assignment.objects.create(booth=booth_, application=application, status=Assignment.Status.CONFIRMED)
    checkin_arrive(application=side.arrived, by=by)


def _office(side, by):
    side.run = AllocationRun.objects.create(event=side.fair, status=AllocationRun.Status.DONE, created_by=by)
    reminder_rules_create_defaults(event=side.fair)
    rule = side.fair.reminder_rules.order_by("pk").first()
    side.delivery = ReminderDelivery.objects.create(
        rule=rule,
        application=side.application,
        event=side.fair,
        due_at=timezone.now(),
        status="failed",
        attempts=5,
        last_error="550 5.1.1 mailbox unavailable",
    )
    side.erasure = ErasureRequest.objects.create(vendor=side.application.vendor, reason="Nghỉ kinh doanh")
    side.generated = generated.generated_file_request(
        event=side.fair, kind="participants", options={"order": "name"}, by=by
    )


def _second_organiser(w):
    """Organiser 2 (the boundary world's other organiser) and its fair, filled like organiser 1's."""
    side = Side(organiser=w.other_organiser, fair=w.other_fair)
    admin, document_type = w.other_staff, w.document_type
    side.fair.required_documents.set([document_type])
    vendor = factories.VendorFactory(name="Công ty CP Bánh đậu xanh Rồng Vàng Hải Dương")
    owner = member(vendor, username="chu.c@example.vn")
    side.application = factories.ApplicationFactory(
        vendor=vendor, event=side.fair, status=A.SUBMITTED, note="Ghi chú riêng của C"
    )
    side.document = application_document_upload(
        application=side.application, document_type=document_type, upload=pdf_upload("cua-c.pdf"), by=owner
    )
    side.payment = payment_record(
        application=side.application,
        amount=2_000_000,
        paid_on=timezone.localdate(),
        method=Payment.Method.CASH,
        reference="TM-C-0001",
        by=admin,
    )
    side.refund = Refund.objects.create(
        application=side.application,
        amount=100_000,
        refunded_on=timezone.localdate(),
        method=Payment.Method.CASH,
        reason="Thử",
        recorded_by=admin,
        organiser=side.fair.organiser,
        year=timezone.localdate().year,
        sequence=1,
    )
    _hall(side, "H", admin)
    _office(side, admin)
    return side, admin


def build_matrix_world():
    """The boundary tests' world (organiser 1), organiser 2 and every visitor of the matrix
    (MEDIA_ROOT must point at a temporary folder: documents are stored)."""
    w = build_world()
    one = Side(
        organiser=w.fair.organiser,
        fair=w.fair,
        application=w.application_a,
        document=w.document_a,
        payment=w.payment_a,
        refund=w.refund_a,
    )
    _hall(one, "A", w.staff)
    _office(one, w.staff)
    two, org2_admin = _second_organiser(w)
    # A's approved application at a fair of its own (A enters its sales there).
    w.approved_a = factories.ApplicationFactory(
        vendor=w.vendor_a, event=factories.EventFactory(slug="hoi-cho-da-qua"), status=A.APPROVED
    )
    w.one, w.two = one, two
    w.actors = {
        "anonymous": None,
        "business_a": w.owner_a,
        "business_b": w.owner_b,
        "admin": w.staff,  # StaffUserFactory's default: an administrator of organiser 1
        **{
            name: factories.StaffUserFactory(username=f"to.chuc.1.{name}", role=role)
            for name, role in ROLE_OF.items()
            if name != "admin"
        },
        "org2_admin": org2_admin,
        "no_membership": factories.StaffUserFactory(username="chua.thuoc.to.chuc", role=None),
        "superuser": factories.StaffUserFactory(username="quan.tri.he.thong", is_superuser=True),
    }
    one.member = Membership.objects.get(user=w.actors["floor"], organiser=one.organiser)
    floor_of_two = factories.StaffUserFactory(username="hien.truong.hai.duong", role=R.FLOOR, organiser=two.organiser)
    two.member = Membership.objects.get(user=floor_of_two, organiser=two.organiser)
    return w


def client_as(user) -> tuple[Client, str]:
    """A client that checks CSRF like a browser, signed in as `user` (None: anonymous), with a valid
    CSRF cookie; returns it with the token to post."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client, token
