"""The statement pages (issue 20 part B2): upload with a preview that writes nothing, confirm, the
same file again (every line a duplicate), the import's result, the unmatched queue with its
assignment (search, confirmation) and reversal (reason), the change log, the mapping screen; 404
for another organiser's ids, 403 for a role without payment.record, the queue's query budget."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Membership
from tests import factories
from tests.vendors._statement_support import account_for, approved, memo_for, vcb_csv
from vendors.models import Payment, StatementImport, StatementLine, StatementLineChange, StatementProfile
from vendors.payment_codes import code_for

S = StatementLine.State


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = str(tmp_path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fair(db):
    event = factories.EventFactory()  # 2.500.000 ₫ due per approved application
    event.account = account_for(event.organiser)
    return event


@pytest.fixture
def staff(client, fair):
    user = factories.StaffUserFactory(role=Membership.Role.ACCOUNTANT, organiser=fair.organiser)
    client.force_login(user)
    return client


def url(name, fair, *args):
    return reverse(f"reconcile:{name}", args=[fair.organiser.pk, *args])


def upload(client, fair, content, name="sao-ke.csv", layout="vcb"):
    return client.post(
        url("upload", fair),
        {"file": SimpleUploadedFile(name, content), "account": fair.account.pk, "layout": layout},
    )


def token(client, fair):
    return client.session[f"statement_import:{fair.organiser.pk}"]["token"]


def two_lines(paid, stranger_memo="CHUYEN TIEN GIAN HANG"):
    return vcb_csv(
        [
            ("20/11/2026", "FT1", "", "2.500.000", "10.000.000", memo_for(paid)),
            ("20/11/2026", "FT2", "", "700.000", "10.700.000", stranger_memo),
        ]
    )


def test_preview_shows_each_line_and_writes_nothing(staff, fair):
    paid = approved(fair)

    response = upload(staff, fair, two_lines(paid))
    assert response.status_code == 302
    page = staff.get(response["Location"])

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-row="5" data-state="matched"' in html
    assert 'data-row="6" data-state="unmatched"' in html
    assert paid.vendor.name in html
    assert (StatementImport.objects.count(), StatementLine.objects.count(), Payment.objects.count()) == (0, 0, 0)


def test_confirm_imports_and_the_same_file_again_is_all_duplicates(staff, fair):
    paid = approved(fair)
    upload(staff, fair, two_lines(paid))

    response = staff.post(url("upload", fair), {"action": "confirm", "token": token(staff, fair)})

    record = StatementImport.objects.get()
    assert response["Location"] == url("import", fair, record.pk)
    assert Payment.objects.get().application == paid
    result = staff.get(response["Location"]).content.decode()
    assert 'data-count="matched"' in result and 'data-count="unmatched"' in result
    assert reverse("vendors:review_detail", args=[paid.pk]) in result

    upload(staff, fair, two_lines(paid))
    again = staff.get(url("upload", fair)).content.decode()
    assert 'data-row="5" data-state="duplicate"' in again and 'data-row="6" data-state="duplicate"' in again
    assert 'data-state="matched"' not in again


def test_a_stale_confirmation_imports_nothing(staff, fair):
    upload(staff, fair, two_lines(approved(fair)))

    response = staff.post(url("upload", fair), {"action": "confirm", "token": "x" * 32})

    assert response.status_code == 302
    assert StatementImport.objects.count() == 0


def test_upload_refuses_another_file_type_with_a_field_message(staff, fair):
    response = upload(staff, fair, b"%PDF-1.4", name="sao-ke.pdf")

    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode() or "is-invalid" in response.content.decode()
    assert StatementImport.objects.count() == 0


def _unmatched_line(fair, memo="CHUYEN TIEN GIAN HANG", amount="2.500.000", ref="FT9"):
    from tests.vendors.test_statements import run

    run(fair, [("20/11/2026", ref, "", amount, "10.000.000", memo)])
    return StatementLine.objects.get(reference=ref)


def test_assign_searches_confirms_and_logs(staff, fair):
    target = approved(fair)
    line = _unmatched_line(fair)

    found = staff.get(url("line", fair, line.pk), {"q": code_for(target.pk)}).content.decode()
    confirm = staff.get(url("line", fair, line.pk), {"q": code_for(target.pk), "application": target.pk})
    response = staff.post(url("assign", fair, line.pk), {"application": target.pk})

    assert f'data-application="{target.pk}"' in found
    assert 'id="assign-confirm"' in confirm.content.decode()
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.state, line.application) == (S.MATCHED, target)
    change = StatementLineChange.objects.get(line=line)
    assert (change.action, change.to_application) == ("assigned", target)


def test_reverse_needs_a_reason_and_is_logged(staff, fair):
    target = approved(fair)
    line = _unmatched_line(fair, memo=memo_for(target))
    assert line.state == S.MATCHED

    refused = staff.post(url("reverse", fair, line.pk), {"reason": ""})
    done = staff.post(url("reverse", fair, line.pk), {"reason": "Nhầm hồ sơ"})

    assert refused.status_code == 400 and "Hãy cho biết lý do" in refused.content.decode()
    assert done.status_code == 302
    line.refresh_from_db()
    assert (line.state, line.payment) == (S.UNMATCHED, None)
    change = StatementLineChange.objects.get(line=line, action="reversed")
    assert (change.from_application, change.reason) == (target, "Nhầm hồ sơ")
    log = staff.get(url("changes", fair)).content.decode()
    assert "Nhầm hồ sơ" in log


def test_another_organisers_line_and_application_answer_404(staff, fair):
    other_fair = factories.EventFactory(organiser=factories.OrganiserFactory(name="Sở Công Thương Đồng Tháp"))
    other_fair.account = account_for(other_fair.organiser)
    foreign_line = _unmatched_line(other_fair)
    foreign_application = approved(other_fair)
    own_line = _unmatched_line(fair, ref="FT10")

    assert staff.get(url("line", fair, foreign_line.pk)).status_code == 404
    assert staff.get(url("import", fair, foreign_line.statement_import_id)).status_code == 404
    assert staff.get(reverse("reconcile:queue", args=[other_fair.organiser.pk])).status_code == 404
    assert staff.post(url("assign", fair, own_line.pk), {"application": foreign_application.pk}).status_code == 404
    own_line.refresh_from_db()
    assert own_line.state == S.UNMATCHED


def test_a_role_without_payment_record_is_refused(client, fair):
    client.force_login(factories.StaffUserFactory(role=Membership.Role.REVIEWER, organiser=fair.organiser))

    assert client.get(url("queue", fair)).status_code == 403


def _queue_queries(staff, fair, count) -> int:
    StatementLine.objects.all().delete()
    record = StatementImport.objects.create(organiser=fair.organiser, account=fair.account, file_name="a.csv")
    StatementLine.objects.bulk_create(
        StatementLine(
            statement_import=record,
            account=fair.account,
            row=n,
            key=f"ref:{n}",
            booked_on="2026-11-20",
            amount=100_000 + n,
            memo=f"CK {n}",
            state=S.UNMATCHED,
        )
        for n in range(count)
    )
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(url("queue", fair))
    assert response.status_code == 200
    return len(queries)


def test_queue_query_count_does_not_grow_with_the_lines(staff, fair):
    assert _queue_queries(staff, fair, 10) == _queue_queries(staff, fair, 1000)


def _vietinbank_like() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Ngay", "Tien vao", "Tien ra", "Noi dung CK", "Ma GD"])
    writer.writerow(["20/11/2026", "2500000", "", "GIAN HANG", "ZZ1"])
    return out.getvalue().encode("utf-8")


def test_mapping_screen_saves_a_layout_then_previews(staff, fair):
    upload(staff, fair, _vietinbank_like(), layout="map")
    page = staff.get(url("mapping", fair)).content.decode()
    assert "Noi dung CK" in page

    incomplete = staff.post(url("mapping", fair), {"name": "Ngân hàng X", "booked_on": "Ngay"})
    response = staff.post(
        url("mapping", fair),
        {"name": "Ngân hàng X", "booked_on": "Ngay", "credit": "Tien vao", "memo": "Noi dung CK", "reference": "Ma GD"},
    )

    assert incomplete.status_code == 400
    assert response["Location"] == url("upload", fair)
    assert StatementProfile.objects.get(organiser=fair.organiser).columns["memo"] == "Noi dung CK"
    preview = staff.get(url("upload", fair)).content.decode()
    assert 'data-state="unmatched"' in preview and StatementLine.objects.count() == 0


def test_staff_home_links_to_the_reconciliation(staff, fair):
    page = staff.get(reverse("events:staff_home")).content.decode()

    assert f'href="{url("queue", fair)}"' in page and "Đối soát sao kê ngân hàng" in page


def test_the_queue_and_the_review_list_link_to_the_einvoice_export_of_the_organisers_fairs(staff, fair):
    other = factories.EventFactory(organiser=factories.OrganiserFactory(name="Khác"), slug="hoi-cho-khac")
    export = reverse("vendors:einvoice_export", args=[fair.slug])

    queue = staff.get(url("queue", fair)).content.decode()
    review = staff.get(reverse("vendors:review_list", args=[fair.slug])).content.decode()

    assert 'id="einvoice-exports"' in queue and f'href="{export}"' in queue
    assert reverse("vendors:einvoice_export", args=[other.slug]) not in queue
    assert f'href="{export}" id="einvoice-export-link"' in review
