"""Every URL name that existed before the restructuring of issue 15 reverses to the same address."""

import json
import re
from pathlib import Path

from django.urls import reverse

from tests.url_routes import url_routes

BEFORE = json.loads((Path(__file__).parent / "data" / "url_routes.json").read_text(encoding="utf-8"))
APP_LIST = "admin:app_list"


def _app_labels(route: str) -> set[str]:
    return set(re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|"))


def test_url_names_keep_their_routes():
    now = url_routes()
    changed = {
        name: (route, now.get(name)) for name, route in BEFORE.items() if name != APP_LIST and now.get(name) != route
    }
    assert changed == {}


def test_admin_app_list_serves_the_same_apps():
    assert _app_labels(url_routes()[APP_LIST]) == _app_labels(BEFORE[APP_LIST])


def test_url_names_without_arguments_reverse_to_their_route():
    plain = {name: route for name, route in BEFORE.items() if "<" not in route and "(" not in route}
    assert len(plain) > 50
    assert {name: reverse(name) for name in plain} == {name: "/" + route for name, route in plain.items()}
