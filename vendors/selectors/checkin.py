"""Reads of one application's setup-day check-in (the staff's check-in pages are in the office)."""

from ..models import CheckIn


def checkin_state(*, application_id) -> CheckIn | None:
    """The application's check-in with who checked it in, or None. One query."""
    return CheckIn.objects.select_related("arrived_by").filter(application_id=application_id).first()
