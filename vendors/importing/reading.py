"""Reading a participant list (.xlsx or .csv) into text rows keyed by the English column keys.

The file-level reading and the header matching are the kernel's (tuanhang.kernel.tabular); here are
the columns, and the cell rules of this list: numbers Excel stored get back the leading zeros it
dropped.
"""

import re

from django.utils.translation import gettext_lazy

from tuanhang.kernel.params import is_digits
from tuanhang.kernel.tabular import Table, TableFormat, cell_texts
from tuanhang.kernel.vn import fold

# (English key, Vietnamese header). The headers are the file format organisers already use.
COLUMNS = (
    ("name", "Tên đơn vị"),
    ("short_name", "Tên viết tắt"),
    ("kind", "Loại hình"),
    ("tax_code", "Mã số thuế"),
    ("province", "Tỉnh/TP"),
    ("address", "Địa chỉ"),
    ("representative", "Người đại diện"),
    ("contact_name", "Người liên hệ"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("categories", "Nhóm hàng"),
    ("booths", "Số gian"),
)
KEYS = tuple(key for key, _header in COLUMNS)
REQUIRED = ("name", "kind", "tax_code", "province")
KINDS = {
    "dn": "DN",
    "doanh nghiep": "DN",
    "htx": "HTX",
    "hop tac xa": "HTX",
    "hkd": "HKD",
    "ho kinh doanh": "HKD",
}
MAX_ROWS = 10_000


def parse_kind(text: str) -> str | None:
    """The Vendor.Kind value of a kind written as "DN", "htx", "Hộ kinh doanh", "DOANH NGHIEP"…, or None."""
    return KINDS.get(fold(text))


_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _row_texts(raw: dict) -> dict:
    """Text values of one row, giving back the leading zeros Excel drops from numeric cells."""
    values = cell_texts(raw)
    tax_code = values.get("tax_code", "")
    if is_digits(tax_code):
        if len(tax_code) == 9:  # a 10-digit code whose leading 0 Excel dropped; the check digit still decides
            values["tax_code"] = "0" + tax_code
        elif len(tax_code) == 11 and _is_number(raw["tax_code"]) and parse_kind(values.get("kind", "")) == "HKD":
            values["tax_code"] = "0" + tax_code  # a personal ID has 12 digits; only a number cell loses the 0
    # Compact the phone the way parse_phone does first: "+84 0225 3842 123" must not trip the
    # 16-character limit the form field inherits from the model before clean_phone sees it.
    if "phone" in values:
        phone = values["phone"] = _PHONE_SEPARATORS.sub("", values["phone"])
        if is_digits(phone) and (len(phone) == 9 or (len(phone) == 10 and phone.startswith("2"))):
            values["phone"] = "0" + phone  # mobile 0 + 9 digits, landline 02x + 8 digits
    return values


PARTICIPANT_LIST = TableFormat(
    columns=tuple((key, (header,)) for key, header in COLUMNS),
    required=REQUIRED,
    max_rows=MAX_ROWS,
    empty_message=gettext_lazy("The file is empty: it needs a header row and one row per participant."),
    too_many_message=gettext_lazy("The file has more than %(max)s rows; split it into smaller files."),
    row_values=_row_texts,
)


def read_table(source, filename: str) -> Table:
    """Read an .xlsx or .csv participant list (a path or an open binary file) into a Table.

    The first non-empty row is the header; blank rows are skipped. Raises ImportFileError.
    """
    return PARTICIPANT_LIST.read(source, filename)
