"""tests/shared_setup.py: data made once for a class is seen by each of its tests as made, whatever
the test before changed, and is gone once the class has ended."""

import pytest

from events.models import Organiser
from tests import factories
from tests.shared_setup import made_once

NAME = "Hiệp hội Doanh nghiệp nhỏ và vừa Hải Phòng"


@pytest.fixture(scope="class")
def _organiser_once(django_db_setup, django_db_blocker):
    yield from made_once(django_db_blocker, lambda: factories.OrganiserFactory(name=NAME, short_name="Hiệp hội").pk)


class TestMadeOnce:
    def test_the_first_test_sees_the_row_and_changes_it(self, _organiser_once, db):
        Organiser.objects.filter(pk=_organiser_once).update(short_name="đã đổi")
        factories.OrganiserFactory(name="Một tổ chức khác")

        assert Organiser.objects.get(pk=_organiser_once).short_name == "đã đổi"

    def test_the_next_test_sees_the_row_as_made(self, _organiser_once, db):
        assert list(Organiser.objects.values_list("name", "short_name")) == [(NAME, "Hiệp hội")]


def test_after_the_class_the_row_is_gone(db):
    assert not Organiser.objects.filter(name=NAME).exists()
