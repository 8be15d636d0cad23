"""Every hostile input answered, never a 500 (issue 17, item 1).

Generated, not listed: every named URL of the project (the permission matrix's TABLE says how to
fill its address with real ids, tests/test_permission_matrix.py) and every admin page of every
registered model is opened as a visitor who may use it (anonymous for public pages, business A for
business pages, a superuser for staff and admin pages); the forms on the page (read from its HTML,
tests/hostile_forms.py) and the query parameters its links send are then sent again with one field
or parameter at a time replaced by a hostile value, the others as rendered, POSTs with a valid CSRF
token. The JSON endpoints also get hostile bodies. Any answer of 500 or more fails, and the test
names every one: URL, field, value, status and the exception's last line.

A new page or form is covered without anyone remembering: its URL name needs an entry in the
matrix's TABLE (test_every_url_name_is_attacked fails otherwise), and its fields are read from the
page. Each request runs in a savepoint that is rolled back, so every request meets the same world.

Run time: every field gets the most dangerous values (CORE); the rest of the list is spread over the
fields in turn (each field gets EXTRA_PER_FIELD of them, an admin field ADMIN_EXTRA_PER_FIELD), so the
whole list is used on every page with several fields. An inline's first row stands for its other
rows, and a field of an admin's add form is not attacked again on its change form."""

import copy
import itertools
import json
import logging
import re
import traceback
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import transaction
from django.template.base import Template
from django.test import override_settings
from django.test import utils as test_utils
from django.urls import Resolver404, URLPattern, resolve, reverse

from tests import matrix_world
from tests.hostile_forms import parse_page
from tests.matrix_world import client_as
from tests.test_permission_matrix import ADMIN_EXTRA_URLS, ADMIN_SITE_URLS, ADMIN_STANDARD, OK, TABLE, Staff
from tests.test_permission_matrix import _url_names as url_names
from tests.vendors._boundary_support import FAST_HASHERS

# --- the hostile values ------------------------------------------------------------------------------

LONG = "x" * 10_000
BRACKETS = "[" * 5000
# Every field and parameter gets these: the values that broke the site before (issue 17).
CORE = ("²", "\x00", "1e309", LONG)
EXTRA = (
    "٣",
    "-1",
    "9" * 30,
    "NaN",
    "a\x00b",
    "\u202e",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    BRACKETS,
)
HOSTILE = CORE + EXTRA
EXTRA_PER_FIELD = 3
_turn = itertools.count()


ADMIN_EXTRA_PER_FIELD = 1  # the admin's forms are long and slow to render: fewer extras there


def values_for_field(extras=EXTRA_PER_FIELD) -> tuple[str, ...]:
    """CORE and the next `extras` values of EXTRA (in turn across the whole run)."""
    start = next(_turn) * extras
    return CORE + tuple(EXTRA[(start + i) % len(EXTRA)] for i in range(extras))


def shown(value) -> str:
    text = repr(value)
    return text if len(text) < 40 else f"{text[:20]}…×{len(value)}"


# --- who visits what -----------------------------------------------------------------------------

