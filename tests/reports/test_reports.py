"""Reports: the charts page (fixed queries at 10 and 1,000 participants, accessible SVG, CSV of
each chart), the participants' sales form, the daily summary e-mail with its sheet (sent once),
and report files built by a task with progress."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from booths.models import Assignment
from events.generated.building import generated_file_execute
from events.generated.services import generated_file_request
from events.models import Category, GeneratedFile, Membership
from tests import factories
from tests.printing.support import pdf_text
from tests.reminders.support import business, fair, many_businesses
from tuanhang.office.reports.documents import QUICK_XLSX_PARTICIPANTS
from tuanhang.office.reports.models import DailySummary, SalesEntry
from tuanhang.office.reports.services import daily_summaries_sweep
from vendors.models import Application, Product

pytestmark = pytest.mark.django_db


def _fair_with(n, slug):
    event = fair(name=f"Hội chợ {slug}", slug=slug)
    apps = many_businesses(event, n, prefix=slug)
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(submitted_at=timezone.now())
    category = Category.objects.get_or_create(slug=f"cat-{slug}", defaults={"name": f"Nông sản {slug}"})[0]
    Application.categories.through.objects.bulk_create(
        Application.categories.through(application=a, category=category) for a in apps
    )
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    booth = factories.BoothFactory(event=event, zone=zone)
    Assignment.objects.create(booth=booth, application=apps[0])
    product = Product.objects.create(vendor=apps[0].vendor, name="Nước mắm", category=category, ocop_stars=4)
    apps[0].products.add(product)
    return event


def _page_queries(client, event):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:page", args=[event.slug]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_reports_page_runs_the_same_queries_at_10_and_1000_participants(client, organiser_user):
    client.force_login(organiser_user)
    small, _ = _page_queries(client, _fair_with(10, "nho"))
    large, page = _page_queries(client, _fair_with(1000, "lon"))

    assert small == large
    assert '<title id="chart-provinces-title">Đơn vị tham gia theo tỉnh/thành</title>' in page or (
        '<title id="chart-provinces-title">' in page
    )
    assert 'role="img" aria-labelledby="chart-provinces-title chart-provinces-desc"' in page
    assert ">1000</text>" in page  # the province bar's total
    assert "<title>4 sao: 1</title>" in page or "4 stars: 1" in page or ": 1</title>" in page


def test_reports_page_needs_staff(client):
    event = fair()
    url = reverse("reports:page", args=[event.slug])
    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403


def test_chart_csv_gives_the_chart_data_with_formulas_neutralised(client, organiser_user):
    event = _fair_with(3, "csv")
    Category.objects.filter(slug="cat-csv").update(name="=HYPERLINK(1)")
    client.force_login(organiser_user)

    response = client.get(reverse("reports:chart_csv", args=[event.slug, "categories"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "'=HYPERLINK(1),3"
    assert client.get(reverse("reports:chart_csv", args=[event.slug, "nope"])).status_code == 404


# --- sales form --------------------------------------------------------------------------------


@pytest.fixture
def running(db):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    opens = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8)), tz)
    event = fair(
        status="running",
        registration_opens_at=opens - dt.timedelta(days=30),
        registration_closes_at=opens - dt.timedelta(days=5),
        setup_at=opens - dt.timedelta(hours=18),
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=3, hours=14),
    )
    application = business(event)
    user = application.vendor.users.get()
    return event, application, user


def test_participant_enters_sales_for_the_days_so_far(client, running):
    event, application, user = running
    client.force_login(user)
    url = reverse("reports:sales", args=[application.pk])
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)

    response = client.post(
        url,
        {
            f"{yesterday}-sales": "12500000",
            f"{yesterday}-visitors": "320",
            f"{today}-sales": "",
            f"{today}-visitors": "",
        },
    )

    assert response.status_code == 302
    entry = SalesEntry.objects.get(application=application)
    assert (entry.day, entry.sales, entry.visitors, entry.updated_by) == (yesterday, 12_500_000, 320, user)
    page = client.get(url).content.decode()
    assert "12.500.000 ₫" in page


def test_sales_form_gives_field_errors_in_vietnamese_and_saves_nothing(client, running):
    event, application, user = running
    client.force_login(user)
    today = timezone.localdate()

    response = client.post(
        reverse("reports:sales", args=[application.pk]), {f"{today}-sales": "-5", f"{today}-visitors": "abc"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Doanh số không được âm." in page
    assert "Nhập số lượt khách là số nguyên." in page
    assert not SalesEntry.objects.exists()


def test_future_days_cannot_be_entered(client, running):
    event, application, user = running
    client.force_login(user)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    client.post(
        reverse("reports:sales", args=[application.pk]), {f"{tomorrow}-sales": "1", f"{tomorrow}-visitors": "1"}
    )

    assert not SalesEntry.objects.exists()  # the field is disabled: its value is ignored


def test_another_business_gets_404(client, running):
    event, application, _user = running
    other = business(event, name="HTX Khác", email="khac@example.vn")
    client.force_login(other.vendor.users.get())

    assert client.get(reverse("reports:sales", args=[application.pk])).status_code == 404


def test_sales_form_closed_before_the_fair(client, db):
    event = fair(status="registration_open")
    application = business(event)
    client.force_login(application.vendor.users.get())
    response = client.get(reverse("reports:sales", args=[application.pk]))
    assert 'id="sales-closed"' in response.content.decode()


# --- daily summary -----------------------------------------------------------------------------


def test_daily_summary_goes_once_to_the_organisers_with_the_sheet(db):
    event = fair(status="registration_open")
    staff = factories.StaffUserFactory(email="canbo@haiphong.vn")
    Membership.objects.create(organiser=event.organiser, user=staff, role=Membership.Role.VIEWER)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    noon = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(12)))
    application = business(event, name="=Công ty A", status="submitted")
    Application.objects.filter(pk=application.pk).update(submitted_at=noon)

    assert daily_summaries_sweep() == 1
    assert daily_summaries_sweep() == 0

    [message] = mail.outbox
    assert message.to == ["canbo@haiphong.vn", "khuyencong@haiphong.vn"]
    assert yesterday.strftime("%d/%m/%Y") in message.subject
    assert "1" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"tong-hop-{yesterday:%Y-%m-%d}.xlsx"
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "'=Công ty A"
    assert DailySummary.objects.get().status == "sent"


# --- the closing report (events.generated) ------------------------------------------------------


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _report_fair(running):
    """Two approved participants in two provinces with figures on the fair's first two days,
    and one approved participant that reported nothing."""
    event, application, _user = running
    first = timezone.localdate() - dt.timedelta(days=1)
    second = timezone.localdate()
    other = business(event, name="=HTX Rau sạch Đà Lạt", email="rau@example.vn", province_id="68")
    business(event, name="Hộ kinh doanh Chè Thái", email="che@example.vn")
    SalesEntry.objects.bulk_create(
        [
            SalesEntry(application=application, day=first, sales=12_500_000, visitors=320),
            SalesEntry(application=application, day=second, sales=7_500_000, visitors=180),
            SalesEntry(application=other, day=first, sales=3_000_000, visitors=90),
        ]
    )
    return event, application, other


def test_closing_report_pdf_totals_by_day_province_and_kind(running, media):
    event, application, other = _report_fair(running)

    file = generated_file_request(event=event, kind="closing_report")

    assert (file.status, file.filename, file.content_type) == (
        "done",
        f"bao-cao-tong-ket-{event.slug}.pdf",
        "application/pdf",
    )
    text = " ".join(pdf_text(file.file.read()).split())  # one line: the table's cells in reading order
    assert "BÁO CÁO TỔNG KẾT: DOANH SỐ VÀ LƯỢT KHÁCH" in text
    assert event.name in text
    first = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"{first} 2 15.500.000 ₫ 410" in text
    assert f"{application.vendor.province.name} 1 20.000.000 ₫ 500" in text
    assert f"{other.vendor.province.name} 1 3.000.000 ₫ 90" in text
    assert "2 trên 3 đơn vị tham gia đã báo cáo: doanh số 23.000.000 ₫, khoảng 590 lượt khách." in text


def test_closing_report_xlsx_has_a_sheet_per_total_and_every_participant(running, media):
    event, application, other = _report_fair(running)

    file = generated_file_request(event=event, kind="closing_report_xlsx")

    book = load_workbook(io.BytesIO(file.file.read()))
    assert book.sheetnames == [
        "Hội chợ qua các con số",
        "Theo ngày",
        "Theo tỉnh, thành phố",
        "Theo nhóm hàng",
        "Theo loại hình đơn vị",
        "Theo đơn vị",
    ]
    by_province = [[cell.value for cell in row] for row in book["Theo tỉnh, thành phố"].iter_rows()]
    assert by_province[0] == ["Tỉnh/thành phố", "Số đơn vị báo cáo", "Doanh số (đồng)", "Lượt khách"]
    assert by_province[1] == [application.vendor.province.name, 1, 20_000_000, 500]
    assert book["Theo tỉnh, thành phố"]["C2"].number_format == "#,##0"
    participants = {row[0]: row for row in book["Theo đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert participants["'=HTX Rau sạch Đà Lạt"][3:] == (1, 3_000_000, 90)  # a formula stays text
    assert participants["Hộ kinh doanh Chè Thái"][3:] == (0, 0, 0)  # reported nothing: still listed
    assert file.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_closing_report_is_handed_out_again_until_the_figures_change(running, media):
    event, application, _other = _report_fair(running)
    first = generated_file_request(event=event, kind="closing_report")

    assert generated_file_request(event=event, kind="closing_report").pk == first.pk
    SalesEntry.objects.filter(application=application).update(sales=1)
    rebuilt = generated_file_request(event=event, kind="closing_report")

    assert rebuilt.pk != first.pk
    assert "2 trên 3 đơn vị tham gia đã báo cáo: doanh số 3.000.002 ₫" in " ".join(
        pdf_text(rebuilt.file.read()).split()
    )


def test_large_fair_closing_report_is_built_by_the_worker_with_progress(
    client, organiser_user, running, media, django_capture_on_commit_callbacks
):
    event, _application, _user = running
    many_businesses(event, QUICK_XLSX_PARTICIPANTS, prefix="lon")  # one more than the quick limit
    client.force_login(organiser_user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("events:printing_build", args=[event.slug, "closing_report_xlsx"]))
    file = GeneratedFile.objects.get()
    assert response.url == reverse("events:generated_file", args=[file.pk])
    assert len(callbacks) == 1  # events.build_generated_file, queued on commit
    page = client.get(response.url).content.decode()
    assert 'data-progress-url="{}"'.format(reverse("events:generated_file_progress", args=[file.pk])) in page
    assert "js/progress.js" in page
    assert f'<a href="{reverse("reports:page", args=[event.slug])}">Báo cáo</a>' in page
    progress = client.get(reverse("events:generated_file_progress", args=[file.pk])).json()
    assert (progress["status"], progress["working"], progress["progress"]) == ("queued", True, 0)

    done = generated_file_execute(file_id=file.pk)  # what the worker's task runs

    assert (done.status, done.progress) == ("done", 100)
    assert generated_file_execute(file_id=file.pk) is None  # delivered twice: nothing more
    progress = client.get(reverse("events:generated_file_progress", args=[file.pk])).json()
    assert progress["download_url"] == reverse("events:generated_file_download", args=[file.pk])
    download = client.get(progress["download_url"])
    assert download["Content-Disposition"] == f'attachment; filename="bao-cao-tong-ket-{event.slug}.xlsx"'
    rows = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Theo đơn vị"].max_row
    assert rows == 1 + 1 + QUICK_XLSX_PARTICIPANTS


def test_reports_page_offers_the_closing_report_and_lists_its_files(client, organiser_user, running, media):
    event, _application, _user = running
    client.force_login(organiser_user)
    url = reverse("reports:page", args=[event.slug])
    with CaptureQueriesContext(connection) as none_yet:
        page = client.get(url).content.decode()
    for kind in ("closing_report", "closing_report_xlsx"):
        action = reverse("events:printing_build", args=[event.slug, kind])
        assert f'action="{action}" data-document="{kind}"' in page
    assert 'id="report-files"' not in page
    pdf = generated_file_request(event=event, kind="closing_report")
    generated_file_request(event=event, kind="closing_report_xlsx")
    generated_file_request(event=event, kind="checkin")  # a print: listed on the printing page only

    with CaptureQueriesContext(connection) as with_files:
        page = client.get(url).content.decode()

    assert page.count('data-status="done"') == 2
    assert reverse("events:generated_file_download", args=[pdf.pk]) in page
    assert len(with_files.captured_queries) == len(none_yet.captured_queries)
    printing = client.get(reverse("events:printing", args=[event.slug])).content.decode()
    assert 'data-document="closing_report"' not in printing  # offered on the reports page, not as a print


def test_a_print_file_page_still_links_back_to_printing(client, organiser_user, running, media):
    event, _application, _user = running
    client.force_login(organiser_user)
    file = generated_file_request(event=event, kind="checkin")
    page = client.get(reverse("events:generated_file", args=[file.pk])).content.decode()
    assert f'<a href="{reverse("events:printing", args=[event.slug])}">In ấn</a>' in page
