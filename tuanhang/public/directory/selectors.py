"""Reads of the public exhibitor directory and business pages.

Who is listed: the businesses with an approved application at a fair whose directory is public
(announced, not yet over). What each shows at that fair: the products its application lists
(all its products when it lists none) and the categories its application names (those of its
profile when it names none), the same rule as the booth map's colours.

Search ignores accents, case and tone placement: the words go through tuanhang.kernel.vn.fold() and
are looked for, as typed, in the folded `search_text` columns of the business (names, province
with its pre-2025 names, commune: vendors/search.py) and of the products it shows
(`search_text__contains`, answered by a trigram index on PostgreSQL); a booth code finds the
business holding that booth (booths/selectors/search.py, the rule check-in and review share).
Results are in Vietnamese alphabetical order. Fixed query counts whatever the number of rows.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Collate
from django.http import Http404
from django.utils.translation import gettext as _

from booths.models import Assignment
from booths.selectors.map import PUBLIC_MAP_STATUSES
from booths.selectors.search import application_matches, holding_booth
from events.models import Event
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.params import BadParameter, parse_id, parse_int
from tuanhang.kernel.vn import fold
from vendors.models import Application, Product, Vendor
from vendors.ocop import counting_day, ocop_valid_on, valid_stars
from vendors.selectors.figures import fair_figures, shown_products

A = Application.Status
PER_PAGE = 24
MAX_QUERY = 100  # characters of a search kept
OCOP_CHOICES = (3, 4, 5)
_PROVINCE_CODE = re.compile(r"[0-9]{2}")  # ASCII: "²".isdigit() is true


def public_event(*, slug) -> Event:
    """A fair whose directory is public, with organiser and province; 404 otherwise. One query."""
    event = (
        Event.objects.select_related("organiser", "province").filter(slug=slug, status__in=PUBLIC_MAP_STATUSES).first()
    )
    if event is None:
        raise Http404(_("No fair with this address."))
    return event


# --- the "shown" rules, as SQL (the products' own in vendors.selectors.figures) ------------

_LISTED = Application.products.through
_NAMED = Application.categories.through


def _shown_in_category(category_id):
    named = _NAMED.objects.filter(application_id=OuterRef("pk"))
    profile = Vendor.categories.through.objects.filter(vendor_id=OuterRef("vendor_id"), category_id=category_id)
    return Q(Exists(named.filter(category_id=category_id))) | (~Q(Exists(named)) & Q(Exists(profile)))


# --- the directory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    q: str = ""
    province: str = ""
    category: int | None = None
    ocop: int | None = None

    @classmethod
    def from_query(cls, data) -> "Filters":
        """Read the filters from request.GET; anything unusable is ignored."""
        province = (data.get("province") or "").strip()
        return cls(
            q=(data.get("q") or "").strip()[:MAX_QUERY],
            province=province if _PROVINCE_CODE.fullmatch(province) else "",
            category=_or_none(parse_id, data.get("category")),
            ocop=_or_none(parse_int, data.get("ocop"), min_value=min(OCOP_CHOICES), max_value=max(OCOP_CHOICES)),
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.province or self.category or self.ocop)


def _or_none(parse, value, **limits):
    """A filter left out: the list stays usable after a stale or mangled link."""
    try:
        return parse(value, **limits)
    except BadParameter:
        return None


def exhibitors(event: Event, filters: Filters):
    """The fair's approved applications matching the filters, in Vietnamese order of the names."""
    applications = Application.objects.filter(event=event, status=A.APPROVED)
    folded = fold(filters.q)
    if folded and connection.vendor == "postgresql":
        # The application's own folded text (its business's and the products it shows, kept by
        # triggers: migration vendors 0023), answered by its trigram index; or a booth it holds.
        applications = applications.filter(_text_or_booth(filters.q, folded, event))
    elif folded:
        applications = applications.filter(matches_by_joins(filters.q, folded, event))
    if filters.province:
        applications = applications.filter(vendor__province_id=filters.province)
    if filters.category:
        applications = applications.filter(_shown_in_category(filters.category))
    if filters.ocop:
        applications = applications.filter(
            Exists(shown_products().filter(ocop_valid_on(counting_day(event)), ocop_stars__gte=filters.ocop))
        )
    return applications.order_by(Collate("vendor__name", VI_COLLATION), "vendor_id")


def matches_by_joins(text, folded, event) -> Q:
    """The same rule read from the business and product tables (SQLite, which has no triggers; the
    tests check the two agree): the business's text, a booth it holds, or a correlated EXISTS
    over the products the application shows."""
    return application_matches(text, event=event) | Q(Exists(shown_products().filter(search_text__contains=folded)))


