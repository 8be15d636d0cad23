"""Lookups for views: a fair by its address, or the page-not-found answer."""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import Event


def event_or_404(slug) -> Event:
    """The fair at this address with its organiser; Http404 ("No fair with this address.") otherwise."""
    try:
        return Event.objects.select_related("organiser").get(slug=slug)
    except Event.DoesNotExist:
        raise Http404(_("No fair with this address.")) from None
