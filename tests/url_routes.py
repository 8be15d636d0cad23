"""Every named URL of the project with the route it reverses to, walked from the root URLconf.

The routes are compared with the list taken before the layers were rebuilt (tests/data/url_routes.json):
a restructuring may move views between modules, never change an address."""

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


def url_routes() -> dict[str, str]:
    """{URL name: route}; the first pattern of a name wins, as it does for reverse()."""
    routes = {}
    with translation.override("vi"):
        for name, route in _walk(get_resolver().url_patterns):
            routes.setdefault(name, route)
    return routes
