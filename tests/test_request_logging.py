"""A refused request logs one line; a server error keeps its traceback (issue 17, item 3)."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import override_settings
from django.urls import path

from tests.factories import UserFactory
from tuanhang.urls import urlpatterns as site_urlpatterns


def _forbidden(request):
    raise PermissionDenied("not yours")


def _missing(request):
    raise Http404("no such thing")


def _broken(request):
    raise RuntimeError("a real fault")


# The site's URLconf with three more pages (pytest.mark.urls), so that a 500 can be provoked.
urlpatterns = [
    path("forbidden/", _forbidden),
    path("missing/", _missing),
    path("broken/", _broken),
    *site_urlpatterns,
]


def request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


@override_settings(DEBUG=False)
def test_a_403_on_a_real_page_logs_one_line_without_traceback(client, db, caplog):
    user = UserFactory()
    client.force_login(user)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/staff/")

    assert response.status_code == 403
    (record,) = request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == f"GET /staff/ 403 user={user.pk}"
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.test_request_logging")
@override_settings(DEBUG=False)
@pytest.mark.parametrize(("url", "status"), [("/forbidden/", 403), ("/missing/", 404)])
def test_403_and_404_log_one_line(client, db, caplog, url, status):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(url)

    assert response.status_code == status
    (record,) = request_records(caplog)
    assert record.exc_info is None
    assert record.getMessage() == f"POST {url} {status} user=-"
    assert "\n" not in caplog.text.strip()


@pytest.mark.urls("tests.test_request_logging")
@override_settings(DEBUG=False)
def test_a_control_character_in_the_path_stays_on_the_line(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/nowhere%0Afake-entry/")

    assert response.status_code == 404
    (record,) = request_records(caplog)
    assert record.getMessage() == "GET /nowhere\\nfake-entry/ 404 user=-"


@pytest.mark.urls("tests.test_request_logging")
@override_settings(DEBUG=False)
def test_a_500_keeps_its_traceback(client, db, caplog):
    client.raise_request_exception = False

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/broken/")

    assert response.status_code == 500
    (record,) = request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "a real fault" in caplog.text
