"""A reminder rule's timing in words (issue 19): "3 ngày trước ngày khai mạc", not "3 ngày 0 giờ trước…"."""

import pytest
from django.utils import translation

from tuanhang.office.reminders.models import ReminderRule
from tuanhang.office.reminders.wording import offset_text

A, D = ReminderRule.Anchor, ReminderRule.Direction


@pytest.mark.parametrize(
    ("days", "hours", "direction", "anchor", "words"),
    [
        (0, 0, D.BEFORE, A.OPENS, "đúng giờ khai mạc"),
        (0, 0, D.AFTER, A.DECIDED, "ngay khi duyệt hồ sơ"),
        (0, 1, D.AFTER, A.DECIDED, "1 giờ sau khi duyệt hồ sơ"),
        (1, 0, D.BEFORE, A.SETUP, "1 ngày trước giờ bàn giao gian hàng"),
        (3, 0, D.BEFORE, A.OPENS, "3 ngày trước ngày khai mạc"),
        (1, 2, D.BEFORE, A.REGISTRATION_CLOSES, "1 ngày 2 giờ trước khi hết hạn đăng ký"),
        (0, 12, D.BEFORE, A.OPENS, "12 giờ trước giờ khai mạc"),
        (2, 0, D.AFTER, A.CLOSES, "2 ngày sau ngày bế mạc"),
        (0, 1, D.AFTER, A.BOOTH_ASSIGNED, "1 giờ sau khi bố trí gian hàng"),
    ],
)
def test_offset_text_in_vietnamese(days, hours, direction, anchor, words):
    assert offset_text(days=days, hours=hours, direction=direction, anchor=anchor) == words


def test_offset_text_in_english_has_singular_and_plural():
    with translation.override("en"):
        assert offset_text(days=1, hours=2, direction=D.BEFORE, anchor=A.OPENS) == "1 day 2 hours before the opening"
        assert offset_text(days=3, hours=0, direction=D.AFTER, anchor=A.CLOSES) == "3 days after the closing day"
        assert offset_text(days=0, hours=1, direction=D.AFTER, anchor=A.DECIDED) == (
            "1 hour after the application is decided"
        )


def test_offset_text_has_words_for_every_direction_and_date():
    for anchor in A.values:
        for direction in D.values:
            for days, hours in ((0, 0), (1, 0), (0, 1)):
                text = offset_text(days=days, hours=hours, direction=direction, anchor=anchor)
                assert " 0 " not in f" {text} " and "%(" not in text


def test_rule_list_in_the_admin_says_when_in_words(admin_client, db):
    from tests import factories

    rule = ReminderRule.objects.create(
        event=factories.EventFactory(),
        kind=ReminderRule.Kind.FAIR_OPENS,
        anchor=A.OPENS,
        direction=D.BEFORE,
        days=3,
        hours=0,
        subject_vi="Sắp khai mạc",
        body_vi="…",
    )
    page = admin_client.get("/admin/reminders/reminderrule/").content.decode()
    assert "3 ngày trước ngày khai mạc" in page
    assert rule.when == "3 ngày trước ngày khai mạc"
