"""The bundled NAPAS bank list."""

from tuanhang.kernel.vietqr import bank, banks

# BINs checked against two public lists (see banks.csv), not typed from memory.
COMMON = {
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970422": "MB",
    "970407": "Techcombank",
    "970416": "ACB",
    "970432": "VPBank",
    "970423": "TPBank",
    "970403": "Sacombank",
    "970441": "VIB",
    "970443": "SHB",
    "970437": "HDBank",
    "970448": "OCB",
    "970426": "MSB",
    "970440": "SeABank",
    "970449": "LPBank",
    "970431": "Eximbank",
    "970428": "Nam A Bank",
    "970409": "Bac A Bank",
}


def test_common_banks_are_found_by_bin():
    assert {bin_: bank(bin_).short_name for bin_ in COMMON} == COMMON
    assert bank("970415").name == "Ngân hàng TMCP Công thương Việt Nam"
    assert bank("970415").code == "ICB"
    assert str(bank("970436")) == "Vietcombank – Ngân hàng TMCP Ngoại thương Việt Nam"


def test_unknown_bin_is_none():
    assert bank("123456") is None
    assert bank("") is None


def test_every_row_is_complete_with_a_unique_six_digit_bin_and_code():
    rows = banks()

    assert len(rows) >= 40
    assert all(len(row.bin) == 6 and row.bin.isascii() and row.bin.isdigit() for row in rows)
    assert all(row.short_name and row.name.startswith("Ngân hàng") and row.code for row in rows)
    assert len({row.bin for row in rows}) == len(rows)
    assert len({row.code for row in rows}) == len(rows)
    assert [row.short_name.lower() for row in rows] == sorted(row.short_name.lower() for row in rows)
