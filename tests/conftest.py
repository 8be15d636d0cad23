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


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests flush every table afterwards, migration data included; put the
    34 provinces back for whichever transactional test comes next."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    from events.models import Commune, Province, ProvinceAlias
    from events.reference import load_reference_data

    if not Province.objects.exists():
        load_reference_data(Province, ProvinceAlias, Commune)


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; every test starts in Vietnamese."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public pages are cached (tuanhang.kernel.page_cache): every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    """Files the code stores without a test asking (the demo's registration form template) go to
    a folder of the test session, never to the development media folder."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield
