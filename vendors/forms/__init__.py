"""Forms of the vendor journey, one module per part; the profile forms are re-exported here."""

from .profile import CategoryNamesField, ProvinceField, VendorForm  # noqa: F401
