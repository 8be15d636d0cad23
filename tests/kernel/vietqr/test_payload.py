"""The VietQR payload, checked from the outside: the rendered PNG is read back by a standard decoder
(zxing-cpp), the string is taken apart by a TLV reader of the tests (tlv.py) and the CRC is compared
with binascii.crc_hqx, an implementation that is not ours."""

import binascii
import io
from decimal import Decimal

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from tests.kernel.vietqr.tlv import as_dict, parse_tlv
from tuanhang.kernel.vietqr import build_payload, crc16_ccitt_false, memo_for_code, payment_code, qr_png, qr_svg


def decode_png(png: bytes):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0]


def check_payload(payload: str, *, bin, account, amount, memo, name=None):
    """Everything a banking app reads from the string, field by field."""
    fields = parse_tlv(payload)
    expected_tags = ["00", "01", "38", "53", "54", "58"] + (["59"] if name else []) + ["62", "63"]
    assert [tag for tag, _value in fields] == expected_tags
    top = dict(fields)
    assert top["00"] == "01"
    assert top["01"] == "12"  # one-time code with an amount
    merchant = as_dict(top["38"])
    assert merchant == {"00": "A000000727", "01": merchant["01"], "02": "QRIBFTTA"}
    assert as_dict(merchant["01"]) == {"00": bin, "01": account}
    assert top["53"] == "704"
    assert top["54"] == str(amount)
    assert top["58"] == "VN"
    assert top.get("59") == name
    assert as_dict(top["62"]) == {"08": memo}
    assert payload[-8:-4] == "6304"
    assert top["63"] == f"{binascii.crc_hqx(payload[:-4].encode('ascii'), 0xFFFF):04X}"


CASES = [
    ("970436", "0011001234567", 3_000_000, "TH0007VF"),  # Vietcombank
    ("970415", "113366668888", 1_500_000, "TH00000C"),  # VietinBank
    ("970418", "21510001234567", 1, "IBFT TH7K4Q 2024"),  # BIDV, the smallest amount
    ("970422", "99MM24011M34875080", 9_999_999_999_999, "Gian hang A-01."),  # letters, the largest amount
]


@pytest.mark.parametrize(("bin", "account", "amount", "memo"), CASES)
def test_rendered_qr_decodes_to_the_account_amount_and_memo(bin, account, amount, memo):
    payload = build_payload(bin, account, amount, memo)

    decoded = decode_png(qr_png(payload))

    assert decoded.text == payload
    assert decoded.ec_level == "M"
    check_payload(decoded.text, bin=bin, account=account, amount=amount, memo=memo)


def test_payload_for_a_payment_code_carries_the_code_as_the_whole_memo():
    code = payment_code("TH", 251)

    payload = build_payload("970436", "0011001234567", 3_000_000, memo_for_code(code))

    check_payload(payload, bin="970436", account="0011001234567", amount=3_000_000, memo=code)
    assert code == "TH0007VF"


def test_merchant_name_goes_in_field_59_before_the_memo():
    payload = build_payload("970405", "2400205123456", 500_000, "TH0007VF", merchant_name="TT KHUYEN CONG HAI PHONG")

    check_payload(
        payload, bin="970405", account="2400205123456", amount=500_000, memo="TH0007VF", name="TT KHUYEN CONG HAI PHONG"
    )


def test_amount_as_a_whole_decimal_is_written_without_decimals():
    payload = build_payload("970436", "0011001234567", Decimal("3000000.00"), "TH0007VF")

    assert as_dict(payload)["54"] == "3000000"


def test_png_has_a_quiet_zone_of_four_modules():
    image = Image.open(io.BytesIO(qr_png(build_payload("970436", "0011001234567", 1000, "TH0007VF"), scale=8)))
    gray = image.convert("L")
    width, height = gray.size
    margin = 4 * 8

    border = [gray.getpixel((x, y)) for x in range(width) for y in range(margin)]
    border += [gray.getpixel((x, y)) for x in range(margin) for y in range(height)]

    assert set(border) == {255}
    assert gray.getpixel((margin, margin)) == 0  # the finder pattern starts right after it


