"""A small world for the cross-cutting boundary tests: two businesses (A and B) applying to the same
fair, each with products; A with a colleague, a pending invitation, a document and a payment; a
second open fair nobody applied to; the administrator of the fairs' organiser ("staff"); the
administrator of another organiser with a fair of its own; an account with no business yet; and an
account that signed up but never opened its link. Everything A owns is what the others must not reach."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from events.models import DocumentType, FairDocumentRule, Membership
from tests import factories
from vendors.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Payment,
    PaymentInvoice,
    Product,
    Refund,
    Vendor,
    VendorInvitation,
    VendorMember,
)
from vendors.services.accounts import invitation_token_digest
from vendors.services.applying import application_document_upload
from vendors.services.payments import payment_record

A = Application.Status

# A minimal one-page PDF that passes the content check (and has a page to preview).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
INVITATION_TOKEN = "jeton-bi-mat-cua-loi-moi-thu-nghiem-0123456789abcdef"
PASSWORD = "mat-khau-123"  # the factories' password
# A fast hasher for tests that create many accounts (passwords are not what these tests are about).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Every model a vendor-journey page can write to: a request that must change nothing leaves these counts as they were.
WATCHED_MODELS = (
    Vendor,
    VendorMember,
    VendorInvitation,
    Product,
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Payment,
    PaymentInvoice,
    Refund,
    get_user_model(),
)


def pdf_upload(name="giay-dang-ky.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def member(vendor, role=VendorMember.Role.OWNER, **user_fields):
    user = factories.UserFactory(**user_fields)
    VendorMember.objects.create(vendor=vendor, user=user, role=role)
    return user


@dataclass
class World:
    fair: object = None
    fair2: object = None
    document_type: object = None
    form_type: object = None
    vendor_a: object = None
    owner_a: object = None
    member_a: object = None
    product_a: object = None
    application_a: object = None
    document_a: object = None
    payment_a: object = None
    refund_a: object = None
    invitation_a: object = None
    vendor_b: object = None
    owner_b: object = None
    product_b: object = None
    application_b: object = None
    staff: object = None
    other_organiser: object = None
    other_staff: object = None
    other_fair: object = None
    no_business: object = None
    unverified: object = None
    users: dict = field(default_factory=dict)

    @property
    def unverified_uidb64(self) -> str:
        return urlsafe_base64_encode(force_bytes(self.unverified.pk))

    def snapshot(self) -> dict:
        """Row counts of every watched model, and the fields of A's objects a stray write could change."""
        counts = {model.__name__: model.objects.count() for model in WATCHED_MODELS}
        application = Application.objects.get(pk=self.application_a.pk)
        product = Product.objects.get(pk=self.product_a.pk)
        vendor = Vendor.objects.get(pk=self.vendor_a.pk)
        document = ApplicationDocument.objects.get(pk=self.document_a.pk)
        return {
            **counts,
            "application_a": (application.status, application.booths_requested, application.note),
            "product_a": (product.name, product.category_id, product.description),
            "vendor_a": (vendor.name, vendor.tax_code, vendor.phone, vendor.email),
            "document_a": (document.file.name, document.size),
            "invitation_a": VendorInvitation.objects.filter(pk=self.invitation_a.pk, accepted_at__isnull=True).exists(),
        }


