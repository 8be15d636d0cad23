"""Personal data of the businesses (issue 17): which of what a business gives is a person's data,
and how it is shown to staff who may not read it.

A household business (hộ kinh doanh) uses its representative's personal ID number (số định danh
cá nhân) as its tax code since 1 July 2025, and a household that still has a 10-digit code has it
as a person: its tax code is always treated as a personal ID number. Only the business itself and
staff with `personal.view` at the fair (events/policy.py) see it in full; everyone else, and every
print, sees it masked by tuanhang.kernel.vn.mask_personal_id."""

from tuanhang.kernel.vn import mask_personal_id

from .models import Vendor


def tax_code_is_personal(kind: str) -> bool:
    """A household's tax code is its owner's personal ID number (or personal tax code)."""
    return kind == Vendor.Kind.HKD


def tax_code_shown(kind: str, tax_code: str, personal: bool) -> str:
    """The tax code as it may be shown: in full to those who may see personal data (`personal`),
    masked otherwise when it is a household's."""
    if personal or not tax_code_is_personal(kind):
        return tax_code
    return mask_personal_id(tax_code)
