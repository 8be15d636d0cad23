import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from tests.factories import EventFactory, StaffUserFactory, UserFactory, VendorFactory, valid_tax_code
from vendors.admin_import import SESSION_KEY
from vendors.models import Application, Vendor

HEADER = ["Tên đơn vị", "Loại hình", "Mã số thuế", "Tỉnh/TP", "Điện thoại", "Số gian"]
ROWS = [
    ["Công ty Bánh đậu xanh", "Doanh nghiệp", "0100109106", "Hải Dương", "0912 345 678", 2],
    ["Công ty Sai mã", "DN", "0100109107", "Hà Nội", "", 1],
    ["HTX Chè", "Hợp tác xã", "0300588569", "Thừa Thiên Huế", "", None],
]


@pytest.fixture(autouse=True)
def english_and_private_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    with translation.override("en"):
        yield


@pytest.fixture
def import_url():
    return reverse("admin:vendors_vendor_import")


@pytest.fixture
def staff_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def xlsx(rows, name="danh-sach.xlsx"):
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    path_like = io.BytesIO()
    workbook.save(path_like)
    return SimpleUploadedFile(name, path_like.getvalue())


def upload(client, url, rows=ROWS, **data):
    response = client.post(url, {"file": xlsx(rows), **data})
    assert response.status_code == 302, response.content.decode()
    return client.get(url)


def confirm(client, url, **data):
    token = client.session[SESSION_KEY]["token"]
    return client.post(url, {"action": "confirm", "token": token, **data}, follow=True)


def test_admin_changelist_links_to_the_import_page(staff_client, import_url):
    response = staff_client.get(reverse("admin:vendors_vendor_changelist"))

    assert f'<a href="{import_url}" class="addlink">Import from Excel / CSV</a>' in response.content.decode()


def test_admin_import_page_shows_the_upload_form_and_columns(staff_client, import_url):
    response = staff_client.get(import_url)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<input type="file" name="file"' in content
    assert "<td><code>tax_code</code></td><td>Mã số thuế</td>" in content
    assert "admin/base_site.html" in [t.name for t in response.templates]


def test_admin_import_preview_shows_rows_and_writes_nothing(staff_client, import_url):
    VendorFactory(tax_code="0300588569", name="HTX Chè cũ")

    response = upload(staff_client, import_url)

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p id="import-summary">3 rows checked: 1 to create, 1 to update, <strong>1 with errors</strong>. '
        "Nothing has been written yet.</p>"
    ) in content
    assert 'id="import-row-2"' in content and 'class="import-create" id="import-row-2"' in content
    assert 'class="import-invalid" id="import-row-3"' in content
    assert 'class="import-update" id="import-row-4"' in content
    assert 'Hải Phòng <span class="import-from">(written “Hải Dương”)</span>' in content
    assert (
        "<code>tax_code</code>: Enter a valid 10-digit tax code (or a branch code such as 0100109106-001)." in content
    )
    assert ">Confirm import</button>" in content
    assert list(Vendor.objects.values_list("name", flat=True)) == ["HTX Chè cũ"]


def test_admin_import_preview_reports_a_bad_header(staff_client, import_url):
    workbook = Workbook()
    workbook.active.append(["Tên đơn vị", "Ghi chú"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    staff_client.post(import_url, {"file": SimpleUploadedFile("ds.xlsx", buffer.getvalue())})

    content = staff_client.get(import_url).content.decode()

    assert "The header row cannot be used:" in content
    assert "Unknown column “Ghi chú”." in content
    assert "Confirm import" not in content


def test_admin_import_upload_rejects_other_file_types(staff_client, import_url):
    response = staff_client.post(import_url, {"file": SimpleUploadedFile("ds.xls", b"old excel")})

    assert response.status_code == 200
    assert "Only .xlsx and .csv files can be imported; save the list in one of those formats." in (
        response.content.decode()
    )
    assert SESSION_KEY not in staff_client.session


def test_admin_import_confirm_with_errors_writes_nothing(staff_client, import_url):
    upload(staff_client, import_url)

    response = confirm(staff_client, import_url)

    content = response.content.decode()
    assert "Nothing was imported: 1 row has errors. Fix the file and upload it again, or tick “Skip invalid rows”." in (
        content
    )
    assert 'class="import-invalid" id="import-row-3"' in content
    assert Vendor.objects.count() == 0


def test_admin_import_confirm_writes_and_cleans_up(staff_client, import_url, settings):
    upload(staff_client, import_url, rows=[ROWS[0], ROWS[2]])

    response = confirm(staff_client, import_url)

    assert response.redirect_chain[-1][0] == reverse("admin:vendors_vendor_changelist")
    assert "Imported the participant list: 2 created, 0 updated." in response.content.decode()
    got = sorted(Vendor.objects.values_list("name", "province__name", "phone"))
    assert got == [("Công ty Bánh đậu xanh", "Hải Phòng", "+84912345678"), ("HTX Chè", "Huế", "")]
    assert SESSION_KEY not in staff_client.session
    assert list((settings.VAR_DIR / "imports").iterdir()) == []


def test_admin_import_confirm_skipping_invalid_rows_with_a_fair(staff_client, import_url, organiser_user):
    event = EventFactory(max_booths_per_participant=2)
    upload(staff_client, import_url, event=event.pk)

    response = confirm(staff_client, import_url, skip_invalid="on")

    content = response.content.decode()
    assert "Imported the participant list: 2 created, 0 updated." in content
    assert "Skipped 1 row with errors." in content
    got = sorted(Application.objects.values_list("vendor__name", "status", "booths_requested", "decided_by"))
    assert got == [
        ("Công ty Bánh đậu xanh", Application.Status.APPROVED, 2, organiser_user.pk),
        ("HTX Chè", Application.Status.APPROVED, 1, organiser_user.pk),
    ]
    assert list(Vendor.objects.filter(users=organiser_user)) == []


def test_admin_import_confirm_of_a_stale_preview_is_refused(staff_client, import_url):
    upload(staff_client, import_url, rows=[ROWS[0]])

    response = staff_client.post(import_url, {"action": "confirm", "token": "x" * 32}, follow=True)

    assert "This preview is no longer current; upload the file again." in response.content.decode()
    assert Vendor.objects.count() == 0


def test_admin_import_cancel_forgets_the_file(staff_client, import_url, settings):
    upload(staff_client, import_url, rows=[ROWS[0]])

    response = staff_client.post(import_url, {"action": "cancel"}, follow=True)

    assert '<input type="file" name="file"' in response.content.decode()
    assert list((settings.VAR_DIR / "imports").iterdir()) == []
    assert Vendor.objects.count() == 0


def test_admin_import_page_is_closed_to_non_staff(client, import_url, db):
    client.force_login(UserFactory())

    response = client.get(import_url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_import_page_needs_add_and_change_permissions(client, import_url, db):
    staff = StaffUserFactory()
    staff.user_permissions.add(Permission.objects.get(codename="change_vendor"))
    client.force_login(staff)

    assert client.get(import_url).status_code == 403
    assert "Import from Excel" not in client.get(reverse("admin:vendors_vendor_changelist")).content.decode()


def test_admin_import_preview_query_count_does_not_grow_with_rows(staff_client, import_url):
    event = EventFactory()
    counts = []
    for size in (3, 30):
        rows = [[f"Công ty {n}", "DN", valid_tax_code(500 + n), "Hải Dương", "0912345678", 1] for n in range(size)]
        upload(staff_client, import_url, rows=rows, event=event.pk)
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(import_url)
        assert response.content.decode().count('class="import-create"') == size
        counts.append(len(queries))

    assert counts[0] == counts[1]