# Pages the table's default visitor cannot use: an account with no business creates one; the
# directory's pages of an approved exhibitor (the table's A is not approved: its pages are 404).
ACTOR = {"vendors:profile_create": "no_business"}
KWARGS = {
    "vendors:exhibitor": lambda w: {"event_slug": w.one.fair.slug, "vendor_id": w.one.listed.vendor_id},
    "vendors:exhibitor_image": lambda w: {
        "event_slug": w.one.fair.slug,
        "vendor_id": w.one.listed.vendor_id,
        "kind": "logo",
        "pk": w.one.listed.vendor_id,
    },
}
# POST data of views whose form the default visitor's page does not show (A may not choose booths
# yet, so the selection page has no form: the choice is posted all the same).
POST_DATA = {"booths:select": lambda w: {"booths": [str(w.one.free_booth.pk)]}}
# Query parameters a view reads that no link on its page shows (with a sample of rows too small
# for pagination, for instance). Every GET page also gets GENERIC_QUERY.
GENERIC_QUERY = ("page", "q")
QUERY = {
    "booths:map_public": ("colour", "booth"),
    "booths:map_vendor": ("colour", "booth"),
    "booths:map_staff": ("colour", "booth"),
    "booths:map_svg": ("colour", "booth"),
    "booths:select": ("colour",),
    "booths:allocation_run": ("format",),
    "vendors:login": ("next",),
    "vendors:profile_create": ("next",),
    "vendors:profile_edit": ("next",),
    "vendors:communes": ("province",),
    "vendors:exhibitors": ("q", "province", "category", "ocop", "page"),
    "vendors:review_list": ("status", "q", "order", "page"),
    "vendors:checkin": ("q",),
    "reminders:log": ("status", "kind", "page"),
    "registry:merge": ("keep", "source", "target"),
    "admin:autocomplete": ("app_label", "model_name", "field_name", "term", "page"),
}
# The JSON endpoints (their bodies are attacked too).
JSON_ENDPOINTS = ("booths:select_api", "vendors:checkin_progress", "events:generated_file_progress")
JSON_QUERY = {"booths:allocation_run": {"format": "json"}}


@dataclass
class Target:
    """A page to open and attack: its visitor, its address, the methods its view takes and the POST
    data known to be valid (the matrix's), for views whose form lives on no page of their own."""

    key: str
    actor: str
    url: str
    methods: tuple[str, ...]
    data: object = None  # callable () → dict, or None
    query: dict = field(default_factory=dict)


def _user(world, actor):
    return world.no_business if actor == "no_business" else world.actors[actor]


def table_target(world, name) -> Target:
    route = TABLE[name]
    if isinstance(route, Staff):
        methods = tuple(m for m in ("get", "post") if getattr(route, m) is not None)
        url = reverse(name.removeprefix(":"), kwargs=route.kwargs(world.one) or None)
        return Target(name, "superuser", url, methods, data=lambda: route.data(world.one))
    actor = ACTOR.get(name) or ("anonymous" if route.expect["anonymous"] == OK else "business_a")
    kwargs = KWARGS.get(name, route.kwargs)(world)
    url = reverse(name.removeprefix(":"), kwargs=kwargs or None)
    data = (lambda: route.attack(world)) if route.attack else None
    methods = (route.method,)
    if name in POST_DATA:
        methods, data = ("get", "post"), (lambda: POST_DATA[name](world))
    return Target(name, actor, url, methods, data=data, query=dict(route.query or {}))


def admin_targets(world) -> list[Target]:
    """The changelist, add and change pages of every registered model, and the admin's own pages."""
    targets = [Target("admin:index", "superuser", reverse("admin:index"), ("get",))]
    targets.append(Target("admin:autocomplete", "superuser", reverse("admin:autocomplete"), ("get",)))
    for extra in sorted(ADMIN_EXTRA_URLS):
        targets.append(Target(f"admin:{extra}", "superuser", reverse(f"admin:{extra}"), ("get", "post")))
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        targets.append(Target(f"{prefix}_changelist", "superuser", reverse(f"{prefix}_changelist"), ("get",)))
        targets.append(Target(f"{prefix}_add", "superuser", reverse(f"{prefix}_add"), ("get", "post")))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            url = reverse(f"{prefix}_change", args=[obj.pk])
            targets.append(Target(f"{prefix}_change", "superuser", url, ("get", "post")))
    return targets


