"""Addresses are complete (address, commune, province) and said once, in letters, the
participant export and the list of businesses."""

import io

import openpyxl
import pytest

from events.models import Commune, Province
from tests import factories
from tuanhang.kernel.spreadsheets import to_xlsx
from tuanhang.kernel.vn import join_address
from tuanhang.office.printing.exports import participants_table, vendor_table
from vendors.models import Vendor

from .support import make_fair
from .test_documents import build, flat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Ấp 3", "Xã Tân Phú", "Đồng Tháp"), "Ấp 3, Xã Tân Phú, Đồng Tháp"),
        (("", "", "Hải Phòng"), "Hải Phòng"),
        (("Ấp 3", "", "Đồng Tháp"), "Ấp 3, Đồng Tháp"),
        (
            ("Số 5 Lê Lợi, phường Ngô Quyền, TP. Hải Phòng", "Phường Ngô Quyền", "Hải Phòng"),
            "Số 5 Lê Lợi, phường Ngô Quyền, TP. Hải Phòng",
        ),
        (("Số 1 đường Hải Phòng", "Xã An Hải", "Hải Phòng"), "Số 1 đường Hải Phòng, Xã An Hải, Hải Phòng"),
        (("Nhà văn hóa", "Nhà văn hóa, KCN VSIP", "Hải Phòng"), "Nhà văn hóa, KCN VSIP, Hải Phòng"),
        ((" Ấp 3 , ,", None, "Đồng Tháp"), "Ấp 3, Đồng Tháp"),
    ],
)
def test_join_address_writes_every_part_once_and_nothing_empty(parts, expected):
    assert join_address(*parts) == expected


def _vendor_in_dong_thap(vendor: Vendor) -> str:
    province = Province.objects.get(name="Đồng Tháp")
    commune = Commune.objects.filter(province=province).first() or Commune.objects.create(
        code="99901", name="Xã Tân Phú", kind="xã", province=province
    )
    vendor.province, vendor.commune, vendor.address = province, commune, "Ấp 3"
    vendor.save()
    return f"Ấp 3, {commune.name}, Đồng Tháp"


def test_letter_prints_address_commune_and_province():
    event, _booths, apps = make_fair(names=["Hợp tác xã Sen Tháp Mười"])
    expected = _vendor_in_dong_thap(apps[0].vendor)
    text = flat(build(event, "letters", application=apps[0].pk))
    assert f"Địa chỉ: {expected}" in text


def _cells(table) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_participant_and_business_exports_carry_the_complete_address():
    event, _booths, apps = make_fair(names=["Hợp tác xã Sen Tháp Mười"])
    expected = _vendor_in_dong_thap(apps[0].vendor)
    for table in (participants_table(event), vendor_table(Vendor.objects.filter(pk=apps[0].vendor_id))):
        rows = _cells(table)
        column = rows[0].index("Địa chỉ")
        assert [row[column] for row in rows[1:]] == [expected]


def test_business_export_asks_the_same_number_of_queries_for_one_or_many(django_assert_num_queries):
    for _ in range(3):
        factories.VendorFactory()
    with django_assert_num_queries(2):
        vendor_table(Vendor.objects.all())
