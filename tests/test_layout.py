"""The project's layout rule: the top level holds manage.py, tuanhang/, events/, vendors/, booths/,
templates/, static/, tests/ and the tool files, and no other Django app. The roof lives inside the
project package: the staff office (tuanhang/office, with its reminders and reports apps, which keep
their short labels) and the public site (tuanhang/public)."""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL_APPS = {"events", "vendors", "booths"}


def test_no_django_app_directory_at_the_top_level_but_the_three():
    app_dirs = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert app_dirs == TOP_LEVEL_APPS


def test_our_apps_live_under_the_three_top_level_apps():
    ours = [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
    ]
    assert {config.name.split(".")[0] for config in ours} == TOP_LEVEL_APPS | {"tuanhang"}
    nested = {config.label: config.name for config in ours if "." in config.name}
    assert nested == {
        "office": "tuanhang.office",
        "public": "tuanhang.public",
        "reminders": "tuanhang.office.reminders",
        "reports": "tuanhang.office.reports",
    }