def _text_or_booth(text, folded, event) -> Q:
    condition = Q(search_text__contains=folded)
    on_booth = holding_booth(text, event=event)
    return condition | Q(pk__in=on_booth) if on_booth is not None else condition


@dataclass(frozen=True)
class Exhibitor:
    """One business as a list or page shows it."""

    application_id: int
    vendor_id: int
    name: str
    short_name: str
    kind: str
    province: str
    logo: str  # the stored thumbnail's name ("" when none)
    booths: list = field(default_factory=list)  # of BoothRef
    products: list = field(default_factory=list)  # of Product
    categories: list = field(default_factory=list)  # of names

    @property
    def best_ocop(self) -> int | None:
        """The most stars among the products certified on the fair's opening day."""
        return max((p.certified_stars for p in self.products if p.certified_stars), default=None)

    @property
    def booth_codes(self) -> list[str]:
        return [b.code for b in self.booths]


@dataclass(frozen=True)
class BoothRef:
    code: str
    zone_code: str
    zone_name: str
    zone_colour: str


_FIELDS = (
    "pk",
    "vendor_id",
    "vendor__name",
    "vendor__short_name",
    "vendor__kind",
    "vendor__province__name",
    "vendor__logo_thumbnail",
)


def _rows(app_ids) -> list:
    """Rows of _FIELDS for these applications, in the order of `app_ids`. One query."""
    by_id = {row[0]: row for row in Application.objects.filter(pk__in=app_ids).values_list(*_FIELDS)}
    return [by_id[pk] for pk in app_ids if pk in by_id]


@dataclass(frozen=True)
class ProductBrief:
    """What a card of the list shows of a product (a business's page gets the Product)."""

    pk: int
    name: str
    certified_stars: int | None


def _build(rows, event: Event, *, brief=False) -> list[Exhibitor]:
    """Exhibitors for rows of _FIELDS, with booths, shown products and categories. Five queries.
    `brief` (the list's cards): products as ProductBrief and no categories (the cards show none),
    three queries: an uncached search spends most of its time here (issue 21)."""
    rows = list(rows)
    app_ids = [row[0] for row in rows]
    vendor_ids = [row[1] for row in rows]
    booths = _booths(app_ids)
    products = _products(app_ids, vendor_ids, counting_day(event), brief=brief)
    categories = {} if brief else _categories(app_ids, vendor_ids)
    return [
        Exhibitor(
            application_id=app_id,
            vendor_id=vendor_id,
            name=name,
            short_name=short,
            kind=kind,
            province=province or "",
            logo=logo or "",
            booths=booths.get(app_id, []),
            products=products.get(app_id, []),
            categories=categories.get(app_id, []),
        )
        for app_id, vendor_id, name, short, kind, province, logo in rows
    ]


def _booths(app_ids) -> dict[int, list[BoothRef]]:
    found = defaultdict(list)
    rows = (
        Assignment.objects.filter(application_id__in=app_ids, status__in=Assignment.ACTIVE)
        .order_by("booth__code")
        .values_list("application_id", "booth__code", "booth__zone__code", "booth__zone__name", "booth__zone__colour")
    )
    for app_id, *booth in rows:
        found[app_id].append(BoothRef(*booth))
    return found


def _products(app_ids, vendor_ids, day, *, brief=False) -> dict[int, list]:
    """Two queries: the products each application lists, then the businesses' products, each with
    `certified_stars`: its stars when certified on `day` (the fair's opening day), else None.
    Products, or ProductBrief with `brief`."""
    listed = defaultdict(set)
    for app_id, product_id in _LISTED.objects.filter(application_id__in=app_ids).values_list(
        "application_id", "product_id"
    ):
        listed[app_id].add(product_id)
    by_vendor = defaultdict(list)
    products = (
        Product.objects.filter(vendor_id__in=vendor_ids)
        .annotate(certified_stars=valid_stars(day))
        .order_by("-certified_stars", Collate("name", VI_COLLATION), "pk")
    )
    if brief:
        for vendor_id, *product in products.values_list("vendor_id", "pk", "name", "certified_stars"):
            by_vendor[vendor_id].append(ProductBrief(*product))
    else:
        products = products.select_related("category").only(
            "pk", "vendor_id", "name", "ocop_stars", "image_thumbnail", "description", "category__name", "category_id"
        )
        for product in products:
            by_vendor[product.vendor_id].append(product)
    vendor_of = dict(zip(app_ids, vendor_ids, strict=True))
    return {
        app_id: [p for p in by_vendor[vendor_id] if not listed[app_id] or p.pk in listed[app_id]]
        for app_id, vendor_id in vendor_of.items()
    }


