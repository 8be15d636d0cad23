"""Payment codes: made, read back, and found again in memos after what banks do to them."""

import random
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_37_36

from tests.kernel.vietqr.memos import bank_reference, random_memo
from tuanhang.kernel.vietqr import (
    CODE_ALPHABET,
    decode_payment_code,
    find_payment_codes,
    is_payment_code,
    memo_for_code,
    payment_code,
)
from tuanhang.kernel.vietqr.codes import MAX_NUMBER

numbers = st.integers(min_value=0, max_value=MAX_NUMBER)


def test_code_has_the_prefix_a_fixed_width_body_and_a_check_character():
    assert payment_code("TH", 0) == "TH000000"
    assert payment_code("TH", 251) == "TH0007VF"
    assert payment_code("HP24", MAX_NUMBER)[:-1] == "HP24ZZZZZ"
    assert decode_payment_code("TH0007VF") == 251
    assert memo_for_code("TH0007VF") == "TH0007VF"


@pytest.mark.parametrize(("prefix", "number"), [("T", 1), ("THANH", 1), ("TI", 1), ("1T", 1), ("th", 1), ("TH", -1)])
def test_bad_prefix_or_number_is_refused(prefix, number):
    with pytest.raises(ValueError, match="payment-code"):
        payment_code(prefix, number)


def test_number_past_the_width_is_refused():
    with pytest.raises(ValueError, match="33554431"):
        payment_code("TH", MAX_NUMBER + 1)


@given(number=numbers)
def test_code_reads_back_to_its_number(number):
    code = payment_code("TH", number)

    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert decode_payment_code(code) == number


def _damm_is_valid(code: str) -> bool:
    return is_payment_code(code, code[:2])


def _iso7064_is_valid(code: str) -> bool:
    return mod_37_36.checksum(code, alphabet=CODE_ALPHABET) == 1


def _iso7064_code(stem: str) -> str:
    return stem + mod_37_36.calc_check_digit(stem, alphabet=CODE_ALPHABET)


def _errors(code: str):
    """Every code one typing slip away: each character replaced, each pair of neighbours swapped."""
    for i, original in enumerate(code):
        for other in CODE_ALPHABET:
            if other != original:
                yield code[:i] + other + code[i + 1 :]
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2 :]


def _missed(codes, is_valid) -> int:
    return sum(1 for code in codes for wrong in _errors(code) if is_valid(wrong))


def test_check_character_catches_every_substitution_and_neighbour_swap():
    codes = [payment_code("TH", number) for number in range(0, MAX_NUMBER, 33_331)]  # 1,007 codes

    assert _missed(codes, _damm_is_valid) == 0


def test_control_iso7064_check_misses_some_neighbour_swaps_on_the_same_codes():
    # The same count over the same kind of codes with ISO 7064 MOD 33,32: the test above can fail.
    codes = [_iso7064_code(payment_code("TH", number)[:-1]) for number in range(0, MAX_NUMBER, 33_331)]

    assert _missed(codes, _iso7064_is_valid) > 0


# --- finding codes in memos -----------------------------------------------------------------------


def test_memos_as_banks_write_them():
    code = payment_code("TH", 251)

    assert find_payment_codes(f"MBVCB.1234567.{code}.CT tu 0123456789 toi 9876") == [code]
    assert find_payment_codes(f"IBFT {code} THANH TOAN GIAN HANG") == [code]
    assert find_payment_codes(f"FT24261123456789{code}THANHTOANGIANHANG") == [code]
    assert find_payment_codes(f"{code.lower()} – Đặt cọc gian hàng Công ty Thủy Nguyên") == [code]
    assert find_payment_codes("TH 000-7.v f chuyen tien") == [code]
    assert find_payment_codes("Thanh toán tiền gian hàng") == []


def test_two_codes_in_one_memo_are_both_found_once_each():
    first, second = payment_code("TH", 1), payment_code("TH", 2)

    assert find_payment_codes(f"{first} {second} {first}") == [first, second]


def test_other_prefixes_are_found_only_when_asked_for():
    code = payment_code("HP", 77)

    assert find_payment_codes(f"IBFT {code}") == []
    assert find_payment_codes(f"IBFT {code}", prefixes=("TH", "HP")) == [code]


def test_truncated_code_is_not_found():
    code = payment_code("TH", 251)

    for cut in range(1, len(code)):
        assert find_payment_codes(f"IBFT 1234567 {code[:-cut]}") == []


_PUNCTUATION = " .-_/,:;#"
_ACCENTED = ["Thanh toán", "tiền gian hàng", "Đỗ Thị Thu", "hội chợ", "Thủy Nguyên"]


@st.composite
def mangled_memos(draw):
    """A memo carrying `code`, as a bank may hand it back."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    code = payment_code("TH", draw(numbers))
    pieces = []
    for ch in code:  # spaces and punctuation inside the code, lower case here and there
        pieces.append(ch.lower() if rng.random() < 0.3 else ch)
        if rng.random() < 0.2:
            pieces.append(rng.choice(_PUNCTUATION))
    written = "".join(pieces)
    before = [bank_reference(rng) for _ in range(rng.randint(0, 2))] + rng.sample(_ACCENTED, rng.randint(0, 2))
    after = rng.sample(_ACCENTED, rng.randint(0, 2)) + [bank_reference(rng) for _ in range(rng.randint(0, 2))]
    glue = rng.choice(["", " ", ".", "-"])
    memo = glue.join([*before, written, *after])
    if rng.random() < 0.5:  # what a bank's pipeline may do to the whole memo
        memo = unicodedata.normalize("NFD", memo)
        memo = "".join(ch for ch in memo if not unicodedata.combining(ch)).upper()
    return code, memo


@hypothesis_settings(max_examples=500, deadline=None)
@given(case=mangled_memos())
def test_every_mangling_keeps_the_code_findable(case):
    code, memo = case

    assert code in find_payment_codes(memo)


@hypothesis_settings(max_examples=200, deadline=None)
@given(number=numbers, filler=st.text(alphabet=string.ascii_uppercase + string.digits + " .", max_size=40))
def test_code_is_found_whatever_surrounds_it(number, filler):
    code = payment_code("TH", number)

    assert code in find_payment_codes(filler + code + filler)


def test_random_memos_rarely_yield_a_code_and_never_an_issued_one():
    """Measured: 100,000 made-up memos without a code (half of them contain "TH"), seed 20:
    216 yield a well-formed code by chance (0.22 %); none yields one of 2,000 issued codes, as the
    32**5 numbers make a chance hit about 2,000 / 33.5 million per false code."""
    rng = random.Random(20)
    issued = {payment_code("TH", number) for number in range(1, 2001)}
    memos = [random_memo(rng) for _ in range(100_000)]

    found = [find_payment_codes(memo) for memo in memos]

    with_prefix = sum(1 for memo in memos if "TH" in memo.upper().replace(" ", ""))
    false_codes = sum(1 for codes in found if codes)
    issued_hits = sum(1 for codes in found if issued.intersection(codes))
    assert with_prefix > 40_000
    assert false_codes < 500  # 216 when measured
    assert issued_hits == 0
