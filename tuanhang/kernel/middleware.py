"""Middleware shared by every part of the site."""

import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# Control characters (C0, DEL and C1) except tab, line feed and carriage return, which text fields
# legitimately carry. PostgreSQL refuses NUL in text, so a NUL reaching a query is a server error.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class RefuseControlCharactersMiddleware:
    """Answer 400 to a request whose path, query string or form fields (names and values; never
    the bytes of uploaded files) hold a control character, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control(request):
            return _refusal(request)
        return self.get_response(request)


def _has_control(request) -> bool:
    if CONTROL.search(request.path_info) or _in_query_dict(request.GET):
        return True
    if request.method != "POST":
        return False
    # Reading POST here parses the body as CsrfViewMiddleware would anyway; a body Django refuses
    # (too large, too many fields) raises its own 400.
    if _in_query_dict(request.POST):
        return True
    # Django already drops non-printable characters from uploaded files' names.
    return any(CONTROL.search(name) for name in request.FILES)


def _in_query_dict(data) -> bool:
    return any(CONTROL.search(key) or any(CONTROL.search(value) for value in values) for key, values in data.lists())


def _refusal(request):
    message = _(
        "The address or the form holds characters that cannot be used, such as NUL or other control characters."
    )
    if request.content_type == "application/json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "error": message, "code": "invalid"}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))
