"""The public pages' cache: whole pages for anonymous visitors, invalidated by version numbers.

Every cached page remembers the versions it was rendered under:

- the site version, for what all public pages share: fairs, organisers, businesses, their
  products and categories, provinces;
- the version of each fair the page shows (fair_version(request, event_id) in the view):
  its applications, booths, zones, booth types, assignments, hall features and programme.

A change bumps the version (at once, and again when the transaction commits), so the next
request finds its entry stale and renders the page again; stale entries are never served and
expire after PAGE_TIMEOUT. Bumps come from model signals (each app's AppConfig.ready names its
models with bump_on_change() and bump_on_m2m_change(): they also catch the admin) and, for the bulk
writes that send no signals (queryset.update(), bulk_create()), from explicit fair_changed() calls
in those services.

A version missing from the cache (evicted, or a fresh cache) starts again from the current
time in nanoseconds, a value no entry can have been stored under, so eviction only costs a
render. The cache is Django's default cache: Redis in production (shared by every worker and
process), local memory by default (one process: changes made by another process, say the
Celery worker, show after PAGE_TIMEOUT at the latest).

Never cached: requests from signed-in users, requests with pending messages, other methods
than GET, responses other than 200, responses that set a cookie or used the CSRF token, and
requests whose query string carries a parameter the page does not use.
"""

import hashlib
import time
from functools import partial, wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation

SITE = "public:v:site"
PAGE_PREFIX = "public:page:"
PAGE_TIMEOUT = 300  # seconds; entries are unreachable once a version moves, this bounds the memory
# Headers the middleware sets again on every answer; the others are replayed from the entry.
_NOT_REPLAYED = {"vary", "content-length", "content-language", "set-cookie", "x-frame-options"}


def fair_key(event_id) -> str:
    return f"public:v:fair:{event_id}"


# --- versions ---------------------------------------------------------------------------------


def _bump(keys) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not in the cache: any new value differs from what entries hold
            if not cache.add(key, time.time_ns(), timeout=None):
                cache.incr(key)


def _bump_now_and_on_commit(keys) -> None:
    """Bump now (so the writing transaction itself, and tests inside one, see the change), and
    again after the commit: a request that read the old data before the commit and stored its
    page under the first new version must not be served."""
    keys = list(keys)
    if not keys:
        return
    _bump(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(_bump, keys))


def site_changed() -> None:
    """Something every public page may show changed (a fair, a business, a product…)."""
    _bump_now_and_on_commit([SITE])


def fair_changed(*event_ids) -> None:
    """Something the public pages of these fairs show changed (approvals, booths, programme…)."""
    _bump_now_and_on_commit(fair_key(pk) for pk in event_ids if pk)


def current_version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return version


def fair_version(request, event_id) -> None:
    """Say that the page being rendered shows this fair's data. Call it before reading that
    data (right after finding the fair), so a change made meanwhile leaves the entry stale."""
    dependencies = getattr(request, "_public_cache_dependencies", None)
    if dependencies is not None:
        key = fair_key(event_id)
        dependencies[key] = current_version(key)


def valid_until(request, moment) -> None:
    """Say that the page changes by itself at `moment` (registration opens, say): its entry
    expires then at the latest."""
    if moment is None or getattr(request, "_public_cache_dependencies", None) is None:
        return
    seconds = (moment - timezone.now()).total_seconds()
    current = getattr(request, "_public_cache_timeout", PAGE_TIMEOUT)
    request._public_cache_timeout = max(0, min(current, int(seconds)))


def fair_memo(name: str, event_id, compute):
    """A value derived from one fair's public data (the directory's filter choices, say), kept
    in the cache under the current site and fair versions, so it is computed again after any
    change that could alter it. Costs one cache read when kept."""
    versions = (current_version(SITE), current_version(fair_key(event_id)))
    key = f"public:memo:{name}:{event_id}:{versions[0]}:{versions[1]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, PAGE_TIMEOUT)
    return value


