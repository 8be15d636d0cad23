"""A legacy participant list imports with its organisers' own category words: loose matching
(accents, case, punctuation, a name that starts with or contains the word), the organiser's
confirmed aliases, and unknown words as warnings, never as row errors."""

import contextlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from events.categories import CategoryMatcher, category_key
from events.models import Category, CategoryAlias
from tests import factories
from vendors.models import Application, Vendor

pytestmark = pytest.mark.django_db

LIST = Path(__file__).resolve().parent.parent / "data" / "legacy_participants.csv"


def _import(event=None):
    out = StringIO()
    args = [str(LIST), "--json"] + (["--event", event.slug] if event else [])
    with contextlib.suppress(SystemExit):
        call_command("import_vendors", *args, stdout=out)
    return json.loads(out.getvalue())


def _categories(name):
    return sorted(Vendor.objects.get(name=name).categories.values_list("name", flat=True))


def test_a_fresh_installation_has_the_common_categories():
    names = set(Category.objects.values_list("name", flat=True))

    assert {"Nông sản", "Đồ uống", "Thủ công mỹ nghệ – làng nghề", "Sản phẩm OCOP", "Dịch vụ"} <= names


def test_a_fresh_installation_imports_a_real_list_with_unknown_words_as_warnings():
    result = _import()

    assert result["errors"] == []
    assert (result["created"], result["updated"]) == (4, 0)
    assert result["warnings"] == [{"field": "categories", "word": "Hàng tươi sống", "rows": [5]}]
    assert _categories("HTX Gốm Bát Tràng") == ["Thủ công mỹ nghệ – làng nghề"]
    assert _categories("Hộ kinh doanh Chè Tân Cương") == ["Đồ uống"]
    assert _categories("Công ty Hàng tươi sống") == ["Nông sản"]
    assert not Category.objects.filter(name__icontains="tươi sống").exists()  # never made silently


def test_importing_twice_changes_nothing_more():
    _import()
    before = {v.tax_code: sorted(v.categories.values_list("pk", flat=True)) for v in Vendor.objects.all()}

    again = _import()

    assert (again["created"], again["updated"]) == (0, 4)
    assert again["errors"] == []
    assert {v.tax_code: sorted(v.categories.values_list("pk", flat=True)) for v in Vendor.objects.all()} == before
    assert Vendor.objects.count() == 4


def test_seed_demo_names_match_the_list_words():
    call_command("seed_demo", stdout=StringIO())
    matcher = CategoryMatcher(Category.objects.all())

    assert matcher.match("Thủ công mỹ nghệ").name == "Thủ công mỹ nghệ – làng nghề"
    assert matcher.match("ĐỒ UỐNG").name == "Đồ uống"
    assert Category.objects.filter(name="Đồ uống").count() == 1


def test_an_alias_the_organiser_confirmed_is_used_at_the_next_import():
    event = factories.EventFactory(max_booths_per_participant=4)
    fresh = Category.objects.get(name="Thủy hải sản")
    CategoryAlias.objects.create(organiser=event.organiser, word=category_key("Hàng tươi sống"), category=fresh)

    result = _import(event)

    assert result["warnings"] == []
    assert _categories("Công ty Hàng tươi sống") == ["Nông sản", "Thủy hải sản"]
    assert Application.objects.filter(event=event).count() == 4
    other = CategoryMatcher(Category.objects.all())  # another organiser has no such alias
    assert other.match("Hàng tươi sống") is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("thu cong my nghe", "Thủ công mỹ nghệ – làng nghề"),
        ("Chè - cà phê", "Chè – cà phê"),
        ("cà phê", "Chè – cà phê"),  # contained as whole words
        ("Thực phẩm", "Thực phẩm chế biến"),
        ("phẩm", None),  # several categories contain it: no guess
        ("Đồ chơi", None),
    ],
)
def test_category_words_match_loosely(word, expected):
    found = CategoryMatcher(Category.objects.all()).match(word)

    assert (found.name if found else None) == expected
