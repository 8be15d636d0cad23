"""{% load privacy %} · {{ vendor|tax_code_for:personal_ok }}: a business's tax code, masked when it
is a household's personal ID number and the page's viewer may not see it (vendors/privacy.py)."""

from django import template

from ..privacy import tax_code_shown

register = template.Library()


@register.filter
def tax_code_for(vendor, personal_ok) -> str:
    return tax_code_shown(vendor.kind, vendor.tax_code, bool(personal_ok))


@register.filter
def approved_tax_code_for(application, personal_ok) -> str:
    """The tax code the application was approved with, masked like the business's own."""
    return tax_code_shown(application.approved_kind, application.approved_tax_code, bool(personal_ok))
