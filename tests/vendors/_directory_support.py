"""Fairs with approved exhibitors for the public-site and check-in tests: a few named ones, and
crowds made in bulk (for query counts at 10 and 1,000 businesses)."""

from django.urls import reverse
from django.utils import translation

from booths.models import Assignment, Booth
from tests import factories
from tuanhang.kernel.vn import fold
from vendors.models import Application, Product, Vendor
from vendors.search import vendor_search_text

A = Application.Status


def en(name, *args, **kwargs):
    """A URL of the English interface, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def exhibitor(event, name, *, province="31", products=(), status=A.APPROVED, booths=(), categories=(), **fields):
    """One business with its products ([(name, stars or None)], category made on the fly) applying
    to the fair, holding the booths given."""
    vendor = factories.VendorFactory(name=name, province_id=province, **fields)
    category = factories.CategoryFactory()
    for product_name, stars in products:
        factories.ProductFactory(vendor=vendor, name=product_name, ocop_stars=stars, category=category)
    if categories:
        vendor.categories.set(categories)
    application = factories.ApplicationFactory(vendor=vendor, event=event, status=status)
    for booth in booths:
        Assignment.objects.create(booth=booth, application=application, status=Assignment.Status.CONFIRMED)
    return application


def crowd(event, n, *, zone=None, booth_type=None, products_per=2, first_code=100):
    """n approved businesses made in bulk, each with `products_per` products (every third one OCOP
    4 stars) and, with a zone, a confirmed booth of its own. Returns the applications."""
    category = factories.CategoryFactory()
    vendors = factories.VendorFactory.build_batch(n)
    for i, vendor in enumerate(vendors):
        vendor.name = f"Hợp tác xã Đông Hải {i:04d}"
        vendor.search_text = vendor_search_text(vendor)  # bulk_create skips save()
    vendors = Vendor.objects.bulk_create(vendors)
    Vendor.categories.through.objects.bulk_create(
        Vendor.categories.through(vendor_id=v.pk, category_id=category.pk) for v in vendors
    )
    products = [
        Product(
            vendor=v,
            name=f"Nước mắm nhĩ {i}-{j}",
            search_text=fold(f"Nước mắm nhĩ {i}-{j}"),
            category=category,
            ocop_stars=4 if j == 0 and i % 3 == 0 else None,
        )
        for i, v in enumerate(vendors)
        for j in range(products_per)
    ]
    Product.objects.bulk_create(products, batch_size=2000)
    applications = Application.objects.bulk_create(
        Application(vendor=v, event=event, status=A.APPROVED) for v in vendors
    )
    if zone is not None:
        booths = Booth.objects.bulk_create(
            Booth(
                event=event,
                zone=zone,
                booth_type=booth_type,
                code=f"{zone.code}{first_code + i}",
                x=3 * (i % 40),
                y=4 * (i // 40),
            )
            for i in range(n)
        )
        Assignment.objects.bulk_create(
            Assignment(booth=b, application=a, status=Assignment.Status.CONFIRMED)
            for b, a in zip(booths, applications, strict=True)
        )
    return applications
