"""Login lockout (django-axes) that does not lock the innocent (issue 17).

Two rules, each with its own limit, both over the cool-off window (settings.AXES_COOLOFF_TIME):

- a login from one address: AXES_FAILURE_LIMIT wrong passwords for the pair (username, address)
  lock that pair (axes' own rule, AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]); the same
  login from another address still works, so nobody can lock the organiser out from elsewhere;
- an address: AXES_IP_FAILURE_LIMIT wrong passwords from one address, whatever the logins, lock
  the address (the rule this handler adds); much higher, since a whole industrial park may sit
  behind one NAT address.

axes compares one count with one limit; this handler keeps axes' pair rule and adds the address
rule beside it, so a lockout by either answers axes' lockout page. `request.axes_address_locked`
tells the page which rule applied.

Behind a reverse proxy every request comes from the proxy's address: `client_address` takes the
visitor's from X-Forwarded-For when settings.AXES_TRUSTED_PROXY_COUNT says how many proxies stand
in front (each appends the address it received from, so the visitor's is that many from the
right; whatever the visitor wrote further left is ignored).
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The visitor's address (settings.AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.AXES_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < count:
        return remote  # not through the configured proxies
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def address_failure_limit() -> int:
    return settings.AXES_IP_FAILURE_LIMIT


def address_failures(ip_address, since) -> int:
    """Wrong passwords from `ip_address` since `since`, for every login."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PairAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler with a second, higher limit per address."""

    def address_locked(self, request) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        failures = address_failures(getattr(request, "axes_ip_address", None), get_cool_off_threshold(request))
        locked = failures >= address_failure_limit()
        if locked:
            request.axes_address_locked = True
        return locked

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.address_locked(request):
            # The failure just recorded reached the address's limit: refuse this request as axes
            # does when the pair reaches its own.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
