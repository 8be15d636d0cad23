import unicodedata

import pytest

from events.models import Commune, Province
from events.reference import ProvinceResolver, load_reference_data, read_units


def test_reference_data_matches_the_2025_map(db):
    assert Province.objects.count() == 34
    assert Province.objects.filter(kind=Province.Kind.CITY).count() == 6
    assert Province.objects.get(code="91").name == "An Giang"
    assert Province.objects.get(code="31").full_name == "Thành phố Hải Phòng"
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(province_id="31").exists()


def test_every_old_province_resolves_to_its_unit(db):
    resolver = ProvinceResolver()
    old_names = {old: unit["code"] for unit in read_units() for old in unit["merged_from"]}
    assert len(old_names) == 63
    for old, code in old_names.items():
        assert resolver.resolve(old).code == code, old


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hải Dương", "Hải Phòng"),
        ("HẢI DƯƠNG", "Hải Phòng"),
        ("hai duong", "Hải Phòng"),
        ("Thừa Thiên Huế", "Huế"),
        ("Thừa Thiên-Huế", "Huế"),
        ("Tỉnh Hoà Bình", "Phú Thọ"),
        ("Hòa Bình", "Phú Thọ"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP HCM", "Hồ Chí Minh"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Thành phố Hải Phòng", "Hải Phòng"),
        ("Kiên Giang", "An Giang"),
        ("  hà   nội ", "Hà Nội"),
    ],
)
def test_province_resolver_accepts_old_names_and_spelling_variants(db, text, expected):
    assert ProvinceResolver().resolve(text).name == expected


def test_province_resolver_ignores_unicode_normal_form(db):
    assert ProvinceResolver().resolve(unicodedata.normalize("NFD", "Đắk Lắk")).code == "66"


@pytest.mark.parametrize("text", ["", "Atlantis", "Hà", "Quận 1"])
def test_province_resolver_returns_none_for_unknown(db, text):
    assert ProvinceResolver().resolve(text) is None


def test_reference_loader_is_idempotent(db):
    from events.models import ProvinceAlias

    before = (Province.objects.count(), ProvinceAlias.objects.count(), Commune.objects.count())
    load_reference_data(Province, ProvinceAlias, Commune)
    assert (Province.objects.count(), ProvinceAlias.objects.count(), Commune.objects.count()) == before
