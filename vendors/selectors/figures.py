"""The figures of a fair, defined once: the reports page, the public directory, the participant
list and the closing report all read them here.

Who counts: the businesses with an approved application at the fair. What each shows there: the
products its application lists (all its own when it lists none) and the categories its
application names (those of its profile when it names none), the rule of the directory and of
the booth map's colours. An OCOP product counts when its certificate is valid on the fair's
opening day (vendors.ocop). Fixed query counts whatever the number of participants."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from events.models import Category
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.db import SubqueryCount
from tuanhang.kernel.vn import sort_key

from ..models import Application, Product, Vendor
from ..ocop import counting_day, ocop_valid_on

A = Application.Status
STARS = (3, 4, 5)
_LISTED = Application.products.through
_NAMED = Application.categories.through
_PROFILE = Vendor.categories.through


def shown_products(application_ref="pk"):
    """Products a business shows through an application (`application_ref` names the
    application's id in the outer query): those it lists, or all its own when it lists none."""
    listed = _LISTED.objects.filter(application_id=OuterRef(OuterRef(application_ref)))
    return Product.objects.filter(
        Q(Exists(listed.filter(product_id=OuterRef("pk")))) | ~Q(Exists(listed)),
        vendor_id=OuterRef("vendor_id"),
    )


def approved(event):
    return Application.objects.filter(event=event, status=A.APPROVED)


def shows_ocop(event) -> Q:
    """Applications (of `event`) showing at least one product certified on its opening day."""
    return Q(Exists(shown_products().filter(ocop_valid_on(counting_day(event)))))


def _shown_by_approved(event):
    """Products shown by an approved participant of the fair (from the product's side)."""
    lists_any = _LISTED.objects.filter(application_id=OuterRef("pk"))
    showing = (
        approved(event)
        .filter(vendor_id=OuterRef(OuterRef("vendor_id")))
        .filter(Q(Exists(lists_any.filter(product_id=OuterRef(OuterRef("pk"))))) | ~Q(Exists(lists_any)))
    )
    return Product.objects.filter(Exists(showing))


def shown_categories(event):
    """Categories shown by the fair's approved participants (named, or from the profile), each
    annotated with `participants`: how many of them show it (one showing two counts in both)."""
    names_none = ~Q(Exists(_NAMED.objects.filter(application_id=OuterRef("pk"))))
    names_it = Q(Exists(_NAMED.objects.filter(application_id=OuterRef("pk"), category_id=OuterRef(OuterRef("pk")))))
    profile_has_it = Q(
        Exists(_PROFILE.objects.filter(vendor_id=OuterRef("vendor_id"), category_id=OuterRef(OuterRef("pk"))))
    )
    showing = approved(event).filter(names_it | (names_none & profile_has_it))
    return Category.objects.annotate(participants=SubqueryCount(showing)).filter(participants__gt=0)


@dataclass(frozen=True)
class FairFigures:
    """What every report, list and page says about a fair's participants."""

    businesses: int  # approved participants
    ocop_businesses: int  # of them, those showing a product certified on the opening day
    provinces: list  # (code, name) of the participants' provinces, Vietnamese order
    category_participants: list  # (id, name, participants showing it) per category shown, in the categories' order
    ocop_by_stars: dict  # stars → products shown, certified on the opening day
    ocop_undated: int  # of the OCOP products, those declared without a decision date (flagged)

    @property
    def ocop_products(self) -> int:
        return sum(self.ocop_by_stars.values())

    @property
    def province_count(self) -> int:
        return len(self.provinces)

    @property
    def categories(self) -> list:
        """(id, name) of the categories the participants show, in the categories' order."""
        return [(pk, name) for pk, name, _n in self.category_participants]

    @property
    def category_count(self) -> int:
        return len(self.categories)

    def labelled(self) -> list[tuple[str, int]]:
        """(label, value) of every figure, in the order the reports print them."""
        return [
            (_("Participants"), self.businesses),
            (_("Provinces / cities"), self.province_count),
            (_("Product categories"), self.category_count),
            (_("Participants with OCOP products"), self.ocop_businesses),
            (_("OCOP products (certified on the opening day)"), self.ocop_products),
            *(
                (_("OCOP products, %(stars)s stars") % {"stars": n}, count)
                for n, count in sorted(self.ocop_by_stars.items())
            ),
        ]


def fair_figures(event) -> FairFigures:
    """The fair's figures (see the module's docstring). Three queries."""
    by_province = (
        approved(event)
        .values_list("vendor__province__code", "vendor__province__name")
        .annotate(n=Count("pk"), ocop=Count("pk", filter=shows_ocop(event)))
        .order_by()
    )
    totals = {"businesses": 0, "ocop_businesses": 0}
    provinces = []
    for code, name, n, ocop in by_province:
        totals["businesses"] += n
        totals["ocop_businesses"] += ocop
        provinces.append((code, name))
    provinces.sort(key=lambda pair: sort_key(pair[1]))
    categories = list(
        shown_categories(event)
        .order_by("position", Collate("name", VI_COLLATION))
        .values_list("pk", "name", "participants")
    )
    day = counting_day(event)
    stars = (
        _shown_by_approved(event)
        .filter(ocop_stars__isnull=False)
        .values("ocop_stars")
        .annotate(
            valid=Count("pk", filter=ocop_valid_on(day)),
            undated=Count("pk", filter=Q(ocop_decision_date__isnull=True)),  # counted in `valid` too
        )
        .order_by()
    )
    by_stars = dict.fromkeys(STARS, 0)
    undated = 0
    for row in stars:
        by_stars[row["ocop_stars"]] = row["valid"]
        undated += row["undated"]
    return FairFigures(
        businesses=totals["businesses"],
        ocop_businesses=totals["ocop_businesses"],
        provinces=provinces,
        category_participants=categories,
        ocop_by_stars=by_stars,
        ocop_undated=undated,
    )


def ocop_products_by_fair(events) -> dict[int, int]:
    """{fair id: OCOP products its approved participants show, certified on its opening day} for
    several fairs (a page of the staff's fair list): fair_figures' `ocop_products`, each fair on its
    own opening day. Two queries whatever the number of fairs: products listed on applications, and
    those of businesses whose application lists none."""
    events = list(events)
    if not events:
        return {}

    def valid(event_field, prefix):
        condition = Q(pk__in=[])
        for event in events:
            condition |= Q(**{event_field: event.pk}) & ocop_valid_on(counting_day(event), prefix)
        return condition

    ids = [event.pk for event in events]
    listed = (
        _LISTED.objects.filter(application__status=A.APPROVED, application__event_id__in=ids)
        .values_list("application__event_id")
        .annotate(n=Count("product_id", filter=valid("application__event_id", "product__")))
        .order_by()
    )
    lists_none = (
        Application.objects.filter(status=A.APPROVED, event_id__in=ids)
        .filter(~Exists(_LISTED.objects.filter(application_id=OuterRef("pk"))))
        .values_list("event_id")
        .annotate(n=Count("vendor__products", filter=valid("event_id", "vendor__products__")))
        .order_by()
    )
    counts = dict.fromkeys(ids, 0)
    for rows in (listed, lists_none):
        for event_id, n in rows:
            counts[event_id] += n
    return counts
