"""The fair's registration form (phiếu đăng ký tham gia, issue 18) printed by the site: one A4 page
(WeasyPrint, templates/pdf/registration_form.html) with the fair, the business, what it shows, the
booths it asks for, the commitments and the signature block. The business prints it, signs and
stamps it, photographs it and uploads it as the document whose type has `generated_form` set.

Three versions of the same page: blank (the fair's page: no business data), prefilled for a new
application (the business's profile and products) and prefilled from an application (its booths,
categories and products too). What is unknown prints as a dotted line to fill in by hand.

A household's tax code is its owner's personal ID number (vendors.privacy): it is printed in full
only on the form the business downloads itself; staff get it masked, like every other print."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from events.generated.header import FairHeader, fair_header
from events.models import DocumentType, Event
from tuanhang.kernel.pdf import clean_text, template_to_pdf

from .models import Application, Product, Vendor
from .privacy import tax_code_shown
from .services.documents import fair_asks_for

TEMPLATE = "pdf/registration_form.html"
# Products listed by name; more are counted ("and 4 more"), so the form stays one page.
MAX_PRODUCTS = 5


@dataclass(frozen=True)
class ShownProduct:
    name: str
    category: str
    ocop_stars: int | None


@dataclass(frozen=True)
class Business:
    """What the form says about the business: plain strings, "" where the form shows a dotted line."""

    name: str
    kind: str  # Vendor.Kind value
    tax_code: str
    address: str
    commune: str
    province: str
    representative: str
    contact_name: str
    phone: str
    email: str


@dataclass(frozen=True)
class RegistrationForm:
    header: FairHeader
    business: Business | None  # None: the blank form
    categories: tuple[str, ...] = ()
    products: tuple[ShownProduct, ...] = ()
    more_products: int = 0
    booths_requested: int | None = None
    booth_type: str = ""


def generated_form_type_or_404(event: Event, document_type_id: int) -> DocumentType:
    """The document type, if it is a generated registration form the fair asks for; 404 otherwise."""
    document_type = get_object_or_404(DocumentType, pk=document_type_id, generated_form=True)
    if not fair_asks_for(event, document_type.pk):
        raise Http404
    return document_type


def form_applications(queryset=None):
    """Applications with what the form prints: one query for the application with its business,
    fair, organiser and places, one for its categories, one for its products."""
    queryset = Application.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "vendor__province",
        "vendor__commune",
        "event__organiser__province",
        "event__province",
        "booth_type",
    ).prefetch_related(
        "categories",
        Prefetch("products", queryset=Product.objects.order_by("name").select_related("category")),
    )


def application_for_form(queryset, **lookup) -> Application:
    """One application of `queryset` (already scoped to who asks), from form_applications; 404 if none."""
    application = form_applications(queryset).filter(**lookup).first()
    if application is None:
        raise Http404
    return application


def _business(vendor: Vendor, *, personal: bool) -> Business:
    return Business(
        name=clean_text(vendor.name),
        kind=vendor.kind,
        tax_code=tax_code_shown(vendor.kind, vendor.tax_code, personal),
        address=clean_text(vendor.address),
        commune=clean_text(vendor.commune.name if vendor.commune_id else ""),
        province=clean_text(vendor.province.name if vendor.province_id else ""),
        representative=clean_text(vendor.representative),
        contact_name=clean_text(vendor.contact_name),
        phone=vendor.display_phone,
        email=vendor.email,
    )


def _short(name: str, limit: int = 90) -> str:
    """A product name cut to one or two lines of its table cell (the form must stay one page)."""
    name = clean_text(name)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _products(products) -> tuple[tuple[ShownProduct, ...], int]:
    shown = [ShownProduct(_short(p.name), clean_text(p.category.name), p.ocop_stars) for p in products]
    return tuple(shown[:MAX_PRODUCTS]), max(0, len(shown) - MAX_PRODUCTS)


def blank_form(event: Event) -> RegistrationForm:
    """The form with the fair only (the fair's page)."""
    return RegistrationForm(header=fair_header(event), business=None)


def form_for_new_application(event: Event, vendor: Vendor) -> RegistrationForm:
    """The form before an application exists: the business's profile and its products. Two
    queries (the business with its places, its products)."""
    vendor = Vendor.objects.select_related("province", "commune").get(pk=vendor.pk)
    products, more = _products(vendor.products.select_related("category").order_by("name"))
    return RegistrationForm(
        header=fair_header(event),
        business=_business(vendor, personal=True),
        categories=tuple(dict.fromkeys(p.category for p in products)),
        products=products,
        more_products=more,
    )


def form_for_application(application: Application, *, personal: bool) -> RegistrationForm:
    """The form filled from an application (from application_for_form: no query). `personal`:
    print a household's tax code in full (only for the business itself)."""
    event = application.event
    products, more = _products(application.products.all())
    categories = [clean_text(c.name) for c in application.categories.all()] or [p.category for p in products]
    return RegistrationForm(
        header=fair_header(event),
        business=_business(application.vendor, personal=personal),
        categories=tuple(dict.fromkeys(categories)),
        products=products,
        more_products=more,
        booths_requested=application.booths_requested,
        booth_type=clean_text(application.booth_type.name if application.booth_type_id else ""),
    )


def registration_form_pdf(form: RegistrationForm) -> bytes:
    """The one-page PDF of the form."""
    kinds = [
        (value, label, form.business is not None and form.business.kind == value)
        for value, label in Vendor.Kind.choices
    ]
    return template_to_pdf(TEMPLATE, {"form": form, "kinds": kinds, "header": form.header})


def registration_form_filename(form: RegistrationForm) -> str:
    """ "phieu-dang-ky-<fair>.pdf" (blank) or "phieu-dang-ky-<fair>-<tax code>.pdf"; ASCII only."""
    if form.business is None or not form.business.tax_code.isascii():
        return f"phieu-dang-ky-{form.header.slug}.pdf"
    return f"phieu-dang-ky-{form.header.slug}-{form.business.tax_code}.pdf"


def registration_form_response(form: RegistrationForm) -> HttpResponse:
    """The form's PDF as a download: cached when blank, a private copy when it carries a business's data."""
    response = HttpResponse(registration_form_pdf(form), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{registration_form_filename(form)}"'
    response["Cache-Control"] = "public, max-age=3600" if form.business is None else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
