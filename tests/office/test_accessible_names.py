"""Staff pages name what a screen reader lands on (issue 22, item 4): the dashboard's counts say
what they count, the printing and reports pages' repeated buttons and links say which document
they make or download, and the review list's sorted column carries aria-sort.

The accessible name is computed from the rendered HTML the way a browser does for a link or a
button: aria-label if there is one, else the text inside, visually-hidden text included."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.printing.support import make_fair
from vendors.models import Application

A = Application.Status
CONTROLS = {"a", "button"}


class _Names(HTMLParser):
    """(tag, attributes, accessible name) of every link and button, in document order."""

    def __init__(self):
        super().__init__()
        self.controls = []
        self._open = []  # [tag, attrs, text parts] of the controls being read

    def handle_starttag(self, tag, attrs):
        if tag in CONTROLS:
            self._open.append([tag, dict(attrs), []])

    def handle_endtag(self, tag):
        if tag in CONTROLS and self._open:
            tag, attrs, parts = self._open.pop()
            name = attrs.get("aria-label") or " ".join("".join(parts).split())
            self.controls.append((tag, attrs, name))

    def handle_data(self, data):
        for control in self._open:
            control[2].append(data)


def controls(response, tag=None):
    parser = _Names()
    parser.feed(response.content.decode())
    return [c for c in parser.controls if tag is None or c[0] == tag]


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


# --- the dashboard's counts ------------------------------------------------------------------


def test_dashboard_count_links_say_what_they_count(staff_client):
    event = factories.EventFactory()
    factories.ApplicationFactory.create_batch(9, event=event, status=A.SUBMITTED)
    factories.ApplicationFactory.create_batch(2, event=event, status=A.APPROVED)

    response = staff_client.get(en("events:dashboard", event.slug))

    counts = [(attrs, name) for _, attrs, name in controls(response, "a") if "count-link" in attrs.get("class", "")]
    assert [name for _, name in counts] == [
        "9 applications with status “Submitted”",
        "2 applications with status “Approved”",
    ]
    # the visible number starts the name (WCAG 2.5.3, label in name)
    assert all(name.startswith(attrs["aria-label"].split()[0]) for attrs, name in counts)


def test_dashboard_count_links_say_it_in_vietnamese(staff_client):
    event = factories.EventFactory()
    factories.ApplicationFactory.create_batch(9, event=event, status=A.SUBMITTED)
    with translation.override("vi"):
        url = reverse("events:dashboard", args=[event.slug])

    response = staff_client.get(url)

    names = [name for _, attrs, name in controls(response, "a") if "count-link" in attrs.get("class", "")]
    assert names == ["9 đơn ở trạng thái “Đã nộp”"]


# --- printing and reports: repeated buttons ----------------------------------------------------


@pytest.fixture
def fair(db):
    event, _booths, _applications = make_fair()
    return event


def test_printing_page_buttons_name_the_document_they_make(staff_client, fair):
    response = staff_client.get(en("events:printing", fair.slug))

    buttons = [name for _, _, name in controls(response, "button") if name.startswith("Make the PDF")]
    assert len(buttons) >= 5
    assert all(name.startswith("Make the PDF: ") and name != "Make the PDF: " for name in buttons)
    assert not [name for name, n in Counter(buttons).items() if n > 1], "two buttons with one name"


def test_printing_page_spreadsheet_links_name_the_spreadsheet(staff_client, fair):
    response = staff_client.get(en("events:printing", fair.slug))

    links = [name for _, attrs, name in controls(response, "a") if "data-format" in attrs]
    assert links
    assert all(name.startswith(("Excel (.xlsx): ", "CSV (.csv): ")) for name in links)
    assert len(set(links)) == len(links), "two links with one name"


def test_printing_page_buttons_in_vietnamese(staff_client, fair):
    with translation.override("vi"):
        url = reverse("events:printing", args=[fair.slug])

    response = staff_client.get(url)

    buttons = [name for _, _, name in controls(response, "button") if name.startswith("Tạo tệp PDF")]
    assert buttons and all(name.startswith("Tạo tệp PDF: ") for name in buttons)


def test_reports_page_csv_links_name_their_chart(staff_client, fair):
    response = staff_client.get(en("reports:page", fair.slug))

    links = [name for _, _, name in controls(response, "a") if name.startswith("Download the data (CSV)")]
    assert len(links) >= 2
    assert all(name.startswith("Download the data (CSV): ") for name in links)
    assert len(set(links)) == len(links), "two links with one name"


# --- the review list's sort --------------------------------------------------------------------


def _sort_headers(response):
    html = response.content.decode()
    table = html.split('id="review-applications"')[1].split("</thead>")[0]
    return [chunk.split("</th>")[0] for chunk in table.split("<th")[1:]]


@pytest.mark.parametrize(
    "sort, column, direction",
    [
        ("name", "Business", "ascending"),
        ("-name", "Business", "descending"),
        ("submitted", "Submitted", "ascending"),
        ("-submitted", "Submitted", "descending"),
    ],
)
def test_review_list_sorted_column_carries_aria_sort(staff_client, sort, column, direction):
    event = factories.EventFactory()
    factories.ApplicationFactory(event=event, status=A.SUBMITTED)

    response = staff_client.get(en("vendors:review_list", event.slug), {"sort": sort})

    [header] = [h for h in _sort_headers(response) if "aria-sort" in h]
    assert header.startswith(f' scope="col" aria-sort="{direction}">')
    assert f">{column}</a>" in header


def test_review_list_default_order_marks_no_column_sorted(staff_client):
    event = factories.EventFactory()
    factories.ApplicationFactory(event=event, status=A.SUBMITTED)

    response = staff_client.get(en("vendors:review_list", event.slug))

    headers = _sort_headers(response)
    assert len(headers) > 5
    assert not [h for h in headers if "aria-sort" in h]
