"""An application's payment code (vendors/payment_codes.py): made from its id under the
installation's prefix, and read back from a memo as banks leave it."""

from vendors.payment_codes import application_ids_in, code_for


def test_the_code_reads_back_from_a_memo_as_a_bank_mangles_it(settings):
    settings.PAYMENT_CODE_PREFIX = "TH"
    code = code_for(251)

    assert code.startswith("TH") and len(code) == 8
    memo = f"MBVCB.1234567.{code.lower()}.CT tu 0123456789 thanh toán gian hàng"
    assert application_ids_in(memo) == [251]


def test_another_installations_prefix_is_not_read(settings):
    settings.PAYMENT_CODE_PREFIX = "TH"
    other = code_for(251)
    settings.PAYMENT_CODE_PREFIX = "HC"

    assert application_ids_in(f"IBFT {other}") == []
    assert application_ids_in(f"IBFT {code_for(251)}") == [251]


def test_a_code_with_one_wrong_character_is_not_read(settings):
    settings.PAYMENT_CODE_PREFIX = "TH"
    code = code_for(4096)
    wrong = code[:4] + ("X" if code[4] != "X" else "Y") + code[5:]

    assert application_ids_in(wrong) == []
