"""Admin of what the services record: status changes, members, invitations, documents, payments
and setup-day check-ins (shown, never edited here)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.admin_scoping import FairScopedAdmin
from tuanhang.kernel.admin_search import (
    FoldedSearchMixin,
    ReadOnlyAdminMixin,
)
from vendors.models import (
    ApplicationDocument,
    ApplicationStatusChange,
    CheckIn,
    CheckInChange,
    IdentityChangeRequest,
    Payment,
    VendorFormerCode,
    VendorInvitation,
    VendorMember,
    VendorMerge,
)

from .businesses import SuperuserOnlyMixin


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(ReadOnlyAdminMixin, FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    fair_path = "application__event"
    view_capability = "application.view"
    change_capability = "application.decide"
    list_display = ("application", "from_status", "to_status", "reason", "changed_at", "changed_by")
    list_filter = ("to_status", "application__event")
    list_select_related = ("application__vendor", "application__event", "changed_by")
    search_fields = ("application__vendor__search_text", "reason")
    search_help_text = _("Participant name, with or without accents, or words of the reason.")
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__vendor", "application__event", "changed_by")


@admin.register(VendorMember)
class VendorMemberAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("user", "vendor", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "vendor")
    search_fields = ("user__email", "user__username", "vendor__search_text")
    autocomplete_fields = ("user", "vendor")


@admin.register(VendorInvitation)
class VendorInvitationAdmin(ReadOnlyAdminMixin, SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("email", "vendor", "invited_by", "created_at", "accepted_at")
    list_select_related = ("vendor", "invited_by")
    search_fields = ("email", "vendor__search_text")


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    fair_path = "application__event"
    view_capability = "application.view"
    change_capability = "application.decide"
    list_display = ("application", "document_type", "original_name", "size", "uploaded_at")
    list_filter = ("document_type", "application__event")
    list_select_related = ("application__vendor", "application__event", "document_type")
    search_fields = ("application__vendor__search_text", "original_name")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    fair_path = "application__event"
    view_capability = "application.view"
    change_capability = "payment.record"
    list_display = ("application", "amount", "paid_on", "method", "reference", "recorded_by")
    list_filter = ("method", "application__event")
    list_select_related = ("application__vendor", "application__event", "recorded_by")
    search_fields = ("application__vendor__search_text", "reference")


# --- setup-day check-in (written by vendors.services.checkin, shown only) ------------------------------


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    fair_path = "application__event"
    view_capability = change_capability = "checkin.record"
    list_display = ("application", "arrived_at", "arrived_by", "power_ok", "furniture_ok", "fascia_ok", "updated_at")
    list_filter = ("application__event", "power_ok", "furniture_ok", "fascia_ok")
    list_select_related = ("application__vendor", "application__event", "arrived_by")
    search_fields = ("application__vendor__search_text", "note")
    search_help_text = _("Participant name, with or without accents, or words of the note.")


@admin.register(CheckInChange)
class CheckInChangeAdmin(ReadOnlyAdminMixin, FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    fair_path = "checkin__application__event"
    view_capability = change_capability = "checkin.record"
    list_display = ("checkin", "action", "changed_at", "changed_by", "note")
    list_filter = ("action", "checkin__application__event")
    list_select_related = ("checkin__application__vendor", "checkin__application__event", "changed_by")
    search_fields = ("checkin__application__vendor__search_text", "note")
    search_help_text = _("Participant name, with or without accents, or words of the note.")
    date_hierarchy = "changed_at"


# --- the shared registry: identity changes, former codes, merges (decided on /staff/registry/) ---------


class RegistryRecordAdmin(SuperuserOnlyMixin, FoldedSearchMixin, admin.ModelAdmin):
    """The installation's records of its business registry: superusers read them here; they are
    written only by vendors.services.registry (approvals and merges on the registry pages)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdentityChangeRequest)
class IdentityChangeRequestAdmin(RegistryRecordAdmin):
    list_display = ("vendor", "old_tax_code", "new_tax_code", "new_name", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("vendor",)
    search_fields = ("vendor__search_text", "old_tax_code", "new_tax_code")


@admin.register(VendorFormerCode)
class VendorFormerCodeAdmin(RegistryRecordAdmin):
    list_display = ("tax_code", "vendor", "note", "recorded_at")
    list_select_related = ("vendor",)
    search_fields = ("tax_code", "vendor__search_text")


@admin.register(VendorMerge)
class VendorMergeAdmin(RegistryRecordAdmin):
    list_display = ("kept", "kept_tax_code", "merged_tax_code", "merged_name", "merged_at")
    list_select_related = ("kept",)
    search_fields = ("kept_tax_code", "merged_tax_code", "merged_name")
