"""Generated files: built once and handed out again until the data they show changes; long
builds go to the worker with their progress saved; the staff printing page, progress endpoint,
downloads and exports; the print commands and the admin's export actions."""

import csv
import dataclasses
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.generated import building, get_builder, registry
from events.generated import services as generated
from events.models import GeneratedFile
from tests import factories
from tuanhang.celery import app as celery_app
from vendors.models import Vendor

from .support import TRICKY_NAMES, make_fair, pdf_text

pytestmark = pytest.mark.django_db
G = GeneratedFile.Status


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_celery():
    """Tasks run in-process when queued (the real worker has its own test)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def staff_client(client):
    client.force_login(factories.StaffUserFactory())
    return client


@pytest.fixture
def fair():
    event, _booths, _apps = make_fair()
    return event


@pytest.fixture
def replace_builder(monkeypatch):
    """Swap a registered document for a variant of it (say, one never quick enough to build in
    the request) for one test."""

    def swap(kind, **changes):
        monkeypatch.setitem(registry._BUILDERS, kind, dataclasses.replace(get_builder(kind), **changes))

    return swap


def _content(file: GeneratedFile) -> bytes:
    with file.file.open("rb") as handle:
        return handle.read()


# --- the service ----------------------------------------------------------------------------


def test_quick_document_is_built_at_once_and_handed_out_again(fair):
    first = generated.generated_file_request(event=fair, kind="participants", options={"order": "name"})
    assert (first.status, first.progress, first.filename) == (
        G.DONE,
        100,
        f"danh-sach-don-vi-tham-gia-{fair.slug}-name.pdf",
    )
    assert "DANH SÁCH ĐƠN VỊ THAM GIA" in pdf_text(_content(first))
    again = generated.generated_file_request(event=fair, kind="participants", options={"order": "name"})
    assert again.pk == first.pk
    other = generated.generated_file_request(event=fair, kind="participants", options={"order": "province"})
    assert other.pk != first.pk
    assert GeneratedFile.objects.count() == 2


def test_a_change_in_the_data_shown_rebuilds_and_drops_the_old_file(fair, django_capture_on_commit_callbacks):
    first = generated.generated_file_request(event=fair, kind="participants", options={})
    old_path = Path(first.file.path)
    vendor = Vendor.objects.get(name="Đông")
    vendor.name = "Đông Hưng"
    vendor.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = generated.generated_file_request(event=fair, kind="participants", options={})
    assert second.pk != first.pk and second.fingerprint != first.fingerprint
    assert "Đông Hưng" in pdf_text(_content(second))
    assert not GeneratedFile.objects.filter(pk=first.pk).exists()
    assert not old_path.exists()


def test_a_change_the_document_does_not_show_keeps_the_file(fair):
    first = generated.generated_file_request(event=fair, kind="participants", options={})
    vendor = Vendor.objects.get(name="Đông")
    vendor.website = "https://dong.example.vn"  # not on the list
    vendor.save()
    assert generated.generated_file_request(event=fair, kind="participants", options={}).pk == first.pk


def test_long_document_goes_to_the_worker_on_commit(
    fair, eager_celery, django_capture_on_commit_callbacks, replace_builder
):
    replace_builder("letters", quick=lambda data: False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = generated.generated_file_request(event=fair, kind="letters", options={})
    assert queued.status == G.QUEUED and not queued.file
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the task, run by Celery in eager mode
    queued.refresh_from_db()
    assert (queued.status, queued.progress, queued.message) == (G.DONE, 100, "Đã xong.")
    assert pdf_text(_content(queued)).count("GIẤY XÁC NHẬN THAM GIA") == len(TRICKY_NAMES)
    # Delivered twice: nothing more happens.
    assert building.generated_file_execute(file_id=queued.pk) is None


def test_progress_is_saved_while_the_worker_builds(fair, replace_builder, monkeypatch):
    seen = []

    def render(event, data, options, progress):
        for done in (1, 2, 3):
            progress(done, 4)
            seen.append(GeneratedFile.objects.values_list("status", "progress").get())
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(building, "PROGRESS_EVERY_SECONDS", 0)
    replace_builder("checkin", quick=lambda data: False, render=render)
    queued = generated.generated_file_request(event=fair, kind="checkin", options={})
    building.generated_file_execute(file_id=queued.pk)
    assert seen == [(G.RUNNING, 25), (G.RUNNING, 50), (G.RUNNING, 75)]
    queued.refresh_from_db()
    assert (queued.status, queued.progress, queued.size) == (G.DONE, 100, 13)


def test_a_build_that_fails_says_why(fair, replace_builder, monkeypatch):
    def broken(event, data, options, progress):
        raise RuntimeError("hết giấy")

    replace_builder("checkin", render=broken)
    failed = generated.generated_file_request(event=fair, kind="checkin", options={})
    monkeypatch.undo()
    assert failed.status == G.FAILED
    assert failed.message == "Không tạo được tệp: hết giấy"
    # A failed file is not handed out again: the next request builds a new one.
    assert generated.generated_file_request(event=fair, kind="checkin", options={}).status == G.DONE


def test_wrong_options_are_refused_with_the_field_named(fair):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        generated.generated_file_request(event=fair, kind="booth_map", options={"paper": "A0"})
    assert "Khổ giấy" in caught.value.messages[0]
    assert not GeneratedFile.objects.exists()


# --- the pages ------------------------------------------------------------------------------


def test_printing_page_needs_staff(client, fair):
    url = reverse("events:printing", args=[fair.slug])
    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403


def test_printing_page_lists_documents_exports_and_latest_files_in_fixed_queries(staff_client, fair):
    url = reverse("events:printing", args=[fair.slug])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(url)
    page = response.content.decode()
    for kind in ("booth_map", "participants", "booth_signs", "checkin", "letters"):
        assert f'data-document="{kind}"' in page
    assert "In ấn và xuất dữ liệu" in page and "Sơ đồ gian hàng" in page and "Biển tên gian hàng" in page
    for key in ("participants", "applications", "booths"):
        for fmt in ("xlsx", "csv"):
            assert reverse("events:export", args=[fair.slug, key, fmt]) in page
    for order in ("booth", "name", "province"):
        generated.generated_file_request(event=fair, kind="participants", options={"order": order})
    generated.generated_file_request(event=fair, kind="booth_map", options={})
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.content.decode().count('data-status="done"') == 4
    assert "Sắp xếp: theo tên" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_dashboard_links_to_printing(staff_client, fair):
    page = staff_client.get(reverse("events:dashboard", args=[fair.slug])).content.decode()
    assert f'href="{reverse("events:printing", args=[fair.slug])}"' in page


def test_asking_for_a_quick_print_downloads_it(staff_client, fair):
    response = staff_client.post(
        reverse("events:printing_build", args=[fair.slug, "booth_map"]),
        {"booth_map-paper": "A4", "booth_map-colour": "category"},
    )
    file = GeneratedFile.objects.get()
    assert response.url == reverse("events:generated_file_download", args=[file.pk])
    assert file.parameters == {"paper": "A4", "colour": "category"}
    download = staff_client.get(response.url)
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="so-do-gian-hang-{fair.slug}-A4.pdf"' in download["Content-Disposition"]
    assert "SƠ ĐỒ GIAN HÀNG" in pdf_text(b"".join(download.streaming_content))


def test_asking_with_wrong_options_shows_the_page_again(staff_client, fair):
    response = staff_client.post(
        reverse("events:printing_build", args=[fair.slug, "participants"]), {"participants-order": "tax"}
    )
    assert response.status_code == 400
    assert "Hãy kiểm tra các tuỳ chọn của “Danh sách đơn vị tham gia”." in response.content.decode()
    assert not GeneratedFile.objects.exists()


def test_unknown_document_is_404(staff_client, fair):
    assert staff_client.post(reverse("events:printing_build", args=[fair.slug, "poster"])).status_code == 404


def test_a_long_print_shows_its_progress_then_its_download(
    staff_client, fair, eager_celery, django_capture_on_commit_callbacks, replace_builder
):
    replace_builder("letters", quick=lambda data: False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(reverse("events:printing_build", args=[fair.slug, "letters"]), {})
    file = GeneratedFile.objects.get()
    assert response.url == reverse("events:generated_file", args=[file.pk])
    page = staff_client.get(response.url).content.decode()
    assert 'data-progress-url="{}"'.format(reverse("events:generated_file_progress", args=[file.pk])) in page
    assert "js/progress.js" in page and "Đang tạo tệp" in page
    progress = staff_client.get(reverse("events:generated_file_progress", args=[file.pk])).json()
    assert progress == {
        "status": "queued",
        "status_label": "Đang chờ xử lý",
        "progress": 0,
        "message": "Đang chờ bộ xử lý nền tạo tệp.",
        "working": True,
        "download_url": None,
    }
    assert staff_client.get(reverse("events:generated_file_download", args=[file.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    progress = staff_client.get(reverse("events:generated_file_progress", args=[file.pk])).json()
    assert (progress["status"], progress["working"], progress["progress"]) == ("done", False, 100)
    assert progress["download_url"] == reverse("events:generated_file_download", args=[file.pk])
    page = staff_client.get(reverse("events:generated_file", args=[file.pk])).content.decode()
    assert 'id="download-link"' in page and "js/progress.js" not in page


def test_file_pages_need_staff(client, fair):
    file = generated.generated_file_request(event=fair, kind="checkin", options={})
    client.force_login(factories.UserFactory())
    for name in ("events:generated_file", "events:generated_file_progress", "events:generated_file_download"):
        assert client.get(reverse(name, args=[file.pk])).status_code == 403


# --- exports ----------------------------------------------------------------------------------


def test_participants_export_xlsx_and_csv(staff_client, fair):
    vendor = Vendor.objects.get(name="Zê")
    vendor.name = "=cmd|'/c calc'!A1"
    vendor.save()
    response = staff_client.get(reverse("events:export", args=[fair.slug, "participants", "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="don-vi-tham-gia-{fair.slug}.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["Gian hàng", "Tên đầy đủ", "Tên trên bảng tên"]
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[0] == "'=cmd|'/c calc'!A1"  # booth A001, neutralised
    assert set(names) == {*TRICKY_NAMES[:-1], "'=cmd|'/c calc'!A1"}
    response = staff_client.get(reverse("events:export", args=[fair.slug, "participants", "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["A001", "'=cmd|'/c calc'!A1"]


def test_applications_and_booths_exports(staff_client, fair):
    response = staff_client.get(reverse("events:export", args=[fair.slug, "applications", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == TRICKY_NAMES  # Vietnamese order of names
    assert {r[6] for r in rows} == {"Đã duyệt"}
    response = staff_client.get(reverse("events:export", args=[fair.slug, "booths", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == [f"A00{i}" for i in range(1, 9)]
    assert rows[1][10:13] == ["Đã xác nhận", "", "Zê"]


def test_unknown_export_is_404(staff_client, fair):
    assert staff_client.get(reverse("events:export", args=[fair.slug, "salaries", "xlsx"])).status_code == 404
    assert staff_client.get(reverse("events:export", args=[fair.slug, "booths", "pdf"])).status_code == 404


def test_admin_exports_the_selected_rows(admin_client, fair):
    picked = Vendor.objects.filter(name__in=["Đông", "Dương"])
    response = admin_client.post(
        reverse("admin:vendors_vendor_changelist"),
        {"action": "export_xlsx", "_selected_action": [v.pk for v in picked]},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Dương", "Đông"]
    response = admin_client.post(
        reverse("admin:booths_booth_changelist"),
        {"action": "export_csv", "_selected_action": list(fair.booths.values_list("pk", flat=True)[:3])},
    )
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 4
    response = admin_client.post(
        reverse("admin:vendors_application_changelist"),
        {"action": "export_xlsx", "_selected_action": list(fair.applications.values_list("pk", flat=True))},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- commands ---------------------------------------------------------------------------------


def test_print_commands_write_their_pdfs(fair, tmp_path):
    out = tmp_path / "map.pdf"
    call_command(
        "print_booth_map", fair.slug, "--out", str(out), "--paper", "A4", "--colour", "category", stdout=io.StringIO()
    )
    assert "SƠ ĐỒ GIAN HÀNG" in pdf_text(out.read_bytes())
    call_command("print_participants", str(fair.pk), "--out", str(out), "--order", "name", stdout=io.StringIO())
    assert "Theo thứ tự chữ cái của tên đơn vị" in pdf_text(out.read_bytes())
    call_command("print_booth_signs", fair.slug, "--out", str(out), "--layout", "a5x2", stdout=io.StringIO())
    assert pdf_text(out.read_bytes()).count("GIAN HÀNG") == len(TRICKY_NAMES)
    call_command("print_checkin_sheet", fair.slug, "--out", str(out), stdout=io.StringIO())
    assert "DANH SÁCH KÝ NHẬN GIAN HÀNG" in pdf_text(out.read_bytes())
    application = fair.applications.first()
    call_command(
        "print_letters", fair.slug, "--out", str(out), "--application", str(application.pk), stdout=io.StringIO()
    )
    assert pdf_text(out.read_bytes()).count("GIẤY XÁC NHẬN THAM GIA") == 1
    assert not GeneratedFile.objects.exists()


def test_print_command_refuses_an_unknown_fair_and_bad_options(fair, tmp_path):
    with pytest.raises(CommandError, match="Không có hội chợ nào"):
        call_command("print_booth_map", "khong-co", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Đơn vị tham gia"):
        call_command("print_letters", fair.slug, "--out", str(tmp_path / "x.pdf"), "--application", "999999")
