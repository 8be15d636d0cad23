"""Login lockouts in the admin (issue 17): the organiser's administrators (team.manage at some
organiser) see the failed logins of the cool-off window and clear them, so a locked-out business
or colleague can log in again at once; only a superuser reads the whole record (form data, user
agents, past attempts) and the access logs."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin_scoping import is_superuser
from events.policy import can_anywhere


def _failures_since(since, **match):
    """Sum of failures of the attempts matching `match` (OuterRef-s) since `since`."""
    rows = AccessAttempt.objects.filter(attempt_time__gte=since, **match).order_by()
    total = rows.values(*match).annotate(total=Sum("failures_since_start")).values("total")
    return Coalesce(Subquery(total[:1], output_field=IntegerField()), 0)


class LockoutAdmin(AccessAttemptAdmin):
    """axes' AccessAttempt admin opened to the organiser's administrators, read-only but for delete."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "lock_status"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    actions = ["clear_lockouts"]

    def manages(self, request) -> bool:
        return is_superuser(request) or can_anywhere(getattr(request, "user", None), "team.manage")

    def has_module_permission(self, request):
        return self.manages(request)

    def has_view_permission(self, request, obj=None):
        return self.manages(request)

    def has_delete_permission(self, request, obj=None):
        return self.manages(request)

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        queryset = super().get_queryset(request)
        if not is_superuser(request):
            queryset = queryset.filter(attempt_time__gte=since)  # current attempts only
        return queryset.annotate(
            pair_failures=_failures_since(since, username=OuterRef("username"), ip_address=OuterRef("ip_address")),
            address_failures=_failures_since(since, ip_address=OuterRef("ip_address")),
        )

    def get_fieldsets(self, request, obj=None):
        if is_superuser(request):
            return super().get_fieldsets(request, obj)
        return ((None, {"fields": ("username", "ip_address", "attempt_time", "failures_since_start")}),)

    @admin.display(description=_("Status"))
    def lock_status(self, obj):
        if obj.attempt_time < timezone.now() - settings.AXES_COOLOFF_TIME:
            return _("Expired")
        if obj.address_failures >= settings.AXES_IP_FAILURE_LIMIT:
            return _("Address locked")
        if obj.pair_failures >= settings.AXES_FAILURE_LIMIT:
            return _("Login locked from this address")
        left = settings.AXES_FAILURE_LIMIT - obj.pair_failures
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}

    @admin.action(description=_("Clear these lockouts"), permissions=["delete"])
    def clear_lockouts(self, request, queryset):
        count, _deleted = queryset.delete()
        self.message_user(
            request,
            ngettext(
                "Cleared %(count)d failed-login record: those logins can try again now.",
                "Cleared %(count)d failed-login records: those logins can try again now.",
                count,
            )
            % {"count": count},
        )


class SuperuserOnlyMixin:
    """The access logs: who logged in when, from where. A superuser's, whatever model permissions
    a staff account was given."""

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)


class AccessLogOfSuperusers(SuperuserOnlyMixin, AccessLogAdmin):
    pass


class AccessFailureLogOfSuperusers(SuperuserOnlyMixin, AccessFailureLogAdmin):
    pass


# axes registered its own admins when axes.admin was imported above: replace them.
for model, model_admin in (
    (AccessAttempt, LockoutAdmin),
    (AccessLog, AccessLogOfSuperusers),
    (AccessFailureLog, AccessFailureLogOfSuperusers),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