# --- pages -----------------------------------------------------------------------------------


def _page_key(request) -> str:
    raw = "|".join((translation.get_language() or "", request.get_host(), request.get_full_path()))
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _request_cacheable(request, params) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    if params is not None and not set(request.GET).issubset(params):
        return False
    from django.contrib.messages import get_messages

    return len(get_messages(request)) == 0


def _response_cacheable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
    )


# Which version keys each page depends on, as this process last saw them: lets a hit read the
# entry and the current versions in one round trip (get_many). Only an optimisation: the entry
# itself says what it depends on, and a page whose dependencies differ from the memo falls back
# to a second read.
_DEPENDENCY_MEMO: dict[str, tuple] = {}
_MEMO_SIZE = 20_000


def _lookup(key):
    """The page's entry if it is fresh, else None."""
    known = _DEPENDENCY_MEMO.get(key)
    if known is None:
        entry = cache.get(key)
        if entry is None:
            return None
        current = cache.get_many(list(entry["dependencies"]))
    else:
        found = cache.get_many([key, *known])
        entry = found.pop(key, None)
        if entry is None:
            return None
        current = found if tuple(entry["dependencies"]) == known else cache.get_many(list(entry["dependencies"]))
    _remember(key, entry["dependencies"])
    return entry if current == entry["dependencies"] else None


def _remember(key, dependencies) -> None:
    if len(_DEPENDENCY_MEMO) >= _MEMO_SIZE:
        _DEPENDENCY_MEMO.clear()
    _DEPENDENCY_MEMO[key] = tuple(dependencies)


def _replay(entry) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    return response


def public_page(view=None, *, params=None):
    """Cache a public view's page for anonymous visitors (see the module's docstring).

    `params`: the query parameters the page uses; a request with any other is served without
    the cache, so made-up query strings cannot fill it. None allows any."""

    def decorate(view):
        allowed = None if params is None else frozenset(params)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _request_cacheable(request, allowed):
                return view(request, *args, **kwargs)
            key = _page_key(request)
            entry = _lookup(key)
            if entry is not None:
                return _replay(entry)
            request._public_cache_dependencies = {SITE: current_version(SITE)}
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            timeout = getattr(request, "_public_cache_timeout", PAGE_TIMEOUT)
            if timeout > 0 and _response_cacheable(request, response):
                headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_REPLAYED]
                entry = {
                    "dependencies": request._public_cache_dependencies,
                    "content": response.content,
                    "headers": headers,
                }
                cache.set(key, entry, timeout)
                _remember(key, entry["dependencies"])
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


# --- signals ---------------------------------------------------------------------------------
# Each app says which of its models the public pages show (its AppConfig.ready calls these), so
# this module knows no model of ours.


def _fair_or_site(fair_of, instance) -> None:
    event_id = fair_of(instance)
    if event_id is None:
        site_changed()
    else:
        fair_changed(event_id)


def bump_on_change(*models, fair_of=None) -> None:
    """Saving or deleting a row of these models moves the site version, or, with `fair_of`
    (instance -> the fair's id, or None when it cannot tell without a query), that fair's version."""
    from django.db.models.signals import post_delete, post_save

    def receiver(sender, instance=None, **kwargs):
        if fair_of is None:
            site_changed()
        else:
            _fair_or_site(fair_of, instance)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"public-cache-{model._meta.label}")


def bump_on_m2m_change(through, *, fair_of=None) -> None:
    """Adding, removing or clearing rows of a many-to-many table moves the site version, or with
    `fair_of` (the instance whose relation changed -> fair id or None) that fair's version."""
    from django.db.models.signals import m2m_changed

    def receiver(sender, instance, action, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if fair_of is None:
            site_changed()
        else:
            _fair_or_site(fair_of, instance)

    m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=f"public-cache-{through._meta.label}")


def event_id_of(instance):
    """fair_of for models with an `event` foreign key."""
    return instance.event_id
