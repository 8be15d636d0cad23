"""The organisers' review: the per-fair list (filters, search, sort, money), one application's page
(documents through the file view, PDFs as page previews, history, booths, payments), decisions one by
one and in bulk with the free-booth warning, payments, who may see the pages, and fixed query counts."""

import datetime as dt
import itertools
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from booths.models import Assignment
from events.models import DocumentType, Province
from tests import factories
from tuanhang.kernel.vn import fold
from tuanhang.office.review.forms import parse_vnd
from vendors.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Payment,
    Product,
    Vendor,
    VendorMember,
)
from vendors.services.amounts import recompute_amounts_due

pytestmark = pytest.mark.django_db
A = Application.Status


def en(name, *args):
    """An English URL (/en/…): assertions on text do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, args=args or None)


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(username="bantochuc")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


class Table(HTMLParser):
    """The text of each cell of each body row of the table with a given id."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.depth, self.in_body = table_id, 0, False
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.depth or attrs.get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.depth and self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response, table_id):
    parser = Table(table_id)
    parser.feed(response.content.decode())
    return parser.rows


def listed_names(response):
    """Business names of the review list, in page order."""
    return [row[1].rsplit(" ", 1)[0] for row in table_rows(response, "review-applications")]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- a small fair ------------------------------------------------------------------------


def _application(event, *, name, kind, province, category, status, days_ago, booths=1, ocop=None, documents=()):
    vendor = factories.VendorFactory(name=name, kind=kind, province=Province.objects.get(pk=province))
    factories.ProductFactory(vendor=vendor, category=category, ocop_stars=ocop)
    application = factories.ApplicationFactory(
        vendor=vendor,
        event=event,
        status=status,
        booths_requested=booths,
        submitted_at=None if status == A.DRAFT else timezone.now() - dt.timedelta(days=days_ago),
    )
    application.categories.add(category)
    for document_type in documents:
        ApplicationDocument.objects.create(
            application=application,
            document_type=document_type,
            file=f"documents/{document_type.slug}-{application.pk}.pdf",
            original_name=f"{document_type.slug}.pdf",
            content_type="application/pdf",
            size=1234,
        )
    return application


@pytest.fixture
def fair(db):
    """Five booths (none taken); four applications sent (one approved without a booth) and a draft."""
    event = factories.EventFactory(
        name="Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên",
        slug="tuan-hang-vsip",
        booth_fee=5_000_000,
        subsidy_percent=50,
        max_booths_per_participant=3,
    )
    registration = DocumentType.objects.create(name="Giấy chứng nhận đăng ký kinh doanh", slug="dkkd")
    food_safety = DocumentType.objects.create(name="Giấy chứng nhận cơ sở đủ điều kiện ATTP", slug="attp")
    event.required_documents.set([registration, food_safety])
    seafood = factories.CategoryFactory(name="Thủy hải sản", slug="thuy-hai-san")
    tea = factories.CategoryFactory(name="Chè – cà phê", slug="che-ca-phe")
    farm = factories.CategoryFactory(name="Nông sản", slug="nong-san")
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    booth_type = factories.BoothTypeFactory(event=event)
    booths = [factories.BoothFactory(event=event, zone=zone, booth_type=booth_type, code=f"A0{i}") for i in range(1, 6)]
    both = (registration, food_safety)
    fair = SimpleNamespace(
        event=event,
        booths=booths,
        registration=registration,
        food_safety=food_safety,
        seafood=seafood,
        tea=tea,
        farm=farm,
        nuoc_mam=_application(
            event,
            name="Công ty TNHH Nước mắm Cát Hải",
            kind=Vendor.Kind.DN,
            province="31",
            category=seafood,
            status=A.SUBMITTED,
            days_ago=3,
            booths=2,
            ocop=4,
            documents=both,
        ),
        che=_application(
            event,
            name="Hợp tác xã Chè Tân Cương",
            kind=Vendor.Kind.HTX,
            province="19",
            category=tea,
            status=A.WAITLISTED,
            days_ago=2,
            documents=(registration,),
        ),
        banh_da=_application(
            event,
            name="Hộ kinh doanh Bánh đa Kế",
            kind=Vendor.Kind.HKD,
            province="24",
            category=farm,
            status=A.APPROVED,
            days_ago=1,
            ocop=3,
        ),
        xoai=_application(
            event,
            name="Công ty Cổ phần Xoài Đồng Tháp",
            kind=Vendor.Kind.DN,
            province="82",
            category=farm,
            status=A.REJECTED,
            days_ago=4,
            documents=both,
        ),
        draft=_application(
            event,
            name="Công ty TNHH Gạo Ánh Dương",
            kind=Vendor.Kind.DN,
            province="31",
            category=farm,
            status=A.DRAFT,
            days_ago=0,
        ),
    )
    # Another fair's application never shows.
    factories.ApplicationFactory(vendor=factories.VendorFactory(name="Công ty TNHH Nước mắm Hội chợ khác"))
    return fair


