"""The project's URLs plus two views that exist only for the benchmarks (never in the project's
URLs), both through the same middleware as every page:

- /bench/bare/: a fixed string. The public-site benchmark compares the fair page with it.
- /bench/floor/: the floor a booth choice must pay. A logged-in account POSTs the same JSON as a
  choice ({"booth_ids": [id], "application": id}); in one transaction the view locks that booth's
  row and inserts one booth-change row, and answers {"ok": true}. The self-selection benchmark
  compares the choice endpoint with it (`selection_write_ratio`)."""

import json

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from booths.models import AssignmentChange, Booth
from tuanhang.urls import urlpatterns as project_urlpatterns

_LOCK = f"SELECT event_id FROM {Booth._meta.db_table} WHERE id = %s FOR UPDATE"  # noqa: S608 (names only)
_INSERT = (
    f"INSERT INTO {AssignmentChange._meta.db_table} "  # noqa: S608 (names only)
    "(event_id, application_id, action, to_booth_id, changed_by_id, changed_at) "
    "VALUES (%s, %s, 'assign', %s, %s, now())"
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_POST
def floor(request):
    body = json.loads(request.body)
    booth_id, application_id = int(body["booth_ids"][0]), int(body["application"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LOCK, [booth_id])
        (event_id,) = cursor.fetchone()
        cursor.execute(_INSERT, [event_id, application_id, booth_id, request.user.pk])
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), path("bench/floor/", floor), *project_urlpatterns]