def admin_prefix(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_"


# --- sending -------------------------------------------------------------------------------------


@dataclass
class Attack:
    """One request to send: the visitor, the method, the address, the data (as rendered) and which
    field or parameter carries the hostile value (None: the body itself is hostile)."""

    key: str  # the URL name the request reaches
    actor: str
    method: str
    url: str
    data: dict
    field: str | None
    values: tuple = ()
    body: bytes | None = None
    content_type: str | None = None


class Sender:
    """One signed-in client per visitor; each request runs in a savepoint that is rolled back and
    the client's cookies are put back, so a logout or a saved change does not leak into the next."""

    def __init__(self, world):
        self.world = world
        self.clients = {}

    def client(self, actor):
        if actor not in self.clients:
            client, token = client_as(_user(self.world, actor))
            client.raise_request_exception = False
            self.clients[actor] = (client, token, copy.deepcopy(client.cookies))
        return self.clients[actor]

    def send(self, actor, method, url, data=None, *, body=None, content_type=None):
        """(status, the exception's last line or "", the response)."""
        client, token, cookies = self.client(actor)
        with transaction.atomic():
            try:
                if body is not None:
                    headers = {"HTTP_X_CSRFTOKEN": token}
                    response = client.generic(method.upper(), url, body, content_type=content_type, **headers)
                elif method == "get":
                    response = client.get(url, data)
                else:
                    response = client.post(url, {**(data or {}), "csrfmiddlewaretoken": token})
                content = _content(response)
                error = _exception(response)
            except Exception as exc:  # raised while streaming the answer: a server error too
                return 500, _last_line(exc), None
            finally:
                transaction.set_rollback(True)
                client.cookies = copy.deepcopy(cookies)
        response.read_content = content
        return response.status_code, error, response


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        try:
            return b"".join(response.streaming_content)
        finally:
            # Not response.close(): it would close the test's database connection as well.
            if getattr(response, "file_to_stream", None) is not None:
                response.file_to_stream.close()
    return response.content


def _last_line(exc) -> str:
    line = traceback.format_exception_only(exc)[-1].strip()
    return re.sub(r"(.)\1{15,}", lambda m: f"{m.group(1)}…×{len(m.group(0))}", line)[:300]


def _exception(response) -> str:
    exc_info = getattr(response, "exc_info", None)
    return _last_line(exc_info[1]) if exc_info else ""


# --- the plan: what each page offers, read from the pages -----------------------------------------


def _model_of(key) -> str:
    """An admin page's model ("admin:booths_booth_" for its add and change pages), or the key."""
    return re.sub(r"_(add|change)$", "_", key) if key.startswith("admin:") else key


def _key_of(path) -> str | None:
    """The URL name a path reaches (":name" for names outside a namespace, as the matrix writes them)."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    return name if ":" in name else f":{name}"


@dataclass
class Plan:
    attacks: dict[str, list[Attack]] = field(default_factory=dict)  # URL name → attacks
    opened: dict[str, int] = field(default_factory=dict)  # URL name → status of the page, as opened
    seen_forms: set = field(default_factory=set)
    seen_fields: set = field(default_factory=set)

    def add(self, attack: Attack):
        self.attacks.setdefault(attack.key, []).append(attack)

    def add_fields(self, key, actor, method, url, data, names):
        for name in names:
            if "__prefix__" in name:
                continue  # an inline's empty template: Django never reads it
            # One inline row stands for all; the admin's add and change forms share their fields.
            seen = (_model_of(key), method, re.sub(r"-\d+-", "-N-", name))
            if seen in self.seen_fields:
                continue
            self.seen_fields.add(seen)
            extras = ADMIN_EXTRA_PER_FIELD if key.startswith("admin:") else EXTRA_PER_FIELD
            self.add(Attack(key, actor, method, url, data, name, values_for_field(extras)))


def _plan_form(plan, target, form):
    key = _key_of(urlsplit(form.action).path) or target.key
    if form.method not in ("get", "post"):
        return
    signature = (key, form.method, urlsplit(form.action).path, tuple(sorted(form.names)))
    if signature in plan.seen_forms:
        return
    plan.seen_forms.add(signature)
    names = [n for n in form.names if n != "csrfmiddlewaretoken"]
    plan.add_fields(key, target.actor, form.method, form.action, form.data(), names)


def _plan_query(plan, target, page):
    path = urlsplit(target.url).path
    names = set(GENERIC_QUERY) | set(QUERY.get(target.key, ())) | set(target.query)
    names |= page.query_names(path) if page else set()
    base = {**target.query, **JSON_QUERY.get(target.key, {})}
    plan.add_fields(target.key, target.actor, "get", target.url, base, sorted(names))


def _plan_json(plan, target):
    """The JSON endpoints' bodies: each value as the list of booths and as the whole body, then raw
    bodies a script would never send."""
    url = target.url
    for value in HOSTILE:
        for body in ({"booth_ids": [value]}, {"booth_ids": value}):
            plan.add(Attack(target.key, target.actor, "post", url, body, None, (value,), json.dumps(body).encode()))
    raw = [
        (b"[" * 100_000, "application/json"),
        (b'{"booth_ids": ["\xff\xfe\xc3\x28"]}', "application/json"),
        (b"\xff\xfe\xfd", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'{"booth_ids": [1]}', "text/plain"),
        (b"booth_ids=1", "application/x-www-form-urlencoded"),
        (b"1e309", "application/json"),
        (b'{"booth_ids": [1e309]}', "application/json"),
        (b'{"booth_ids": [' + b"9" * 5000 + b"]}", "application/json"),
    ]
    for body, content_type in raw:
        plan.add(Attack(target.key, target.actor, "post", url, {}, None, (body[:40],), body, content_type))


def build_plan(sender, targets) -> Plan:
    plan = Plan()
    for target in targets:
        page = None
        if "get" in target.methods:
            status, error, response = sender.send(target.actor, "get", target.url, target.query)
            plan.opened[target.key] = status
            if status >= 500:
                plan.add(Attack(target.key, target.actor, "get", target.url, target.query, "(opening the page)"))
            elif response is not None and "html" in response.get("Content-Type", ""):
                page = parse_page(response.read_content.decode("utf-8", "replace"), urlsplit(target.url).path)
                for form in page.forms:
                    _plan_form(plan, target, form)
            _plan_query(plan, target, page)
        if "post" in target.methods and target.data is not None:
            data = target.data()
            plan.add_fields(target.key, target.actor, "post", target.url, data, sorted(data))
        if "post" in target.methods and not plan.attacks.get(target.key):
            # A view with no field at all (the address is its only input): post a stray field.
            plan.add_fields(target.key, target.actor, "post", target.url, {}, ["stray"])
        if target.key in JSON_ENDPOINTS:
            _plan_json(plan, target)
    return plan


def run_attacks(sender, attacks) -> list[str]:
    """Every 5xx, one line each."""
    failures = []
    for attack in attacks:
        if attack.field == "(opening the page)":
            failures.append(f"{attack.method.upper()} {attack.url} as {attack.actor}: 5xx on opening the page")
            continue
        if attack.body is not None:
            status, error, _ = sender.send(
                attack.actor, attack.method, attack.url, body=attack.body, content_type=attack.content_type
            )
            if status >= 500:
                failures.append(f"POST {attack.url} body {shown(attack.values[0])} → {status} {error}")
            continue
        for value in attack.values:
            status, error, _ = sender.send(attack.actor, attack.method, attack.url, _with(attack, value))
            if status >= 500:
                failures.append(
                    f"{attack.method.upper()} {attack.url} as {attack.actor}: {attack.field}={shown(value)} → "
                    f"{status} {error}"
                )
    return failures


def _with(attack, value) -> dict:
    data = dict(attack.data)
    data[attack.field] = value
    return data


# --- the world and the plan, once for the module ----------------------------------------------------

pytestmark = pytest.mark.django_db
TABLE_NAMES = sorted(url_names())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield matrix_world.build_matrix_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def sender(world):
    # Every 500 is reported by the test; the logger's tracebacks would only bury the report.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    # The test environment makes every template render send a signal the test client answers by
    # copying the context (for response.context). These tests read only the status and the
    # exception, and an admin page renders ~700 templates (one per widget): the pages render the
    # way they do outside tests, about a tenth faster.
    instrumented = Template._render
    Template._render = test_utils._TestState.saved_data.template_render  # as setup_test_environment found it
    try:
        yield Sender(world)
    finally:
        Template._render = instrumented
        logger.setLevel(level)


@pytest.fixture(scope="module")
def plan(world, sender):
    targets = [table_target(world, name) for name in TABLE_NAMES if name in TABLE]
    return build_plan(sender, targets + admin_targets(world))


# --- coverage: every URL has an entry and every entry is attacked -----------------------------------


def test_every_url_name_is_attacked(plan):
    """A new URL without an entry in the matrix's TABLE fails here (add it there: this suite reads
    how to fill its address from it); an entry whose page offers nothing to attack fails too."""
    missing = set(url_names()) - set(TABLE)
    unattacked = {name for name in TABLE_NAMES if not plan.attacks.get(name)}
    assert (missing, unattacked) == (set(), set())


def test_every_admin_page_is_attacked(plan):
    from django.contrib.admin import site

    names = {p.name for p in site.get_urls() if isinstance(p, URLPattern) and p.name}
    for model_admin in site._registry.values():
        names |= {p.name for p in model_admin.get_urls() if p.name}
    extra = {name for name in names if not name.endswith(ADMIN_STANDARD) and name not in ADMIN_SITE_URLS}
    unattacked = [
        f"{admin_prefix(model)}{page}"
        for model in site._registry
        for page in ("changelist", "add")
        if not plan.attacks.get(f"{admin_prefix(model)}{page}")
    ]
    assert (extra - ADMIN_EXTRA_URLS, unattacked) == (set(), [])


def test_the_parser_reads_the_forms_of_the_pages(plan):
    """The positive control of the plan: the floor-plan generator's fields are read from its page,
    and the exhibitor directory's filters from its links or form."""
    generate = {a.field for a in plan.attacks["booths:generate"]}
    exhibitors = {a.field for a in plan.attacks["vendors:exhibitors"]}
    assert {"origin_x", "origin_y", "aisle", "rows", "columns"} <= generate
    assert {"q", "category", "ocop"} <= exhibitors


