"""Staff lists as cards on a phone (issue 22, item 4): under 576 px app.css hides a .table-cards
table's header and shows each cell's column name from its data-label. So every cell a person
reads on a card must carry the same column name the desktop header shows, and the row's name,
state and action are marked for the card layout. (The layout itself is checked in Chromium by
tests/e2e/test_staff_lists_phone.py.)"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.printing.support import make_fair


class _Table(HTMLParser):
    """The header texts and, per body row, each cell's (class, data-label) of one table."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.section = table_id, False, None
        self.headers, self.rows, self.classes = [], [], ""
        self._th = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self.inside, self.classes = True, attrs.get("class", "")
        elif not self.inside:
            return
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section == "tbody":
            self.rows.append([])
        elif tag == "th" and self.section == "thead":
            self._th = []
        elif tag == "td" and self.section == "tbody":
            self.rows[-1].append((attrs.get("class") or "", attrs.get("data-label")))

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "th" and self._th is not None:
            self.headers.append(" ".join("".join(self._th).split()))
            self._th = None

    def handle_data(self, data):
        if self._th is not None:
            self._th.append(data)


def table(response, table_id):
    parser = _Table(table_id)
    parser.feed(response.content.decode())
    assert parser.rows, f"#{table_id} has no row"
    return parser


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def assert_cards(parsed, quiet=("cell-select", "cell-name", "cell-state", "cell-action")):
    """Every cell that is not the row's tick box, name, state or action is labelled with its header."""
    assert "table-cards" in parsed.classes.split()
    for row in parsed.rows:
        assert len(row) == len(parsed.headers)
        for header, (classes, label) in zip(parsed.headers, row, strict=True):
            if set(quiet) & set(classes.split()):
                assert label is None  # a tick box, the name, the badge and the buttons speak for themselves
            elif "ocop" in classes and label is None:
                pass  # no star: the cell is empty, and hidden on a card
            else:
                assert label == header


def test_review_list_cells_carry_their_column_names(staff_client):
    event, _booths, _applications = make_fair(names=["Đông", "Ánh"])
    parsed = table(staff_client.get(en("vendors:review_list", event.slug)), "review-applications")
    assert_cards(parsed)
    marked = [{c for c in classes.split() if c.startswith("cell-")} for classes, _ in parsed.rows[0]]
    assert marked[:2] == [{"cell-select"}, {"cell-name"}] and {"cell-state"} in marked


def test_team_members_are_cards_whose_buttons_name_the_person(client, db):
    staff = factories.StaffUserFactory(first_name="Lan", last_name="Nguyễn Thị")
    client.force_login(staff)
    organiser = staff.organiser_memberships.get().organiser
    response = client.get(en("team:page", organiser.pk))
    parsed = table(response, "members")
    assert_cards(parsed)
    assert [classes for classes, _ in parsed.rows[0]][0] == "cell-name"
    html = response.content.decode()
    full_name = staff.get_full_name()
    assert f'Change<span class="visually-hidden">: {full_name}</span>' in html
    assert f'Remove<span class="visually-hidden">: {full_name}</span>' in html
