import pytest
from django.conf import settings
from django.db import connection

from tests import factories

ON_POSTGRES = settings.IS_POSTGRES


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    left_out = [item for item in items if "postgres" in item.keywords]
    for item in left_out:
        item.add_marker(skip)
    config._tuanhang_left_out = [item.nodeid for item in left_out]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    left_out = getattr(config, "_tuanhang_left_out", [])
    if left_out:
        terminalreporter.section("PostgreSQL-only tests left out (embedded SQLite run)")
        for nodeid in left_out:
            terminalreporter.write_line(nodeid)
        terminalreporter.write_line(
            f"{len(left_out)} test(s) need PostgreSQL; run `DATABASE_URL=postgres://… make test` for them."
        )


@pytest.fixture
def on_postgres():
    assert connection.vendor == "postgresql"


@pytest.fixture
def organiser_user(db):
    return factories.StaffUserFactory(is_superuser=True)


@pytest.fixture
def event(db):
    return factories.EventFactory()