NUOC_MAM = "Công ty TNHH Nước mắm Cát Hải"
CHE = "Hợp tác xã Chè Tân Cương"
BANH_DA = "Hộ kinh doanh Bánh đa Kế"
XOAI = "Công ty Cổ phần Xoài Đồng Tháp"
DRAFT = "Công ty TNHH Gạo Ánh Dương"


# --- the list: filters, search, sort ----------------------------------------------------------


def test_review_list_opens_on_what_awaits_review_and_ends_with_the_rejected(staff_client, fair):
    response = staff_client.get(en("vendors:review_list", fair.event.slug))

    # Submitted, waitlisted, approved, then rejected (the oldest application, which used to lead).
    assert response.status_code == 200
    assert listed_names(response) == [NUOC_MAM, CHE, BANH_DA, XOAI]


def test_review_list_sorted_by_submission_lists_sent_applications_oldest_first(staff_client, fair):
    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"sort": "submitted"})

    assert response.status_code == 200
    assert listed_names(response) == [XOAI, NUOC_MAM, CHE, BANH_DA]
    assert "4 applications" in " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda f: {"status": "approved"}, [BANH_DA]),
        (lambda f: {"status": "waitlisted"}, [CHE]),
        (lambda f: {"status": "draft"}, [DRAFT]),
        (lambda f: {"province": "19"}, [CHE]),
        (lambda f: {"province": "31"}, [NUOC_MAM]),
        (lambda f: {"kind": "HTX"}, [CHE]),
        (lambda f: {"kind": "DN"}, [NUOC_MAM, XOAI]),
        (lambda f: {"category": f.farm.pk}, [BANH_DA, XOAI]),
        (lambda f: {"category": f.tea.pk}, [CHE]),
        (lambda f: {"ocop": "yes"}, [NUOC_MAM, BANH_DA]),
        (lambda f: {"ocop": "no"}, [CHE, XOAI]),
        (lambda f: {"missing_documents": "on"}, [CHE, BANH_DA]),
        (lambda f: {"kind": "DN", "missing_documents": "on"}, []),
        (lambda f: {"ocop": "yes", "missing_documents": "on"}, [BANH_DA]),
    ],
)
def test_review_list_filter_keeps_exactly_the_matching_rows(staff_client, fair, params, expected):
    response = staff_client.get(en("vendors:review_list", fair.event.slug), params(fair))

    assert response.status_code == 200
    assert listed_names(response) == expected


def test_review_list_filter_with_unknown_value_shows_error_and_ignores_it(staff_client, fair):
    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"status": "nonsense", "kind": "HTX"})

    assert response.status_code == 200
    assert listed_names(response) == [CHE]
    assert response.context["filter_form"].errors["status"] == [
        "Select a valid choice. nonsense is not one of the available choices."
    ]


def test_review_list_with_no_match_says_so(staff_client, fair):
    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"q": "không có ai"})

    assert "No application matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("nuoc mam", [NUOC_MAM]),
        ("NƯỚC MẮM", [NUOC_MAM]),
        ("Nước Mắm  cát hải", [NUOC_MAM]),
        ("dong thap", [XOAI]),
        ("ĐỒNG THÁP", [XOAI]),
        ("banh da ke", [BANH_DA]),
        ("cong ty", [NUOC_MAM, XOAI]),
    ],
)
def test_review_list_search_ignores_accents_and_case(staff_client, fair, term, expected):
    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"q": term})

    assert listed_names(response) == expected


def test_review_list_search_finds_tax_code(staff_client, fair):
    tax_code = fair.che.vendor.tax_code

    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"q": tax_code})

    assert listed_names(response) == [CHE]


def test_review_list_sorts_names_in_vietnamese_order(staff_client):
    event = factories.EventFactory()
    names = ["Zeta Foods", "Ưu Đãi", "Đông Á", "Dừa Xiêm", "Ánh Dương", "Bánh Cốm"]
    for name in names:
        factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(name=name))
    url = en("vendors:review_list", event.slug)

    ascending = listed_names(staff_client.get(url, {"sort": "name"}))
    descending = listed_names(staff_client.get(url, {"sort": "-name"}))

    assert ascending == ["Ánh Dương", "Bánh Cốm", "Dừa Xiêm", "Đông Á", "Ưu Đãi", "Zeta Foods"]
    assert descending == list(reversed(ascending))


