"""Phone identities in the admin, read-only, for the installation's administrators: which account a
verified phone logs in to, and which version of the privacy text it agreed to. Written only by the
phone log-in (vendors.services.otp). The one-time codes and the rate counters are machinery (hashed
codes, counts) and have no admin page."""

from django.contrib import admin

from tuanhang.kernel.admin_search import FoldedSearchMixin
from vendors.models import PhoneIdentity

from .businesses import SuperuserOnlyMixin


@admin.register(PhoneIdentity)
class PhoneIdentityAdmin(SuperuserOnlyMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("phone", "user", "verified_at", "consent_version", "consent_at")
    list_select_related = ("user",)
    search_fields = ("phone", "user__username")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
