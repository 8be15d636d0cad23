"""Access rules for the staff area."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_required(view):
    """Staff only: anonymous visitors are sent to the login page, signed-in non-staff get 403.

    (Django's staff_member_required sends signed-in non-staff back to the admin login, which
    only tells them they lack access; a plain 403 is clearer and cannot loop.)
    """

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