def test_review_list_sorts_by_submission_newest_first(staff_client, fair):
    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"sort": "-submitted"})

    assert listed_names(response) == [BANH_DA, CHE, NUOC_MAM, XOAI]


def test_review_list_shows_every_column_of_a_row(staff_client, fair, staff):
    Payment.objects.create(application=fair.nuoc_mam, amount=1_000_000, paid_on=dt.date(2025, 3, 5))
    Payment.objects.create(application=fair.nuoc_mam, amount=500_000, paid_on=dt.date(2025, 3, 6))
    submitted = timezone.localtime(fair.nuoc_mam.submitted_at).strftime("%d/%m/%Y %H:%M")

    response = staff_client.get(en("vendors:review_list", fair.event.slug), {"q": "nuoc mam"})

    [row] = table_rows(response, "review-applications")
    assert row == [
        "",
        f"{NUOC_MAM} {fair.nuoc_mam.vendor.tax_code}",
        "DN",
        "Hải Phòng",
        "2",
        "Thủy hải sản",
        "4★",
        "2/2",
        "Submitted",
        submitted,
        "5.000.000 ₫",
        "1.500.000 ₫",
        "3.500.000 ₫",
    ]


def test_review_list_shows_paid_and_outstanding_per_row(staff_client, fair):
    Payment.objects.create(application=fair.banh_da, amount=2_500_000, paid_on=dt.date(2025, 3, 5))
    Payment.objects.create(application=fair.che, amount=3_000_000, paid_on=dt.date(2025, 3, 5))
    Payment.objects.create(application=fair.xoai, amount=1_000_000, paid_on=dt.date(2025, 3, 5))

    response = staff_client.get(en("vendors:review_list", fair.event.slug))

    money = {row[1].rsplit(" ", 1)[0]: row[-3:] for row in table_rows(response, "review-applications")}
    assert money == {
        # Rejected: nothing due any more, what was paid is to be refunded.
        XOAI: ["0 ₫", "1.000.000 ₫", "-1.000.000 ₫"],
        NUOC_MAM: ["5.000.000 ₫", "0 ₫", "5.000.000 ₫"],
        CHE: ["2.500.000 ₫", "3.000.000 ₫", "-500.000 ₫"],
        BANH_DA: ["2.500.000 ₫", "2.500.000 ₫", "0 ₫"],
    }


def test_review_list_pages_by_fifty_keeping_the_filters(staff_client):
    event = factories.EventFactory()
    factories.ApplicationFactory.create_batch(51, event=event, vendor__kind=Vendor.Kind.HTX)
    factories.ApplicationFactory(event=event)
    url = en("vendors:review_list", event.slug)

    first = staff_client.get(url, {"kind": "HTX"})
    second = staff_client.get(url, {"kind": "HTX", "page": 2})

    assert len(listed_names(first)) == 50
    assert len(listed_names(second)) == 1
    assert 'href="?kind=HTX&amp;page=2"' in first.content.decode()


def test_review_list_shows_free_booths(staff_client, fair):
    response = staff_client.get(en("vendors:review_list", fair.event.slug))

    capacity = " ".join(re.search(r'id="capacity">(.*?)</p>', response.content.decode(), re.S).group(1).split())
    assert (
        capacity
        == "5 free booths, 1 promised to approved applications without a booth: <strong>4 left to give</strong>"
    )


def test_review_list_of_unknown_fair_is_404(staff_client, db):
    assert staff_client.get(en("vendors:review_list", "khong-co")).status_code == 404


def test_staff_dashboard_links_to_the_review_list(staff_client, fair):
    response = staff_client.get(en("events:dashboard", fair.event.slug))

    link = en("vendors:review_list", fair.event.slug)
    assert f'id="review-link" href="{link}"' in response.content.decode()


# --- bulk decisions ---------------------------------------------------------------------------


def bulk(client, fair, applications, decision, reason="", **extra):
    data = {"applications": [a.pk for a in applications], "decision": decision, "reason": reason, **extra}
    return client.post(en("vendors:review_bulk", fair.event.slug), data)


