"""Writing and reading the access log (events.models.AccessLog): who read the businesses' data.

access_logged(request, kind=…, event=…, …) is called by every staff export, generated-file
download and document download or preview, in the same request, as one INSERT. The organiser's
administrators (team.manage, organiser-wide) read their organiser's log; superusers read all."""

from __future__ import annotations

import ipaddress

from django.db.models import Q, QuerySet

from tuanhang.kernel.lockout import client_address

from .models import AccessLog, Event
from .policy import organiser_ids_for, organisers_for

K = AccessLog.Kind


def _user_name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    name = user.get_username()
    return f"{full} ({name})" if full and full != name else name


def access_logged(
    request=None,
    *,
    kind: str,
    event: Event | None = None,
    organiser_id: int | None = None,
    object_id="",
    label: str = "",
    personal: bool = False,
    user=None,
) -> AccessLog:
    """Record one read of the businesses' data: one INSERT, no other query (the fair's organiser
    is taken from `event.organiser_id`). `request` gives the account and its address; a job run
    without a request passes `user` (or nobody) and `organiser_id`."""
    if user is None and request is not None:
        user = request.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AccessLog.objects.create(
        organiser_id=event.organiser_id if event is not None else organiser_id,
        event_id=event.pk if event is not None else None,
        changed_by=user,
        user_name=_user_name(user)[:255],
        kind=kind,
        object_id=str(object_id)[:40],
        label=str(label)[:255],
        personal=personal,
        address=_address(request),
    )


def _address(request) -> str | None:
    raw = client_address(request) if request is not None else None
    try:
        return str(ipaddress.ip_address(raw)) if raw else None
    except ValueError:
        return None


def access_log_for(user) -> QuerySet[AccessLog]:
    """The entries `user` may read: its organisers' where it holds team.manage; all for a superuser."""
    entries = AccessLog.objects.select_related("event", "organiser")
    if user.is_superuser:
        return entries
    return entries.filter(Q(organiser__in=organisers_for(user, "team.manage")))


def admin_export_logged(request, *, label: str, personal: bool = False) -> None:
    """An export of rows picked in the admin: one row for each organiser whose data the account
    may export (the rows may span them), so each organiser's administrators see it; a superuser's
    export is one row with no organiser (read by superusers). One INSERT."""
    user = request.user
    organiser_ids = [None] if user.is_superuser else sorted(organiser_ids_for(user, "export"))
    name, address = _user_name(user)[:255], _address(request)
    AccessLog.objects.bulk_create(
        AccessLog(
            organiser_id=organiser_id,
            changed_by=user,
            user_name=name,
            kind=K.ADMIN_EXPORT,
            label=label[:255],
            personal=personal,
            address=address,
        )
        for organiser_id in organiser_ids or [None]
    )


def access_log_bulk(entries: list[dict]) -> None:
    """Several entries written by a job (no request, no account), in one INSERT: each a dict of
    event, kind, label, personal (and optionally object_id)."""
    AccessLog.objects.bulk_create(
        AccessLog(
            organiser_id=entry["event"].organiser_id,
            event=entry["event"],
            kind=entry["kind"],
            label=str(entry.get("label", ""))[:255],
            object_id=str(entry.get("object_id", ""))[:40],
            personal=entry.get("personal", False),
        )
        for entry in entries
    )


def access_logged_for_organisers(request, *, organiser_ids, kind: str, object_id="", label: str = "") -> None:
    """One read (by the business itself, or by staff of several organisers) written once for each
    organiser in `organiser_ids` so each one's administrators see it, or once with no organiser
    (read by superusers) when there is none. One INSERT."""
    user = request.user if request.user.is_authenticated else None
    name, address = _user_name(user)[:255], _address(request)
    AccessLog.objects.bulk_create(
        AccessLog(
            organiser_id=organiser_id,
            changed_by=user,
            user_name=name,
            kind=kind,
            object_id=str(object_id)[:40],
            label=str(label)[:255],
            personal=True,
            address=address,
        )
        for organiser_id in list(organiser_ids) or [None]
    )
