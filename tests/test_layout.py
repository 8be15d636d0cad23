"""The project's layout rule: the top level holds manage.py, tuanhang/, events/, vendors/, booths/,
templates/, static/, tests/ and the tool files, and no other Django app. Parts of a fair that grow
their own app (reminders, reports) nest under events/ and keep their short label."""

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
    assert {config.name.split(".")[0] for config in ours} == TOP_LEVEL_APPS
    nested = {config.label: config.name for config in ours if "." in config.name}
    assert nested == {"reminders": "events.reminders", "reports": "events.reports"}