def statuses(*applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_bulk_approve_approves_and_records_who_when_from_and_why(staff_client, staff, fair):
    before = timezone.now()
    back = en("vendors:review_list", fair.event.slug) + "?status=submitted"

    response = bulk(staff_client, fair, [fair.nuoc_mam, fair.che], "approve", "Đủ hồ sơ", next=back)

    assert response.status_code == 302
    assert response.url == back
    assert statuses(fair.nuoc_mam, fair.che) == [A.APPROVED, A.APPROVED]
    changes = ApplicationStatusChange.objects.filter(application__in=[fair.nuoc_mam, fair.che]).order_by(
        "application__vendor__name"
    )
    assert [(c.application_id, c.from_status, c.to_status, c.reason, c.changed_by) for c in changes] == [
        (fair.nuoc_mam.pk, A.SUBMITTED, A.APPROVED, "Đủ hồ sơ", staff),
        (fair.che.pk, A.WAITLISTED, A.APPROVED, "Đủ hồ sơ", staff),
    ]
    assert all(c.changed_at >= before for c in changes)
    nuoc_mam = Application.objects.get(pk=fair.nuoc_mam.pk)
    assert (nuoc_mam.decided_by, nuoc_mam.decision_reason) == (staff, "Đủ hồ sơ")
    assert nuoc_mam.decided_at >= before
    assert messages_of(staff_client.get(back)) == ["2 applications approved."]


def test_bulk_waitlist_moves_applications_to_the_waiting_list(staff_client, fair):
    response = bulk(staff_client, fair, [fair.nuoc_mam, fair.banh_da], "waitlist")

    assert response.status_code == 302
    assert statuses(fair.nuoc_mam, fair.banh_da) == [A.WAITLISTED, A.WAITLISTED]


@pytest.mark.parametrize("reason", ["", "   "])
def test_bulk_reject_without_reason_is_refused_and_changes_nothing(staff_client, fair, reason):
    response = bulk(staff_client, fair, [fair.nuoc_mam, fair.che], "reject", reason)

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give a reason for the rejection."]
    assert statuses(fair.nuoc_mam, fair.che) == [A.SUBMITTED, A.WAITLISTED]
    assert not ApplicationStatusChange.objects.exists()
    # The decision page keeps the ticked applications for the second try.
    assert [a.pk for a in response.context["applications"]] == [fair.nuoc_mam.pk, fair.che.pk]
    assert response.content.decode().count('name="applications"') == 2


def test_bulk_reject_with_reason_rejects_and_releases_booths(staff_client, staff, fair):
    held = factories.AssignmentFactory(booth=fair.booths[0], application=fair.nuoc_mam)

    response = bulk(staff_client, fair, [fair.nuoc_mam, fair.che], "reject", "Không thuộc nhóm hàng của hội chợ")

    assert response.status_code == 302
    assert statuses(fair.nuoc_mam, fair.che) == [A.REJECTED, A.REJECTED]
    held.refresh_from_db()
    assert (held.status, held.released_by) == (Assignment.Status.RELEASED, staff)
    assert set(ApplicationStatusChange.objects.values_list("reason", flat=True)) == {
        "Không thuộc nhóm hàng của hội chợ"
    }


def test_bulk_without_ticked_application_says_so(staff_client, fair):
    response = bulk(staff_client, fair, [], "approve")

    assert response.status_code == 302
    assert messages_of(staff_client.get(response.url)) == ["Tick at least one application."]
    assert not ApplicationStatusChange.objects.exists()


def test_bulk_reports_applications_that_cannot_take_the_decision(staff_client, fair):
    back = en("vendors:review_list", fair.event.slug)

    bulk(staff_client, fair, [fair.nuoc_mam, fair.banh_da], "approve")

    assert statuses(fair.nuoc_mam, fair.banh_da) == [A.APPROVED, A.APPROVED]
    assert messages_of(staff_client.get(back)) == [
        "1 application approved.",
        f"1 application was not changed: {BANH_DA}: An application cannot go from “Approved” to “Approved”.",
    ]


def test_bulk_with_application_of_another_fair_is_refused(staff_client, fair):
    other = factories.ApplicationFactory()

    response = bulk(staff_client, fair, [fair.nuoc_mam, other], "approve")

    assert messages_of(staff_client.get(response.url)) == ["One of the ticked applications is not in this fair."]
    assert statuses(fair.nuoc_mam, other) == [A.SUBMITTED, A.SUBMITTED]


def test_bulk_get_is_not_allowed(staff_client, fair):
    assert staff_client.get(en("vendors:review_bulk", fair.event.slug)).status_code == 405


# --- the over-capacity warning ------------------------------------------------------------------


@pytest.fixture
def crowded(fair):
    """Only two booths usable (three blocked); banh_da is approved without a booth: one booth left."""
    for booth in fair.booths[2:]:
        booth.blocked = True
        booth.save()
    return fair


def test_bulk_approve_past_free_booths_warns_and_changes_nothing(staff_client, crowded):
    response = bulk(staff_client, crowded, [crowded.nuoc_mam, crowded.che], "approve", "Ưu tiên OCOP")

    assert response.status_code == 200
    warning = " ".join(re.search(r'id="over-capacity">(.*?)</div>', response.content.decode(), re.S).group(1).split())
    assert warning.endswith("Approving needs 3 booths. Only 1 booth is free. Approve anyway? </p>")
    assert statuses(crowded.nuoc_mam, crowded.che) == [A.SUBMITTED, A.WAITLISTED]
    assert not ApplicationStatusChange.objects.exists()
    assert 'name="confirm_over_capacity" value="on"' in response.content.decode()
    assert "Ưu tiên OCOP</textarea>" in response.content.decode()


def test_bulk_approve_past_free_booths_after_confirming_approves(staff_client, staff, crowded):
    response = bulk(
        staff_client, crowded, [crowded.nuoc_mam, crowded.che], "approve", "Ưu tiên OCOP", confirm_over_capacity="on"
    )

    assert response.status_code == 302
    assert statuses(crowded.nuoc_mam, crowded.che) == [A.APPROVED, A.APPROVED]
    assert ApplicationStatusChange.objects.filter(to_status=A.APPROVED, changed_by=staff).count() == 2


def test_approve_within_free_booths_needs_no_confirmation(staff_client, crowded):
    response = bulk(staff_client, crowded, [crowded.che], "approve")

    assert response.status_code == 302
    assert statuses(crowded.che) == [A.APPROVED]


def test_approve_application_already_holding_its_booths_needs_no_confirmation(staff_client, crowded):
    factories.AssignmentFactory(booth=crowded.booths[0], application=crowded.nuoc_mam)
    factories.AssignmentFactory(booth=crowded.booths[1], application=crowded.nuoc_mam)

    response = bulk(staff_client, crowded, [crowded.nuoc_mam], "approve")

    assert response.status_code == 302
    assert statuses(crowded.nuoc_mam) == [A.APPROVED]


def test_one_by_one_approve_past_free_booths_warns_then_approves_after_confirming(staff_client, crowded):
    url = en("vendors:review_decide", crowded.nuoc_mam.pk)

    warned = staff_client.post(url, {"decision": "approve"})
    assert warned.status_code == 200
    warning = " ".join(re.search(r'id="over-capacity">(.*?)</div>', warned.content.decode(), re.S).group(1).split())
    assert warning.endswith("Approving needs 2 booths. Only 1 booth is free. Approve anyway? </p>")
    assert statuses(crowded.nuoc_mam) == [A.SUBMITTED]

    confirmed = staff_client.post(url, {"decision": "approve", "confirm_over_capacity": "on"})
    assert confirmed.status_code == 302
    assert confirmed.url == en("vendors:review_detail", crowded.nuoc_mam.pk)
    assert statuses(crowded.nuoc_mam) == [A.APPROVED]


def test_waitlist_and_reject_never_warn_about_booths(staff_client, crowded):
    bulk(staff_client, crowded, [crowded.nuoc_mam], "waitlist")
    bulk(staff_client, crowded, [crowded.che], "reject", "Hết chỗ")

    assert statuses(crowded.nuoc_mam, crowded.che) == [A.WAITLISTED, A.REJECTED]


# --- one application ------------------------------------------------------------------------


def text_of(html, element_id, closing):
    """The text inside the element with this id, tags removed and spaces collapsed."""
    inner = re.search(rf'id="{element_id}">(.*?){closing}', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def required_documents(html):
    return text_of(html, "required-documents", "</ul>")


def test_review_detail_shows_business_application_documents_and_history(staff_client, staff, fair):
    from vendors.services import application_transition

    member = factories.UserFactory(email="giamdoc@nuocmamcathai.vn")
    VendorMember.objects.create(vendor=fair.nuoc_mam.vendor, user=member)
    application_transition(application=fair.nuoc_mam, to_status=A.WAITLISTED, by=staff, reason="Chờ khu OCOP")
    factories.AssignmentFactory(booth=fair.booths[0], application=fair.nuoc_mam)

    response = staff_client.get(en("vendors:review_detail", fair.nuoc_mam.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="h3 mb-1">{NUOC_MAM}</h1>' in html
    assert "giamdoc@nuocmamcathai.vn (Owner)" in html
    assert table_rows(response, "status-history")[0][1:] == ["Submitted", "Waitlisted", "bantochuc", "Chờ khu OCOP"]
    assert 'data-booth="A01" data-assignment-status="held"' in html
    assert required_documents(html) == (
        "Giấy chứng nhận cơ sở đủ điều kiện ATTP received Giấy chứng nhận đăng ký kinh doanh received"
    )


def test_review_detail_shows_documents_through_the_protected_file_view_and_never_embeds_a_pdf(staff_client, fair):
    image = ApplicationDocument.objects.create(
        application=fair.che,
        document_type=fair.food_safety,
        file="documents/attp.png",
        original_name="attp.png",
        content_type="image/png",
        size=2048,
    )
    pdf = fair.che.documents.get(document_type=fair.registration)

    response = staff_client.get(en("vendors:review_detail", fair.che.pk))

    html = response.content.decode()
    image_url = en("vendors:file", "document", image.pk)
    pdf_url = en("vendors:file", "document", pdf.pk)
    assert f'<img src="{image_url}" alt="Giấy chứng nhận cơ sở đủ điều kiện ATTP: attp.png"' in html
    # This PDF is not on disk, so there is no page preview: a download link instead, never an <object>.
    assert f'No preview of this PDF can be shown. <a href="{pdf_url}">Download dkkd.pdf</a>' in html
    assert "<object" not in html


def test_review_detail_lists_missing_documents(staff_client, fair):
    response = staff_client.get(en("vendors:review_detail", fair.banh_da.pk))

    html = response.content.decode()
    assert required_documents(html) == (
        "Giấy chứng nhận cơ sở đủ điều kiện ATTP missing Giấy chứng nhận đăng ký kinh doanh missing"
    )
    assert "No document uploaded yet." in html


def test_review_detail_offers_only_the_decisions_allowed_from_the_status(staff_client, fair):
    def buttons(application):
        html = staff_client.get(en("vendors:review_detail", application.pk)).content.decode()
        return re.findall(r'name="decision" value="(\w+)"', html)

    assert buttons(fair.nuoc_mam) == ["approve", "waitlist", "reject"]
    assert buttons(fair.banh_da) == ["waitlist"]
    assert buttons(fair.xoai) == ["approve", "waitlist"]
    assert buttons(fair.draft) == []


def test_review_detail_of_unknown_application_is_404(staff_client, db):
    assert staff_client.get(en("vendors:review_detail", 987654)).status_code == 404


def test_decide_reject_without_reason_shows_field_error_and_changes_nothing(staff_client, fair):
    response = staff_client.post(en("vendors:review_decide", fair.nuoc_mam.pk), {"decision": "reject", "reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give a reason for the rejection."]
    assert statuses(fair.nuoc_mam) == [A.SUBMITTED]


def test_decide_reject_with_reason_rejects_records_and_releases_the_booth(staff_client, staff, fair):
    held = factories.AssignmentFactory(booth=fair.booths[0], application=fair.nuoc_mam)

    response = staff_client.post(
        en("vendors:review_decide", fair.nuoc_mam.pk), {"decision": "reject", "reason": "Thiếu giấy ATTP"}
    )

    assert response.status_code == 302
    change = ApplicationStatusChange.objects.get(application=fair.nuoc_mam)
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        A.SUBMITTED,
        A.REJECTED,
        "Thiếu giấy ATTP",
        staff,
    )
    held.refresh_from_db()
    assert held.status == Assignment.Status.RELEASED
    assert messages_of(staff_client.get(response.url)) == ["1 application rejected."]


def test_decide_waitlist_from_detail(staff_client, fair):
    staff_client.post(en("vendors:review_decide", fair.nuoc_mam.pk), {"decision": "waitlist"})

    assert statuses(fair.nuoc_mam) == [A.WAITLISTED]


def test_decide_unknown_decision_is_refused(staff_client, fair):
    response = staff_client.post(en("vendors:review_decide", fair.nuoc_mam.pk), {"decision": "cancel"})

    assert response.status_code == 200
    assert response.context["form"].errors["decision"] == ["Choose a decision."]
    assert statuses(fair.nuoc_mam) == [A.SUBMITTED]


# --- payments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["1.500.000", "1500000", "1 500 000", "1,500,000", "1.500.000 ₫", "1.500.000đ", "1.500.000 VNĐ"]
)
def test_parse_vnd_reads_amounts_as_people_write_them(written):
    assert parse_vnd(written) == 1_500_000


@pytest.mark.parametrize("written", ["", "abc", "1.5", "1.500.000,50", "1.50.000", "15,00", "-5", "١٢٣", "1e6"])
def test_parse_vnd_refuses_anything_else(written):
    with pytest.raises(ValueError):
        parse_vnd(written)


INVALID_AMOUNT = "Enter the amount in đồng as a whole number, for example 1.500.000 or 1500000."


def record(client, application, **data):
    payload = {"amount": "1.500.000", "paid_on": "05/03/2025", "method": "transfer", "reference": "FT2503051234"}
    return client.post(en("vendors:payment_create", application.pk), {**payload, **data})


@pytest.mark.parametrize("amount", ["1.500.000", "1500000"])
def test_payment_record_saves_amount_date_method_and_who(staff_client, staff, fair, amount):
    before = timezone.now()

    response = record(staff_client, fair.nuoc_mam, amount=amount)

    assert response.status_code == 302
    assert response.url == en("vendors:review_detail", fair.nuoc_mam.pk) + "#payments"
    payment = Payment.objects.get()
    assert (payment.application, payment.amount, payment.paid_on, payment.method, payment.reference) == (
        fair.nuoc_mam,
        1_500_000,
        dt.date(2025, 3, 5),
        Payment.Method.TRANSFER,
        "FT2503051234",
    )
    assert payment.recorded_by == staff
    assert payment.recorded_at >= before
    assert messages_of(staff_client.get(response.url)) == [f"Payment of 1.500.000 ₫ recorded for {NUOC_MAM}."]


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"amount": ""}, "amount", "This field is required."),
        ({"amount": "một triệu"}, "amount", INVALID_AMOUNT),
        ({"amount": "1.500.000,50"}, "amount", INVALID_AMOUNT),
        ({"amount": "<script>alert(1)</script>"}, "amount", INVALID_AMOUNT),
        ({"amount": "0"}, "amount", "Enter an amount of at least 1 ₫."),
        ({"amount": "9" * 30}, "amount", "This amount is too large; check the number of zeros."),
        ({"amount": "1" * 41}, "amount", "This amount is too large; check the number of zeros."),
        ({"amount": "x" * 5000}, "amount", INVALID_AMOUNT),
        ({"paid_on": ""}, "paid_on", "This field is required."),
        ({"paid_on": "31/02/2025"}, "paid_on", "Enter the date as dd/mm/yyyy, for example 05/03/2025."),
        ({"paid_on": "hôm qua"}, "paid_on", "Enter the date as dd/mm/yyyy, for example 05/03/2025."),
        ({"method": "bitcoin"}, "method", "Select a valid choice. bitcoin is not one of the available choices."),
        ({"reference": "x" * 121}, "reference", "Ensure this value has at most 120 characters (it has 121)."),
    ],
)
def test_payment_record_bad_input_shows_field_error_and_writes_nothing(staff_client, fair, data, field, error):
    response = record(staff_client, fair.nuoc_mam, **data)

    assert response.status_code == 200
    assert response.context["payment_form"].errors[field] == [error]
    assert not Payment.objects.exists()
    assert "Record a payment" in response.content.decode()