# --- the attacks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_hostile_input_never_answers_5xx(plan, sender, name):
    failures = run_attacks(sender, plan.attacks.get(name, []))
    if failures:
        pytest.fail(f"{len(failures)} server error(s) at {name}:\n" + "\n".join(failures), pytrace=False)


@pytest.mark.parametrize(
    "model", [pytest.param(m, id=m._meta.label) for m in sorted(admin.site._registry, key=lambda m: m._meta.label)]
)
def test_hostile_input_never_answers_5xx_in_the_admin(plan, sender, model):
    prefix = admin_prefix(model)
    attacks = [a for key, attacks in plan.attacks.items() if key.startswith(prefix) for a in attacks]
    failures = run_attacks(sender, attacks)
    if failures:
        label = model._meta.label
        pytest.fail(f"{len(failures)} server error(s) in the admin of {label}:\n" + "\n".join(failures), pytrace=False)


def test_hostile_input_never_answers_5xx_on_the_admins_own_pages(plan, sender):
    model_keys = {admin_prefix(model) for model in admin.site._registry}
    attacks = [
        a
        for key, attacks in plan.attacks.items()
        if key.startswith("admin:") and not any(key.startswith(prefix) for prefix in model_keys)
        for a in attacks
    ]
    failures = run_attacks(sender, attacks)
    if failures:
        pytest.fail(f"{len(failures)} server error(s) in the admin:\n" + "\n".join(failures), pytrace=False)
