"""One line for a refused request, the full traceback only for a fault (issue 17).

Django's `django.request` logger writes every 403 (PermissionDenied) at WARNING with its traceback,
which buries the real errors. `OneLineClientErrors`, set on that logger in settings.LOGGING, turns
each 4xx record (403, 404, 400, 405, 429 …) into one line, method, path, status and user id, with
no traceback; a 5xx record is left as it is, traceback included.
"""

import logging


def _escaped(text: str) -> str:
    # A path may hold a newline or another control character: one request stays one line.
    return text.encode("unicode_escape").decode("ascii")


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    try:
        return str(user.pk) if user is not None and user.is_authenticated else "-"
    except Exception:  # noqa: BLE001 (the lazy user reads the session: never fail a log line)
        return "-"


class OneLineClientErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status is None or not 400 <= status < 500 or request is None:
            return True
        record.msg = "%s %s %s user=%s"
        record.args = (request.method, _escaped(request.path), status, _user_id(request))
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
