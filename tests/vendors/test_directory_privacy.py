"""The public exhibitor directory never shows a household business's personal data (issue 18
leftovers): not the owner's personal ID (its tax code), not its street address, phone or e-mail,
neither on the list nor on its page nor through the search; its province and commune are shown
and found (a household's business place is on its public registration)."""

import pytest

from events.models import Commune, Event
from tests import factories
from tests.vendors._directory_support import en, exhibitor
from tests.vendors.test_directory import names as directory_names
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

MAI = "Hộ kinh doanh Trần Thị Mai"
PERSONAL_ID = "001190012345"
STREET = "Số 12 ngõ 34 phố Hàng Bạc"
PHONE = "+84912345678"
EMAIL = "tranthimai.hk@example.vn"
PERSONAL = [PERSONAL_ID, "Hàng Bạc", PHONE, "0912345678", "0912 345 678", EMAIL]


@pytest.fixture
def household(db):
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip", status=Event.Status.RUNNING)
    application = exhibitor(
        event,
        MAI,
        province="01",
        short_name="",
        kind=Vendor.Kind.HKD,
        tax_code=PERSONAL_ID,
        address=STREET,
        phone=PHONE,
        email=EMAIL,
        description="Bánh cốm làng Vòng gia truyền.",
        commune=Commune.objects.get(name="Phường Hoàn Kiếm"),
    )
    return application.vendor


def _page(client, name, **kwargs):
    response = client.get(en(name, **kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_household_list_and_page_show_no_personal_data(client, household):
    listing = _page(client, "vendors:exhibitors", slug="vsip")
    page = _page(client, "vendors:exhibitor", event_slug="vsip", vendor_id=household.pk)

    assert MAI in listing and MAI in page
    assert "Hà Nội" in page and "Bánh cốm làng Vòng gia truyền." in page
    assert [text for text in PERSONAL if text in listing or text in page] == []


@pytest.mark.parametrize("query", [PERSONAL_ID, "0912345678", "Hang Bac", "tranthimai"])
def test_household_is_not_found_by_its_personal_data(client, household, query):
    assert directory_names(client.get(en("vendors:exhibitors", slug="vsip"), {"q": query})) == []


@pytest.mark.parametrize("query", ["Hà Nội", "hoan kiem", "Trần Thị Mai"])
def test_household_is_found_by_its_name_province_and_commune(client, household, query):
    assert directory_names(client.get(en("vendors:exhibitors", slug="vsip"), {"q": query})) == [MAI]


def test_a_company_tax_code_is_still_found(client, household):
    company = exhibitor(Event.objects.get(slug="vsip"), "Công ty TNHH Nước mắm Cát Hải", province="31")

    found = directory_names(client.get(en("vendors:exhibitors", slug="vsip"), {"q": company.vendor.tax_code}))

    assert found == ["Công ty TNHH Nước mắm Cát Hải"]