def test_svg_is_an_inline_element_of_the_same_symbol():
    payload = build_payload("970436", "0011001234567", 1000, "TH0007VF")
    png = Image.open(io.BytesIO(qr_png(payload, scale=1)))

    svg = qr_svg(payload, scale=1)

    assert svg.startswith("<svg ") and "<?xml" not in svg
    assert f'width="{png.size[0]}"' in svg


@hypothesis_settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_crc_matches_binascii(data):
    assert crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


ascii_printable = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=25)


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    bin=st.from_regex(r"\A[0-9]{6}\Z"),
    account=st.from_regex(r"\A[0-9A-Za-z]{1,19}\Z"),
    amount=st.integers(min_value=1, max_value=9_999_999_999_999),
    memo=ascii_printable.filter(lambda text: text == text.strip()),
)
def test_any_valid_input_reads_back_field_by_field(bin, account, amount, memo):
    payload = build_payload(bin, account, amount, memo)

    check_payload(payload, bin=bin, account=account, amount=amount, memo=memo)


BAD = [
    ({"bin": "97043"}, "bin", "Nhập mã BIN 6 chữ số của ngân hàng, ví dụ 970436 cho Vietcombank."),
    ({"bin": "٩٧٠٤٣٦"}, "bin", None),  # Arabic-Indic digits are digits to str.isdigit, not to a bank
    (
        {"account": "0011 0012"},
        "account",
        "Nhập số tài khoản: từ 1 đến 19 chữ cái không dấu và chữ số, không có dấu cách.",
    ),
    ({"account": "12345678901234567890"}, "account", None),
    ({"account": ""}, "account", None),
    ({"amount": 0}, "amount", "Số tiền phải là số nguyên đồng, từ 1 đến 9.999.999.999.999."),
    ({"amount": 10_000_000_000_000}, "amount", None),
    ({"amount": 1500.5}, "amount", None),
    ({"amount": Decimal("1500.5")}, "amount", None),
    ({"amount": True}, "amount", None),
    ({"memo": "Thanh toán gian hàng"}, "memo", None),  # diacritics: refused, never transliterated here
    ({"memo": "A" * 26}, "memo", None),
    ({"memo": ""}, "memo", None),
    ({"memo": "TH0007VF\n"}, "memo", None),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_input_is_refused_with_a_vietnamese_message_on_its_field(change, field, message):
    arguments = {"bin": "970436", "account": "0011001234567", "amount": 1000, "memo": "TH0007VF"} | change

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        build_payload(**arguments)

    errors = caught.value.message_dict
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]


def test_merchant_name_with_diacritics_is_refused():
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        build_payload("970436", "0011001234567", 1000, "TH0007VF", merchant_name="Trung tâm Khuyến công")

    assert caught.value.message_dict == {"merchant_name": ["Tên tài khoản phải có từ 1 đến 25 ký tự không dấu."]}


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        build_payload("9704", "", -1, "Đặt cọc")

    assert sorted(caught.value.message_dict) == ["account", "amount", "bin", "memo"]


def test_png_has_the_pixels_segno_draws():
    """The PNG drawn through Pillow (faster) is the symbol segno's own writer draws, pixel for pixel."""
    import segno

    payload = build_payload("970418", "12610000123456", 2_537_500, "TH00A1B2")
    reference = io.BytesIO()
    segno.make_qr(payload, error="m", boost_error=False).save(reference, kind="png", scale=8, border=4)

    ours = Image.open(io.BytesIO(qr_png(payload))).convert("L")
    theirs = Image.open(io.BytesIO(reference.getvalue())).convert("L")

    assert ours.size == theirs.size
    assert ours.tobytes() == theirs.tobytes()
