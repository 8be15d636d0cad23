import pytest

from tests.factories import CategoryFactory, VendorFactory
from vendors.forms import VendorForm
from vendors.models import Vendor


def _data(**overrides):
    data = {
        "name": "Công ty TNHH Thực phẩm Đồng Tháp",
        "short_name": "TP Đồng Tháp",
        "kind": "DN",
        "tax_code": "0100109106",
        "province": "82",
        "phone": "+84 0912 345 678",
        "email": "lienhe@dongthap.vn",
    }
    data.update(overrides)
    return data


def test_vendor_form_accepts_a_valid_business_and_normalises(db):
    form = VendorForm(data=_data(province="Tiền Giang", tax_code="0100 109 106 - 001"))
    assert form.is_valid(), form.errors
    vendor = form.save()
    assert vendor.phone == "+84912345678"
    assert vendor.tax_code == "0100109106-001"
    assert vendor.province.name == "Đồng Tháp"
    assert vendor.display_phone == "0912 345 678"
    assert vendor.search_text == "cong ty tnhh thuc pham dong thap tp dong thap 0100109106-001 | dong thap | tien giang"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_code": "0100109107"}, "tax_code"),
        ({"tax_code": "031203012345"}, "tax_code"),
        ({"kind": "HTX", "tax_code": "031203012345"}, "tax_code"),
        ({"phone": "12345"}, "phone"),
        ({"province": "Atlantis"}, "province"),
        ({"email": "không-phải-email"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "x" * 300}, "name"),
        ({"kind": "LLC"}, "kind"),
    ],
)
def test_vendor_form_rejects_bad_input_field_by_field_and_writes_nothing(db, overrides, field):
    form = VendorForm(data=_data(**overrides))
    assert not form.is_valid()
    assert field in form.errors
    assert Vendor.objects.count() == 0


def test_household_business_may_use_personal_id(db):
    form = VendorForm(data=_data(kind="HKD", tax_code="031203012345"))
    assert form.is_valid(), form.errors


def test_vendor_form_refuses_a_tax_code_already_registered(db):
    VendorFactory(tax_code="0100109106")
    form = VendorForm(data=_data())
    assert not form.is_valid()
    assert "tax_code" in form.errors


def test_vendor_form_reads_categories_by_name(db):
    CategoryFactory(name="Nông sản", slug="nong-san")
    CategoryFactory(name="Thủy hải sản", slug="thuy-hai-san")
    form = VendorForm(data=_data(categories="nong san; THỦY HẢI SẢN"))
    assert form.is_valid(), form.errors
    assert sorted(c.slug for c in form.cleaned_data["categories"]) == ["nong-san", "thuy-hai-san"]
    bad = VendorForm(data=_data(categories="Nông sản; Vũ khí"))
    assert not bad.is_valid()
    assert "Vũ khí" in bad.errors["categories"][0]


def test_vendor_form_shows_stored_phone_in_national_form(db):
    vendor = VendorFactory(phone="+84912345678")
    assert VendorForm(instance=vendor).initial["phone"] == "0912 345 678"
