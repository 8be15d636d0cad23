"""Every URL name that existed before the restructuring of issue 15 reverses to the same address."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.url_routes import url_routes

BEFORE = json.loads((Path(__file__).parent / "data" / "url_routes.json").read_text(encoding="utf-8"))
APP_LIST = "admin:app_list"
# Models issue 15 moved from booths to events: their admin pages changed address, the old ones redirect.
MOVED_ADMIN = {"admin:booths_zone_": "admin:events_zone_", "admin:booths_boothtype_": "admin:events_boothtype_"}


def _moved(name: str) -> str | None:
    return next((name.replace(old, new) for old, new in MOVED_ADMIN.items() if name.startswith(old)), None)


def _app_labels(route: str) -> set[str]:
    return set(re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|"))


def test_url_names_keep_their_routes():
    now = url_routes()
    changed = {
        name: (route, now.get(name))
        for name, route in BEFORE.items()
        if name != APP_LIST and not _moved(name) and now.get(name) != route
    }
    assert changed == {}


def test_moved_admin_pages_have_their_new_names():
    now = url_routes()
    moved = {name: _moved(name) for name in BEFORE if _moved(name)}
    assert len(moved) == 10
    assert {new: now.get(new) for new in moved.values()} == {
        new: BEFORE[old].replace("admin/booths/", "admin/events/") for old, new in moved.items()
    }


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/booths/zone/?event__id__exact=3", "/admin/events/zone/?event__id__exact=3"),
        ("/en/admin/booths/boothtype/", "/en/admin/events/boothtype/"),
        ("/admin/booths/zone/12/change/", "/admin/events/zone/12/change/"),
        ("/en/admin/booths/boothtype/add/?event=4", "/en/admin/events/boothtype/add/?event=4"),
    ],
)
def test_old_admin_pages_of_moved_models_redirect(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_admin_app_list_serves_the_same_apps():
    assert _app_labels(url_routes()[APP_LIST]) == _app_labels(BEFORE[APP_LIST])


def test_url_names_without_arguments_reverse_to_their_route():
    plain = {
        name: route for name, route in BEFORE.items() if "<" not in route and "(" not in route and not _moved(name)
    }
    assert len(plain) > 50
    assert {name: reverse(name) for name in plain} == {name: "/" + route for name, route in plain.items()}