def test_payment_record_refuses_a_future_date(staff_client, fair):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")

    response = record(staff_client, fair.nuoc_mam, paid_on=tomorrow)

    assert response.context["payment_form"].errors["paid_on"] == ["The payment date cannot be in the future."]
    assert not Payment.objects.exists()


def test_payment_date_is_read_day_first_in_english_too(staff_client, fair):
    record(staff_client, fair.nuoc_mam, paid_on="05/03/2025")

    assert Payment.objects.get().paid_on == dt.date(2025, 3, 5)


def test_review_detail_shows_payments_paid_and_outstanding(staff_client, staff, fair):
    record(staff_client, fair.nuoc_mam, amount="1.000.000", paid_on="01/03/2025", reference="PT-01")
    record(staff_client, fair.nuoc_mam, amount="500000", paid_on="04/03/2025", method="cash", reference="")

    response = staff_client.get(en("vendors:review_detail", fair.nuoc_mam.pk))

    html = response.content.decode()
    assert text_of(html, "money", "</dl>") == "Fee due 5.000.000 ₫ Paid 1.500.000 ₫ Outstanding 3.500.000 ₫"
    rows = [row[:4] for row in table_rows(response, "payment-rows")]
    assert rows == [
        ["01/03/2025", "1.000.000 ₫", "Bank transfer", "PT-01"],
        ["04/03/2025", "500.000 ₫", "Cash", ""],
    ]


# --- who may see the pages ---------------------------------------------------------------------


def _review_urls(fair):
    return [
        ("get", en("vendors:review_list", fair.event.slug)),
        ("post", en("vendors:review_bulk", fair.event.slug)),
        ("get", en("vendors:review_detail", fair.nuoc_mam.pk)),
        ("post", en("vendors:review_decide", fair.nuoc_mam.pk)),
        ("post", en("vendors:payment_create", fair.nuoc_mam.pk)),
    ]


def test_review_pages_send_anonymous_visitors_to_login(client, fair):
    login = en("vendors:login")
    for method, url in _review_urls(fair):
        response = getattr(client, method)(url, {"decision": "approve", "applications": [fair.nuoc_mam.pk]})
        assert response.status_code == 302, url
        assert response.url.startswith(f"{login}?next="), url
    assert statuses(fair.nuoc_mam) == [A.SUBMITTED]


def test_review_pages_refuse_business_accounts(client, fair):
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=fair.nuoc_mam.vendor, user=user)
    client.force_login(user)
    for method, url in _review_urls(fair):
        response = getattr(client, method)(url, {"decision": "approve", "applications": [fair.nuoc_mam.pk]})
        assert response.status_code == 403, url
    assert statuses(fair.nuoc_mam) == [A.SUBMITTED]
    assert not Payment.objects.exists()


