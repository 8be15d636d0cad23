"""The admin import's preview lists the category words no category matches; staff map each to a
category, create one, or leave it, and confirming remembers the choice as the organiser's alias
(issue 19 item 5), all in the import's one transaction."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from events.categories import category_key
from events.models import Category, CategoryAlias
from tests.factories import EventFactory, OrganiserFactory, StaffUserFactory, valid_tax_code
from vendors.admin_import import SESSION_KEY
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Tên đơn vị", "Loại hình", "Mã số thuế", "Tỉnh/TP", "Nhóm hàng"]


@pytest.fixture(autouse=True)
def english_and_private_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    with translation.override("en"):
        yield


@pytest.fixture
def import_url():
    return reverse("admin:vendors_vendor_import")


def xlsx(rows):
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue())


def rows(*words, start=0):
    return [
        [n + 1, f"Công ty {start + n}", "DN", valid_tax_code(700 + start + n), "Hải Phòng", word]
        for n, word in enumerate(words)
    ]


def upload(client, url, table, **data):
    response = client.post(url, {"file": xlsx(table), **data})
    assert response.status_code == 302, response.content.decode()
    return client.get(url)


def confirm(client, url, **data):
    token = client.session[SESSION_KEY]["token"]
    return client.post(url, {"action": "confirm", "token": token, **data}, follow=True)


def word_choices(response):
    """{word: field name} of the mapping form on the preview."""
    form = response.context["mapping_form"]
    return {warning["word"]: choice.html_name for warning, _word, choice in form.rows}


def hidden_words(response):
    form = response.context["mapping_form"]
    return {word.html_name: word.value() for _warning, word, _choice in form.rows}


def categories_of(name):
    return sorted(Vendor.objects.get(name=name).categories.values_list("name", flat=True))


@pytest.fixture
def fair():
    return EventFactory(max_booths_per_participant=3)


def importer(organiser, *perms):
    """An administrator of `organiser` who may import participant lists (Django's permissions on
    the shared registry, as the import page asks) and, with "add_category", create categories."""
    user = StaffUserFactory(organiser=organiser)
    names = ("add_vendor", "change_vendor", *perms)
    user.user_permissions.add(*Permission.objects.filter(codename__in=names))
    return user


@pytest.fixture
def admin1(client, fair):
    client.force_login(importer(fair.organiser, "add_category"))
    return client


def test_preview_lists_the_unknown_words_with_their_rows_and_creates_nothing(admin1, import_url, fair):
    response = upload(admin1, import_url, rows("Hàng tươi sống", "Nông sản; Đồ chơi", "hang tuoi song"), event=fair.pk)

    content = response.content.decode()
    assert "Category words not recognised" in content
    assert [(w["word"], w["rows"]) for w in response.context["plan"].warnings] == [
        ("Hàng tươi sống", [2, 4]),
        ("Đồ chơi", [3]),
    ]
    assert list(word_choices(response)) == ["Hàng tươi sống", "Đồ chơi"]
    assert "Create the category “Đồ chơi”" in content
    assert f"remembered for <strong>{fair.organiser}</strong>" in content
    assert not CategoryAlias.objects.exists()
    assert not Category.objects.filter(name="Đồ chơi").exists()


def test_mapping_a_word_imports_its_rows_with_the_category_and_remembers_it(admin1, import_url, fair):
    seafood = Category.objects.get(name="Thủy hải sản")
    preview = upload(admin1, import_url, rows("Hàng tươi sống", "Nông sản; hàng tươi sống"), event=fair.pk)
    field = word_choices(preview)["Hàng tươi sống"]

    response = confirm(admin1, import_url, **{field: str(seafood.pk)}, **hidden_words(preview))

    assert "Imported the participant list: 2 created, 0 updated." in response.content.decode()
    assert categories_of("Công ty 0") == ["Thủy hải sản"]
    assert categories_of("Công ty 1") == ["Nông sản", "Thủy hải sản"]
    alias = CategoryAlias.objects.get()
    assert (alias.organiser, alias.word, alias.category) == (fair.organiser, "hang tuoi song", seafood)

    again = upload(admin1, import_url, rows("HÀNG TƯƠI SỐNG", start=5), event=fair.pk)

    assert again.context["plan"].warnings == []
    assert "Category words not recognised" not in again.content.decode()
    confirm(admin1, import_url)
    assert categories_of("Công ty 5") == ["Thủy hải sản"]


def test_create_makes_exactly_one_category_for_a_word_used_on_several_rows(admin1, import_url, fair):
    before = Category.objects.count()
    preview = upload(admin1, import_url, rows("Đồ chơi trẻ em", "do choi tre em", "Đồ chơi trẻ em"), event=fair.pk)
    field = word_choices(preview)["Đồ chơi trẻ em"]

    confirm(admin1, import_url, **{field: "new"}, **hidden_words(preview))

    assert Category.objects.count() == before + 1
    toys = Category.objects.get(name="Đồ chơi trẻ em")
    assert toys.slug == "do-choi-tre-em"
    assert [categories_of(f"Công ty {n}") for n in range(3)] == [["Đồ chơi trẻ em"]] * 3
    assert CategoryAlias.objects.get(organiser=fair.organiser).category == toys


def test_create_is_offered_only_to_who_may_add_categories(client, import_url, fair):
    client.force_login(importer(fair.organiser))
    preview = upload(client, import_url, rows("Đồ chơi"), event=fair.pk)
    field = word_choices(preview)["Đồ chơi"]

    assert "Create the category" not in preview.content.decode()
    refused = confirm(client, import_url, **{field: "new"}, **hidden_words(preview))
    assert "Select a valid choice." in refused.content.decode()
    assert not Category.objects.filter(name="Đồ chơi").exists()


def test_leaving_a_word_imports_the_rows_without_it_and_remembers_nothing(admin1, import_url, fair):
    preview = upload(admin1, import_url, rows("Đồ chơi"), event=fair.pk)

    confirm(admin1, import_url, **hidden_words(preview))

    assert categories_of("Công ty 0") == []
    assert not CategoryAlias.objects.exists()


def test_an_import_that_writes_nothing_keeps_no_mapping_and_no_new_category(admin1, import_url, fair):
    table = [*rows("Đồ chơi"), [2, "Công ty sai mã", "DN", "0100109107", "Hải Phòng", "Đồ chơi"]]
    preview = upload(admin1, import_url, table, event=fair.pk)
    before = Category.objects.count()

    response = confirm(admin1, import_url, **{word_choices(preview)["Đồ chơi"]: "new"}, **hidden_words(preview))

    assert "Nothing was imported: 1 row has errors." in response.content.decode()
    assert Category.objects.count() == before
    assert not CategoryAlias.objects.exists()
    assert not Vendor.objects.exists()


def test_another_organisers_staff_never_see_or_use_the_alias(client, import_url, fair):
    seafood = Category.objects.get(name="Thủy hải sản")
    CategoryAlias.objects.create(organiser=fair.organiser, word=category_key("Hàng tươi sống"), category=seafood)
    other_fair = EventFactory(organiser=OrganiserFactory(name="Hiệp hội Doanh nghiệp Thủy Nguyên"))
    client.force_login(importer(other_fair.organiser))

    preview = upload(client, import_url, rows("Hàng tươi sống"), event=other_fair.pk)

    assert list(word_choices(preview)) == ["Hàng tươi sống"]
    assert "Thủy hải sản" not in preview.content.decode().split("import-category-words")[0]
    confirm(client, import_url, **hidden_words(preview))
    assert categories_of("Công ty 0") == []
    alias_list = client.get(reverse("admin:events_categoryalias_changelist"))
    assert list(alias_list.context["cl"].result_list) == []


def test_without_a_fair_the_organiser_must_be_chosen_to_remember_a_word(client, import_url, fair):
    OrganiserFactory(name="Hiệp hội Doanh nghiệp Thủy Nguyên")
    client.force_login(StaffUserFactory(is_superuser=True))
    seafood = Category.objects.get(name="Thủy hải sản")
    preview = upload(client, import_url, rows("Hàng tươi sống"))
    mapped = {word_choices(preview)["Hàng tươi sống"]: str(seafood.pk), **hidden_words(preview)}

    refused = confirm(client, import_url, **mapped)
    assert "Choose the organiser whose lists use these words" in refused.content.decode()
    assert not Vendor.objects.exists()

    confirm(client, import_url, organiser=fair.organiser.pk, **mapped)
    assert categories_of("Công ty 0") == ["Thủy hải sản"]
    assert CategoryAlias.objects.get().organiser == fair.organiser


def test_a_preview_older_than_a_remembered_word_asks_again(admin1, import_url, fair):
    seafood = Category.objects.get(name="Thủy hải sản")
    preview = upload(admin1, import_url, rows("Đồ chơi", "Hàng tươi sống"), event=fair.pk)
    CategoryAlias.objects.create(organiser=fair.organiser, word="do choi", category=seafood)
    choices = word_choices(preview)

    response = confirm(admin1, import_url, **{choices["Hàng tươi sống"]: str(seafood.pk)}, **hidden_words(preview))

    assert "The unknown words of this list changed meanwhile: check the choices again." in response.content.decode()
    assert not Vendor.objects.exists()


def test_the_mapping_reads_in_vietnamese(admin1, import_url, fair):
    upload(admin1, import_url, rows("Đồ chơi"), event=fair.pk)

    with translation.override("vi"):
        content = admin1.get(reverse("admin:vendors_vendor_import")).content.decode()

    assert "Nhóm hàng chưa nhận ra" in content
    assert "Để trống, không gán nhóm hàng" in content
    assert "Tạo nhóm hàng mới “Đồ chơi”" in content
