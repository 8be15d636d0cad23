"""One definition per figure: the reports page, the public directory, the participant list and
the closing report give the same participants, provinces, categories and OCOP figures, and an
OCOP product counts only when its certificate is valid on the fair's opening day."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from events.generated.registry import get_builder
from events.models import Event
from tests import factories
from tests.printing.support import pdf_text
from vendors.models import Application, Product, Vendor
from vendors.ocop import ocop_valid_on
from vendors.selectors.figures import fair_figures

pytestmark = pytest.mark.django_db

OPENING = dt.date(2026, 12, 28)


def _years_before(years, days=0):
    return OPENING.replace(year=OPENING.year - years) - dt.timedelta(days=days)


@pytest.fixture
def ocop_fair():
    """Four approved participants: a valid 4★, an expired 3★ only, a valid 5★ beside an expired 3★
    and one without OCOP; a submitted one with a valid 5★ (not taking part)."""
    opens = timezone.make_aware(dt.datetime.combine(OPENING, dt.time(8)))
    event = factories.EventFactory(
        slug="hoi-cho-ocop",
        status=Event.Status.REGISTRATION_CLOSED,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=4),
        registration_closes_at=opens - dt.timedelta(days=14),
        setup_at=opens - dt.timedelta(hours=12),
    )
    food = factories.CategoryFactory(name="Thực phẩm chế biến")
    craft = factories.CategoryFactory(name="Thủ công mỹ nghệ")

    def participant(name, province, products, status=Application.Status.APPROVED):
        vendor = factories.VendorFactory(name=name, province_id=province)
        vendor.categories.set([food if province != "01" else craft])
        for product_name, stars, decided in products:
            factories.ProductFactory(
                vendor=vendor, name=product_name, category=food, ocop_stars=stars, ocop_decision_date=decided
            )
        return factories.ApplicationFactory(vendor=vendor, event=event, status=status)

    participant("Công ty Nước mắm Cát Hải", "31", [("Nước mắm nhĩ", 4, _years_before(1))])
    participant("HTX Mật ong Đồng Văn", "08", [("Mật ong bạc hà", 3, _years_before(3, days=1))])  # expired
    participant(
        "HTX Chè Thái Nguyên",
        "19",
        [("Chè Tân Cương", 5, _years_before(2)), ("Chè búp", 3, _years_before(4))],
    )
    participant("Hộ kinh doanh Gốm Bát Tràng", "01", [("Bình gốm", None, None)])
    participant("HTX Chờ duyệt", "31", [("Cà phê", 5, _years_before(1))], status=Application.Status.SUBMITTED)
    return event


@pytest.mark.parametrize(
    ("decided", "day", "valid"),
    [
        (dt.date(2023, 12, 28), dt.date(2026, 12, 28), True),  # the last day
        (dt.date(2023, 12, 27), dt.date(2026, 12, 28), False),  # a day too old
        (dt.date(2026, 12, 29), dt.date(2026, 12, 28), False),  # decided after the opening
        (dt.date(2025, 2, 28), dt.date(2028, 2, 29), False),  # expired 28/02/2028, the day before
        (dt.date(2025, 3, 1), dt.date(2028, 2, 29), True),
        (None, dt.date(2026, 12, 28), True),  # declared without a decision date: counted, flagged
    ],
)
def test_ocop_valid_on_a_day(decided, day, valid):
    product = factories.ProductFactory(ocop_stars=3, ocop_decision_date=decided)
    factories.ProductFactory(ocop_stars=None)

    found = list(Product.objects.filter(ocop_valid_on(day)))

    assert found == ([product] if valid else [])


def test_fair_figures_count_only_certificates_valid_on_the_opening_day(ocop_fair):
    figures = fair_figures(ocop_fair)

    assert figures.businesses == 4
    assert figures.province_count == 4
    assert figures.category_count == 2
    assert figures.ocop_businesses == 2
    assert figures.ocop_by_stars == {3: 0, 4: 1, 5: 1}
    assert figures.ocop_undated == 0


def _reports_page(client, event):
    page = client.get(reverse("reports:page", args=[event.slug])).content.decode()
    return {key: _figure(page, key) for key in ("businesses", "provinces", "categories", "ocop-businesses")}, page


def _figure(page, key):
    marker = f'data-figure="{key}">'
    start = page.index(marker) + len(marker)
    return page[start : page.index("<", start)]


def _build(kind, event, options=None):
    builder, options = get_builder(kind), options or {}
    return builder.render(event, builder.collect(event, options), options, lambda *args: None)


def _build(kind, event, options=None):
    builder, options = get_builder(kind), options or {}
    return builder.render(event, builder.collect(event, options), options, lambda *args: None)


def test_the_four_outputs_give_the_same_ocop_figure(client, organiser_user, ocop_fair):
    client.force_login(organiser_user)
    with translation.override("vi"):
        figures, page = _reports_page(client, ocop_fair)
        directory = client.get(reverse("vendors:exhibitors", args=[ocop_fair.slug])).content.decode()
        ocop_only = client.get(reverse("vendors:exhibitors", args=[ocop_fair.slug]), {"ocop": 3}).content.decode()
        participants = pdf_text(_build("participants", ocop_fair, {"order": "booth"}))
        closing_text = pdf_text(_build("closing_report", ocop_fair))
        book = load_workbook(io.BytesIO(_build("closing_report_xlsx", ocop_fair)))

    # the reports page: 2 participants with OCOP products, 1 of 4★ and 1 of 5★, none of 3★
    assert figures == {"businesses": "4", "provinces": "4", "categories": "2", "ocop-businesses": "2"}
    assert _figure(page, "ocop-products") == "2"
    assert "<title>4 sao · Sản phẩm: 1</title>" in page and "<title>5 sao · Sản phẩm: 1</title>" in page
    assert "<title>3 sao · Sản phẩm" not in page  # no bar: the expired 3★ are not counted
    # the directory: the same 2, the filter finds them, and the expired 3★ shows no stars
    assert _figure(directory, "ocop-businesses").startswith("2 ")
    assert "Công ty Nước mắm Cát Hải" in ocop_only and "HTX Chè Thái Nguyên" in ocop_only
    assert "HTX Mật ong Đồng Văn" not in ocop_only
    # the participant list: stars only for the two, and the same closing figure
    assert participants.count("★★★") == 2  # ★★★★ and ★★★★★; the expired ★★★ not shown
    assert "OCOP: 2 " in participants
    assert "3★: 0" in participants and "4★: 1" in participants and "5★: 1" in participants
    # the closing report, PDF and .xlsx
    assert "OCOP: 2 " in closing_text and "4★: 1" in closing_text
    sheet = book.worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(values.values())[:5] == [4, 4, 2, 2, 2]


def test_the_category_chart_counts_the_categories_the_figures_count(ocop_fair):
    from events.models import Category
    from tuanhang.office.reports.selectors import participants_by_category

    craft = Category.objects.get(name="Thủ công mỹ nghệ")
    # The tea cooperative names a category on its application: that one, not its profile's.
    Application.objects.get(vendor__name="HTX Chè Thái Nguyên").categories.set([craft])

    figures = fair_figures(ocop_fair)
    chart = participants_by_category(ocop_fair, figures)

    assert sorted(chart.rows) == sorted((name, [n]) for _pk, name, n in figures.category_participants)
    assert sorted(chart.rows) == [("Thủ công mỹ nghệ", [2]), ("Thực phẩm chế biến", [2])]
    assert figures.category_count == len(chart.rows) == 2
    assert chart == participants_by_category(ocop_fair)  # computed alone, the same


def test_the_staff_fair_list_counts_ocop_products_as_the_figures_on_each_fairs_opening_day(
    client, organiser_user, ocop_fair
):
    # The tea cooperative lists only its expired 3★ product: its valid 5★ is not shown at this fair.
    tea = Application.objects.get(event=ocop_fair, vendor__name="HTX Chè Thái Nguyên")
    tea.products.set(Product.objects.filter(name="Chè búp"))
    # The fish sauce, valid on this fair's opening day, has expired by a fair two years later.
    later_opening = ocop_fair.opens_at.replace(year=OPENING.year + 3)
    later = factories.EventFactory(
        slug="hoi-cho-sau",
        opens_at=later_opening,
        closes_at=later_opening + dt.timedelta(days=4),
        registration_closes_at=later_opening - dt.timedelta(days=14),
        setup_at=later_opening - dt.timedelta(hours=12),
    )
    fish = factories.ApplicationFactory(
        event=later, vendor=Vendor.objects.get(name="Công ty Nước mắm Cát Hải"), status=Application.Status.APPROVED
    )
    fish.products.set(Product.objects.filter(name="Nước mắm nhĩ"))
    client.force_login(organiser_user)

    response = client.get(reverse("events:staff_home"))

    counts = {event.slug: event.ocop_count for event in response.context["events"]}
    assert fair_figures(ocop_fair).ocop_products == 1  # the 4★ fish sauce
    assert counts["hoi-cho-ocop"] == 1
    assert fair_figures(later).ocop_products == 0
    assert counts["hoi-cho-sau"] == 0