# --- query counts -----------------------------------------------------------------------------


_tax_numbers = itertools.count(1_000_000)  # below factories.FACTORY_TAX_NUMBERS: never a factory's code


def build_fair(n):
    """A fair with n sent applications, each with a category, an OCOP product (every other one),
    a document and a payment; bulk-created."""
    event = factories.EventFactory()
    document_types = [
        DocumentType.objects.create(name=f"Giấy tờ {event.pk}-{i}", slug=f"giay-to-{event.pk}-{i}") for i in range(2)
    ]
    event.required_documents.set(document_types)
    category = factories.CategoryFactory()
    province = Province.objects.get(pk="31")
    vendors = Vendor.objects.bulk_create(
        Vendor(
            name=f"Công ty TNHH Đặc sản Số {i}",
            kind=Vendor.Kind.DN,
            tax_code=factories.valid_tax_code(next(_tax_numbers)),
            province=province,
            search_text=fold(f"Công ty TNHH Đặc sản Số {i}"),
        )
        for i in range(n)
    )
    Product.objects.bulk_create(
        Product(vendor=v, name=f"Sản phẩm {i}", category=category, ocop_stars=3 if i % 2 else None)
        for i, v in enumerate(vendors)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(vendor=v, event=event, status=A.SUBMITTED, submitted_at=now - dt.timedelta(minutes=i))
        for i, v in enumerate(vendors)
    )
    Application.categories.through.objects.bulk_create(
        Application.categories.through(application=a, category=category) for a in applications
    )
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(
            application=a,
            document_type=document_types[0],
            file=f"documents/{a.pk}.pdf",
            original_name="dkkd.pdf",
            content_type="application/pdf",
            size=100,
        )
        for a in applications
    )
    Payment.objects.bulk_create(
        Payment(application=a, amount=100_000, paid_on=dt.date(2025, 3, 1)) for a in applications
    )
    recompute_amounts_due(event=event)  # each row's amount due is read with the list, in its query
    return event, applications


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("params", [{}, {"sort": "name", "ocop": "yes", "missing_documents": "on", "q": "dac san"}])
def test_review_list_same_query_count_for_10_and_1000_applications(staff_client, params):
    few_event, _ = build_fair(10)
    many_event, _ = build_fair(1000)

    few, few_response = count_queries(staff_client, en("vendors:review_list", few_event.slug), params)
    many, many_response = count_queries(staff_client, en("vendors:review_list", many_event.slug), params)

    assert few == many
    assert len(listed_names(many_response)) == 50
    assert len(listed_names(few_response)) == (10 if not params else 5)


