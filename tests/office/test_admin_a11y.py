"""The admin's fields have accessible names (issue 22): the cells of a tabular inline and the date
and time halves of split date-time fields, which Django's own templates leave unnamed."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from events.models import DocumentType, FairDocumentRule
from tests import factories


class Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.label_for = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            self.controls.append(attrs)


def unnamed(html) -> list[str]:
    parser = Fields()
    parser.feed(html)
    return [
        c.get("name") or c.get("id")
        for c in parser.controls
        if not c.get("aria-label") and c.get("id") not in parser.label_for
    ]


@pytest.mark.django_db
def test_every_field_of_the_fair_form_has_a_name(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    event = factories.EventFactory()
    FairDocumentRule.objects.create(event=event, document_type=DocumentType.objects.create(name="Giấy phép", slug="gp"))
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert unnamed(html) == []
    assert 'aria-label="Thời gian mở đăng ký: Ngày"' in html
    assert 'name="document_rules-0-shows_ocop" aria-label="Trưng bày sản phẩm OCOP"' in html
    assert "css/admin_a11y" in html and "js/admin_a11y" in html  # breadcrumb links underlined, help icons named


def test_the_control_finds_an_unnamed_field():
    html = '<label for="a">A</label><input id="a"><input id="b" name="b"><input type="hidden" name="c">'
    assert unnamed(html) == ["b"]
