"""A URLconf for tests/test_error_reporting.py: a view that fails and one that refuses."""

from django.core.exceptions import PermissionDenied
from django.urls import path

DOMAIN = "hoicho.example.vn"  # the address is never written out whole near the view (Sentry sends source lines)


class BoomError(Exception):
    pass


def boom(request):
    # A signed-in organiser's request, as the Sentry test needs (no database: an unsaved user).
    from django.contrib.auth.models import User

    request.user = User(id=7, username="bantochuc", email=f"bantochuc@{DOMAIN}")
    raise BoomError("the view failed")


def refuse(request):
    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("refuse/", refuse)]