def test_review_detail_same_query_count_for_10_and_1000_applications(staff_client, staff):
    from vendors.services import application_transition

    few_event, few_apps = build_fair(10)
    many_event, many_apps = build_fair(1000)
    busy = many_apps[0]
    # The busy application also has more of everything its page lists.
    for i in range(5):
        Payment.objects.create(application=busy, amount=10_000 + i, paid_on=dt.date(2025, 3, 2), recorded_by=staff)
    application_transition(application=busy, to_status=A.WAITLISTED, by=staff, reason="Chờ")
    application_transition(application=busy, to_status=A.APPROVED, by=staff)
    zone = factories.ZoneFactory(event=many_event)
    for _ in range(3):
        factories.AssignmentFactory(booth=factories.BoothFactory(event=many_event, zone=zone), application=busy)
    for user in factories.UserFactory.create_batch(3):
        VendorMember.objects.create(vendor=busy.vendor, user=user)

    few, _ = count_queries(staff_client, en("vendors:review_detail", few_apps[0].pk))
    many, response = count_queries(staff_client, en("vendors:review_detail", busy.pk))

    assert few == many
    assert len(table_rows(response, "payment-rows")) == 6


def test_review_detail_of_rejected_application_shows_nothing_due(staff_client, fair):
    Payment.objects.create(application=fair.xoai, amount=1_000_000, paid_on=dt.date(2025, 3, 5))

    response = staff_client.get(en("vendors:review_detail", fair.xoai.pk))

    assert text_of(response.content.decode(), "money", "</dl>") == (
        "Fee due 0 ₫ Paid 1.000.000 ₫ Outstanding -1.000.000 ₫"
    )
