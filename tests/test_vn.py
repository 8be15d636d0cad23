import pytest

from tuanhang.kernel.vn import clean_tax_code, fold, format_phone, normalise_tones, parse_phone, sort_key


@pytest.mark.parametrize("text", ["dong thap", "Đồng Tháp", "ĐỒNG THÁP", "  Đồng   tháp "])
def test_fold_makes_accent_case_and_d_variants_equal(text):
    assert fold(text) == "dong thap"


def test_fold_keeps_different_words_apart():
    assert fold("Đồng Tháp") != fold("Đông Thạp Xanh")
    assert fold("Đăng") != fold("Đồng")


@pytest.mark.parametrize(("a", "b"), [("Hoà Bình", "Hòa Bình"), ("Thuỷ Nguyên", "Thủy Nguyên"), ("KHOÁ", "khóa")])
def test_normalise_tones_ignores_tone_placement_and_case(a, b):
    assert normalise_tones(a) == normalise_tones(b)


def test_normalise_tones_keeps_tones_apart():
    assert normalise_tones("Hà Nam") != normalise_tones("Hạ Nam")


def test_normalise_tones_ignores_unicode_normal_form():
    import unicodedata

    assert normalise_tones(unicodedata.normalize("NFD", "Thủy")) == normalise_tones("Thủy")


def test_sort_key_follows_vietnamese_alphabet_not_bytes():
    names = ["Zeta", "Ưng", "Uyên", "Đào", "Dũng", "Ân", "Ăn", "An", "Ơn", "Ôn", "On"]
    assert sorted(names, key=sort_key) == ["An", "Ăn", "Ân", "Dũng", "Đào", "On", "Ôn", "Ơn", "Uyên", "Ưng", "Zeta"]


def test_sort_key_orders_tones_as_secondary_key():
    names = ["Hạ", "Há", "Hã", "Hả", "Hà", "Ha", "Hai"]
    assert sorted(names, key=sort_key) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ", "Hai"]


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("+84 0912 345 678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0386-123-456", "+84386123456"),
        ("0225 3842 123", "+842253842123"),
        ("(0225) 3842123", "+842253842123"),
    ],
)
def test_parse_phone_accepts_common_vietnamese_writings(raw, e164):
    assert parse_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "12345", "abc", "091234567", "0112345678", "+1 415 555 0100", "09123456789012"])
def test_parse_phone_rejects_what_cannot_be_vietnamese(raw):
    with pytest.raises(ValueError):
        parse_phone(raw)


def test_format_phone_shows_national_form():
    assert format_phone("+84912345678") == "0912 345 678"
    assert format_phone("+842253842123") == "0225 3842 123"
    assert format_phone("") == ""


@pytest.mark.parametrize("code", ["0100109106", "0300588569", "0100109106-001", "0100109106001", " 0100 109 106 "])
def test_tax_code_valid_for_enterprise(code):
    assert clean_tax_code(code, "DN") in {"0100109106", "0300588569", "0100109106-001"}


@pytest.mark.parametrize("code", ["0100109107", "0300588560", "010010910", "01001091066", "0100109106-0", "abcdefghij"])
def test_tax_code_broken_check_digit_or_shape_rejected(code):
    with pytest.raises(ValueError):
        clean_tax_code(code, "DN")


def test_tax_code_personal_id_only_for_household_business():
    assert clean_tax_code("031203012345", "HKD") == "031203012345"
    assert clean_tax_code("0100109106", "HKD") == "0100109106"
    with pytest.raises(ValueError):
        clean_tax_code("031203012345", "DN")
    with pytest.raises(ValueError):
        clean_tax_code("031203012345", "HTX")
    with pytest.raises(ValueError):
        clean_tax_code("03120301234", "HKD")
