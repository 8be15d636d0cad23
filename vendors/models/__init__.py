"""The vendors app's models, one module per part: businesses, applications, check-in."""

from .applications import Application, ApplicationDocument, ApplicationStatusChange, Payment, ZonePreference
from .businesses import Product, Vendor, VendorInvitation, VendorMember
from .checkin import CheckIn, CheckInChange

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationStatusChange",
    "CheckIn",
    "CheckInChange",
    "Payment",
    "Product",
    "Vendor",
    "VendorInvitation",
    "VendorMember",
    "ZonePreference",
]