def build_world() -> World:
    """Build the world (MEDIA_ROOT must already point at a temporary folder: a document is stored)."""
    w = World()
    w.document_type = DocumentType.objects.create(name="Giấy chứng nhận đăng ký doanh nghiệp", slug="gcn-dkdn")
    w.fair = factories.EventFactory(name="Tuần hàng Việt Nam Hải Phòng", slug="tuan-hang-hai-phong")
    w.fair.required_documents.set([w.document_type])
    # The registration form printed by the site (DocumentType.generated_form): asked only of OCOP
    # exhibitors, so that what A must send does not change.
    w.form_type = DocumentType.objects.create(name="Phiếu đăng ký tham gia", slug="phieu-dang-ky", generated_form=True)
    FairDocumentRule.objects.create(event=w.fair, document_type=w.form_type, shows_ocop=True)
    w.fair2 = factories.EventFactory(name="Hội chợ OCOP Thủy Nguyên", slug="hoi-cho-ocop-thuy-nguyen")
    category = factories.CategoryFactory(name="Thực phẩm chế biến", slug="thuc-pham-che-bien")

    w.vendor_a = factories.VendorFactory(name="Công ty TNHH Nước mắm Cát Hải")
    w.owner_a = member(w.vendor_a, username="chu.a@example.vn")
    w.member_a = member(w.vendor_a, role=VendorMember.Role.MEMBER, username="dong.nghiep.a@example.vn")
    w.product_a = factories.ProductFactory(vendor=w.vendor_a, name="Nước mắm Cát Hải 40 độ đạm", category=category)
    w.application_a = factories.ApplicationFactory(
        vendor=w.vendor_a,
        event=w.fair,
        status=A.SUBMITTED,
        booths_requested=2,
        submitted_at=timezone.now() - dt.timedelta(days=1),
        terms_accepted_at=timezone.now() - dt.timedelta(days=1),
        note="Ghi chú riêng của A",
    )
    w.application_a.products.add(w.product_a)
    w.document_a = application_document_upload(
        application=w.application_a, document_type=w.document_type, upload=pdf_upload(), by=w.owner_a
    )
    w.invitation_a = VendorInvitation.objects.create(
        vendor=w.vendor_a,
        email="nguoi.duoc.moi@example.vn",
        token=invitation_token_digest(INVITATION_TOKEN),
        invited_by=w.owner_a,
    )

    w.vendor_b = factories.VendorFactory(name="Hợp tác xã Gạo nếp Hải Hậu", kind=Vendor.Kind.HTX)
    w.owner_b = member(w.vendor_b, username="chu.b@example.vn")
    w.product_b = factories.ProductFactory(vendor=w.vendor_b, name="Gạo nếp cái hoa vàng", category=category)
    w.application_b = factories.ApplicationFactory(vendor=w.vendor_b, event=w.fair, status=A.DRAFT)

    # The fairs' organiser's administrator (every capability at its fairs: events/policy.py).
    w.staff = factories.StaffUserFactory(username="bantochuc", role=Membership.Role.ADMIN, organiser=w.fair.organiser)
    # The administrator of another organiser, with a fair of its own: A's objects do not exist for it.
    w.other_organiser = factories.OrganiserFactory(name="Trung tâm Xúc tiến thương mại Hải Dương", short_name="XTTM HD")
    w.other_staff = factories.StaffUserFactory(
        username="bantochuc.khac", role=Membership.Role.ADMIN, organiser=w.other_organiser
    )
    w.other_fair = factories.EventFactory(
        organiser=w.other_organiser, name="Hội chợ Hải Dương", slug="hoi-cho-hai-duong"
    )
    w.payment_a = payment_record(
        application=w.application_a,
        amount=1_500_000,
        paid_on=timezone.localdate(),
        method=Payment.Method.TRANSFER,
        reference="CK-A-0001",
        by=w.staff,
    )
    # A refund voucher of A (written directly: A's submitted application owes more than it paid).
    w.refund_a = Refund.objects.create(
        application=w.application_a,
        amount=100_000,
        refunded_on=timezone.localdate(),
        method=Payment.Method.CASH,
        reason="Thử",
        recorded_by=w.staff,
        organiser=w.fair.organiser,
        year=timezone.localdate().year,
        sequence=1,
    )
    w.no_business = factories.UserFactory(username="chua.co.ho.so@example.vn")
    w.unverified = factories.UserFactory(username="chua.xac.nhan@example.vn", is_active=False)

    w.users = {
        "anonymous": None,
        "other_business": w.owner_b,
        "owner": w.owner_a,
        "colleague": w.member_a,
        "staff": w.staff,
        "other_organiser": w.other_staff,
        "no_business": w.no_business,
    }
    return w
