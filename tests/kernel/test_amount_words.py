"""Amounts in Vietnamese words as receipts write them."""

import pytest

from tuanhang.kernel.amount_words import vnd_in_words


@pytest.mark.parametrize(
    "amount, words",
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (2_500_000, "Hai triệu năm trăm nghìn đồng"),
        (3_015_000, "Ba triệu không trăm mười lăm nghìn đồng"),
        (11_000_000, "Mười một triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_200_000_000_000, "Một nghìn hai trăm tỷ đồng"),
    ],
)
def test_vnd_in_words_reads_as_a_receipt_writes_it(amount, words):
    assert vnd_in_words(amount) == words


def test_vnd_in_words_refuses_a_negative_amount():
    with pytest.raises(ValueError):
        vnd_in_words(-1)
