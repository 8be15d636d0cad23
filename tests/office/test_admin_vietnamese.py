"""The Django admin in Vietnamese shows no English (issue 19, item 4): every page crawled, the
admin's JavaScript catalogue, the third-party packages' strings, our own catalogues."""

import io
import json
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import axes
import django
import django_celery_beat
import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from django_celery_beat.models import ClockedSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from tests import factories
from tests.shared_setup import made_once
from tests.test_translations import read_po

LOCALE = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
DJANGO = Path(django.__file__).parent
# What the admin showed in English before issue 19 (its own strings missing from Django's vi
# catalogue, the third-party apps' names and fields), and the admin's usual words.
ENGLISH = [
    "Access attempts",
    "Access failures",
    "Access logs",
    "Access Log for",
    "Action:",
    "Add link",
    "Attempt Time",
    "Available",
    "Axes",
    "Change or view list link",
    "Choose all",
    "Chosen",
    "Clocked",
    "Crontabs",
    "Delete",
    "Execution Options",
    "Filter navigation items",
    "Go",
    "Hide counts",
    "History",
    "Interval Schedule",
    "Keyword Arguments",
    "Log out",
    "Model name",
    "Models in the",
    "Periodic Tasks",
    "Periodic tasks",
    "Positional Arguments",
    "Remove all",
    "Reset password",
    "Save",
    "Search",
    "Select all",
    "Select this object",
    "Show counts",
    "Solar events",
    "Toggle theme",
    "User Agent",
    "View selected",
    "View site",
    "Whether the user will be able",
    "mô models",
]
WORDS = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?!\w)")
HIDDEN = {"script", "style", "template"}
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """The text a user reads on a page: text outside scripts and styles, and the attributes a
    browser shows (tooltips, placeholders, labels read aloud, button captions)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in HIDDEN
        attrs = dict(attrs)
        self.parts += [value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        self._hidden -= tag in HIDDEN

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def english_on(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return sorted({text[:100] for text in parser.parts if WORDS.search(text)})


def admin_pages(request):
    """Every admin page a superuser reaches from the index: the app indexes, and for each model
    its list, its add form, and the change form and history of its first row."""
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        pages += [reverse("admin:app_list", args=[opts.app_label]), reverse(f"{name}_changelist")]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        row = model_admin.get_queryset(request).order_by("pk").first()
        if row is not None:
            pages += [reverse(f"{name}_change", args=[row.pk]), reverse(f"{name}_history", args=[row.pk])]
    return list(dict.fromkeys(pages))


@pytest.fixture(scope="class")
def _admin_data_once(django_db_setup, django_db_blocker):
    """Made once for the class (tests/shared_setup.py); each test runs in its own savepoint."""
    yield from made_once(django_db_blocker, make_admin_data)


@pytest.fixture
def admin_data(_admin_data_once, db):
    pass


def make_admin_data():
    """The demo fair, and a row of each third-party model the demo leaves empty."""
    with translation.override("en"):
        call_command("seed_demo", stdout=io.StringIO())
    now = timezone.now()
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="Dọn tệp tạm", task="reminders.sweep", interval=every_hour)
    ClockedSchedule.objects.create(clocked_time=now)
    SolarSchedule.objects.create(event="sunrise", latitude=20.86, longitude=106.68)
    fields = {"username": "khach", "ip_address": "10.0.0.1", "user_agent": "Firefox", "http_accept": "*/*"}
    AccessAttempt.objects.create(**fields, path_info="/admin/login/", failures_since_start=2, attempt_time=now)
    AccessFailureLog.objects.create(**fields, path_info="/admin/login/", attempt_time=now)


def test_admin_javascript_catalogue_in_vietnamese_has_every_string_of_the_widgets(client, db):
    """filter_horizontal ("Choose %s by selecting them…"), the calendar and the clock take their
    words from the admin's jsi18n: every message of Django's admin JavaScript is there in Vietnamese."""
    client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
    script = client.get(reverse("admin:jsi18n")).content.decode()
    served = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    english = read_po(DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po")
    missing = []
    for entry in english:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if not served.get(key):
            missing.append(entry.msgid)
    assert missing == []
    assert served["Choose all %s"] == "Chọn tất cả %s"


def _third_party_messages():
    """(msgctxt, msgid) of every message of Django's admin, auth and contenttypes (their English
    catalogues) and of django-axes and django-celery-beat (read from their code by xgettext)."""
    messages = set()
    for app in ("admin", "auth", "contenttypes"):
        messages |= {(e.msgctxt, e.msgid) for e in read_po(DJANGO / f"contrib/{app}/locale/en/LC_MESSAGES/django.po")}
    keywords = ["_", "gettext", "gettext_lazy", "ngettext:1,2", "ngettext_lazy:1,2", "pgettext_lazy:1c,2"]
    for package in (axes, django_celery_beat):
        root = Path(package.__file__).parent
        sources = sorted(str(p) for p in root.rglob("*.py") if "migrations" not in p.parts and "tests" not in p.parts)
        pot = subprocess.run(
            [
                "xgettext",
                "-L",
                "Python",
                "--from-code=UTF-8",
                "-o",
                "-",
                *[f"--keyword={k}" for k in keywords],
                *sources,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        messages |= {(None, m) for m in re.findall(r'^msgid "(.+)"$', pot, re.M)}
    return messages


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_every_message_of_the_admin_and_its_third_party_apps_has_vietnamese():
    catalogue = trans_real.translation("vi")._catalog
    missing = []
    for context, msgid in _third_party_messages():
        msgid = msgid.replace('\\"', '"')
        key = msgid if context is None else f"{context}\x04{msgid}"
        if not (catalogue.get(key) or catalogue.get((key, 0))):
            missing.append(msgid)
    assert sorted(missing) == []


def test_djangojs_catalogue_every_message_translated_and_none_fuzzy():
    entries = read_po(LOCALE / "djangojs.po")
    assert entries
    assert [e.msgid for e in entries if not all(e.msgstr.values()) or "fuzzy" in e.flags or e.obsolete] == []


@pytest.mark.parametrize(
    ("name", "label"),
    [("Gian tiêu chuẩn 3 × 3 m", "Gian tiêu chuẩn 3 × 3 m"), ("Gian tiêu chuẩn", "Gian tiêu chuẩn (3 × 3 m)")],
)
def test_booth_type_label_has_no_internal_code_and_no_repeated_size(db, name, label):
    booth_type = factories.BoothTypeFactory(
        code="standard", name=name, width_m=Decimal("3.00"), depth_m=Decimal("3.00")
    )
    assert str(booth_type) == label


class TestTheAdminCrawl:
    """The crawl and its control read the same admin data, made once for the class."""

    def test_every_admin_page_in_vietnamese_shows_no_english(self, client, admin_data, rf):
        user = factories.StaffUserFactory(is_superuser=True, username="quan.tri")
        client.force_login(user)
        client.post(reverse("set_language"), {"language": "vi", "next": "/admin/"})
        request = rf.get("/admin/")
        request.user = user
        pages = admin_pages(request)
        assert len(pages) > 120

        english = {}
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Language"] == "vi", url
            if found := english_on(response.content.decode()):
                english[url] = found
        assert english == {}

    def test_the_crawl_sees_english_where_there_is_some(self, client, admin_data):
        """The control: the same check on the English admin finds the words of the list."""
        client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
        found = english_on(client.get("/en/admin/").content.decode())
        assert {"Periodic Tasks", "Access attempts", "Show counts"} & {w for t in found for w in WORDS.findall(t)}
        assert {"Toggle theme (current theme: auto)", "Access attempts"} <= set(found)