def _categories(app_ids, vendor_ids) -> dict[int, list[str]]:
    """Two queries: the categories each application names, then the businesses' own."""
    order = ("category__position", Collate("category__name", VI_COLLATION))
    named = defaultdict(list)
    for app_id, name in (
        _NAMED.objects.filter(application_id__in=app_ids)
        .order_by(*order)
        .values_list("application_id", "category__name")
    ):
        named[app_id].append(name)
    profile = defaultdict(list)
    for vendor_id, name in (
        Vendor.categories.through.objects.filter(vendor_id__in=vendor_ids)
        .order_by(*order)
        .values_list("vendor_id", "category__name")
    ):
        profile[vendor_id].append(name)
    return {
        app_id: named.get(app_id) or profile.get(vendor_id, [])
        for app_id, vendor_id in zip(app_ids, vendor_ids, strict=True)
    }


@dataclass(frozen=True)
class DirectoryPage:
    page: object  # django.core.paginator.Page of Exhibitor
    total: int  # approved exhibitors of the fair, whatever the filters
    ocop_total: int  # of them, those showing a product certified on the opening day
    provinces: list  # (code, name) of the exhibitors' provinces, Vietnamese order
    categories: list  # (id, name) of the fair's categories
    filters: Filters


@dataclass(frozen=True)
class Choices:
    """What the directory's filters offer, the same for every search of a fair."""

    total: int  # approved exhibitors
    ocop_total: int  # of them, those showing a product certified on the opening day
    provinces: list  # (code, name) of the exhibitors' provinces, Vietnamese order
    categories: list  # (id, name) of the categories they show


def directory_choices(event: Event) -> Choices:
    """The filter choices of a fair's directory: the fair's figures (vendors.selectors.figures),
    the same the reports page and the printed list give. Four queries."""
    figures = fair_figures(event)
    return Choices(
        total=figures.businesses,
        ocop_total=figures.ocop_businesses,
        provinces=figures.provinces,
        categories=figures.categories,
    )


def directory(*, event: Event, filters: Filters, page_number=1, choices: Choices | None = None) -> DirectoryPage:
    """One page of the fair's directory with its filter choices (`choices`, else read here).
    Five queries for the page: the ids found, the page's rows, booths, listed products, products;
    four more for the choices."""
    # The match is evaluated once: the ordered ids of every business found (a fair's worth at
    # most), counted and paged here; the page's rows are then read by id.
    ids = list(exhibitors(event, filters).values_list("pk", flat=True))
    page = Paginator(ids, PER_PAGE).get_page(page_number)
    page.object_list = _build(_rows(page.object_list), event, brief=True)
    choices = choices or directory_choices(event)
    return DirectoryPage(
        page=page,
        total=choices.total,
        ocop_total=choices.ocop_total,
        provinces=choices.provinces,
        categories=choices.categories,
        filters=filters,
    )


# --- one business ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicProfile:
    """What the public page shows of a business beyond its listing: its kind, description and
    website. Nothing else of the Vendor reaches the template: a household's tax code is its owner's
    personal ID, and its street address and phone are the owner's home and mobile (NĐ 13/2023)."""

    kind_label: str
    description: str
    website: str


@dataclass(frozen=True)
class ExhibitorPage:
    exhibitor: Exhibitor
    vendor: PublicProfile


def exhibitor(*, event: Event, vendor_id: int) -> ExhibitorPage:
    """A business's page at a fair: 404 unless it has an approved application there. Six queries."""
    row = Application.objects.filter(event=event, vendor_id=vendor_id, status=A.APPROVED).values_list(*_FIELDS).first()
    if row is None:
        raise Http404(_("This business does not take part in this fair."))
    kind, description, website = Vendor.objects.values_list("kind", "description", "website").get(pk=vendor_id)
    label = str(dict(Vendor.Kind.choices).get(kind, kind))
    profile = PublicProfile(kind_label=label, description=description, website=website)
    return ExhibitorPage(exhibitor=_build([row], event)[0], vendor=profile)


def is_listed(*, event: Event, vendor_id: int) -> bool:
    """Whether the business has an approved application at the fair. One query."""
    return Application.objects.filter(event=event, vendor_id=vendor_id, status=A.APPROVED).exists()
