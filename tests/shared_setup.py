"""Expensive data (the demo fair: ~10 s to seed) made once for a group of tests, the way Django's
TestCase.setUpTestData does it: the data is written inside an outer transaction that is rolled back
when the group ends, and each test runs in its own savepoint inside it (pytest-django's `db`), so
whatever a test changes is undone before the next test, which sees exactly the freshly made data.

Use it from a class-scoped fixture, so the outer transaction ends with the class and the tests
outside the class still start from an empty database:

    @pytest.fixture(scope="class")
    def _seeded(django_db_setup, django_db_blocker):
        yield from made_once(django_db_blocker, seed)

Only for tests that use the plain `db` fixture: a transactional test (transactional_db,
live_server) would commit through, and flush, the shared data.
"""

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def made_once(django_db_blocker, make: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
