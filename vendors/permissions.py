"""Who may see what in the vendor journey.

A business sees only its own objects: every lookup of a vendor-owned object goes through
`owned_or_404`, so another business's id answers 404, never 403 (it does not even confirm
that the object exists)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from .models import VendorMember


def vendor_of(user):
    """The business the user acts for, or None."""
    if not user.is_authenticated:
        return None
    membership = VendorMember.objects.select_related("vendor").filter(user=user).first()
    return membership.vendor if membership else None


def vendor_required(view):
    """Login required; a user with no business profile yet is sent to create one.
    The view gets `request.vendor`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        vendor = vendor_of(request.user)
        if vendor is None:
            return redirect("vendors:profile_create")
        request.vendor = vendor
        return view(request, *args, **kwargs)

    return wrapper


def owned_or_404(queryset, vendor, vendor_path="vendor", **lookup):
    """Get one object of `queryset` that belongs to `vendor`, or raise Http404."""
    obj = queryset.filter(**{vendor_path: vendor}, **lookup).first()
    if obj is None:
        raise Http404
    return obj
