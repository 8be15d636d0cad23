"""Who may see what in the vendor journey.

A business sees only its own objects: every lookup of a vendor-owned object goes through
`owned_or_404`, so another business's id answers 404, never 403 (it does not even confirm
that the object exists)."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from .models import VendorMember


def vendor_of(user):
    """The business the user acts for, or None."""
    if not user.is_authenticated:
        return None
    membership = VendorMember.objects.select_related("vendor").filter(user=user).first()
    return membership.vendor if membership else None


def vendor_required(view=None, *, come_back=False):
    """Login required; a user with no business profile yet is sent to create one. With
    come_back=True (a page a visitor sets out for, e.g. "apply to this fair") the profile page
    carries the address and sends the new business back there once the profile is saved.
    The view gets `request.vendor`."""
    if view is None:
        return lambda view: vendor_required(view, come_back=come_back)

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        vendor = vendor_of(request.user)
        if vendor is None:
            return redirect(profile_create_url(request.get_full_path() if come_back else ""))
        request.vendor = vendor
        return view(request, *args, **kwargs)

    return wrapper


def profile_create_url(next_url: str = "") -> str:
    """The business profile creation page, carrying where to go once the profile is saved."""
    url = reverse("vendors:profile_create")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def owned_or_404(queryset, vendor, vendor_path="vendor", **lookup):
    """Get one object of `queryset` that belongs to `vendor`, or raise Http404."""
    obj = queryset.filter(**{vendor_path: vendor}, **lookup).first()
    if obj is None:
        raise Http404
    return obj
