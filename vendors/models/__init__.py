"""The vendors app's models, one module per part: businesses, applications, check-in."""

from .applications import AmountDue, Application, ApplicationDocument, ApplicationStatusChange, Payment, ZonePreference
from .businesses import (
    IdentityChangeRequest,
    Product,
    Vendor,
    VendorFormerCode,
    VendorInvitation,
    VendorMember,
    VendorMerge,
)
from .checkin import CheckIn, CheckInChange
from .phone import OneTimeCode, OtpQuota, PhoneIdentity
from .privacy import ErasureRequest
from .receipts import PaymentInvoice, PaymentVoid, Receipt, Refund, VoucherCounter
from .statements import StatementImport, StatementLine, StatementLineChange, StatementProfile
from .subsidies import SubsidyGrant, SubsidyWaiting

__all__ = [
    "AmountDue",
    "Application",
    "ApplicationDocument",
    "ApplicationStatusChange",
    "CheckIn",
    "CheckInChange",
    "ErasureRequest",
    "IdentityChangeRequest",
    "OneTimeCode",
    "OtpQuota",
    "Payment",
    "PaymentInvoice",
    "PaymentVoid",
    "PhoneIdentity",
    "Product",
    "StatementImport",
    "StatementLine",
    "StatementLineChange",
    "StatementProfile",
    "SubsidyGrant",
    "SubsidyWaiting",
    "Receipt",
    "Refund",
    "Vendor",
    "VendorFormerCode",
    "VendorInvitation",
    "VendorMember",
    "VendorMerge",
    "VoucherCounter",
    "ZonePreference",
]
