"""Erasure requests in the admin, for the installation's administrators (superusers). The
organiser's administrators decide the requests of businesses that applied to their fairs on their
team page (tuanhang/office/team/erasure.py); a business that never applied anywhere has no
organiser, so its request is decided here. Nothing is edited: carrying out goes through
vendors.services.erasure after a confirmation page listing what will be erased."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.access_log import access_logged_for_organisers
from events.models import AccessLog
from tuanhang.kernel.admin_search import FoldedSearchMixin
from vendors.models import Application, ErasureRequest
from vendors.services.erasure import erasure_carry_out

from .businesses import SuperuserOnlyMixin


@admin.register(ErasureRequest)
class ErasureRequestAdmin(SuperuserOnlyMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("vendor", "status", "requested_at", "decided_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("vendor", "decided_by")
    search_fields = ("vendor__search_text",)
    actions = ["carry_out"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # No "delete selected": a request is decided, never removed.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Carry out the selected erasure requests"), permissions=["view"])
    def carry_out(self, request, queryset):
        waiting = list(queryset.filter(status=ErasureRequest.Status.WAITING).select_related("vendor"))
        if not waiting:
            self.message_user(request, _("None of the selected requests is waiting."), messages.WARNING)
            return None
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Erase these businesses' personal data?"),
                "waiting": waiting,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            }
            return TemplateResponse(request, "admin/vendors/erasurerequest/carry_out_confirmation.html", context)
        done = 0
        for erasure in waiting:
            try:
                erasure_carry_out(erasure=erasure, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{erasure.vendor}: {' '.join(exc.messages)}", messages.ERROR)
                continue
            access_logged_for_organisers(
                request,
                organiser_ids=_organisers_of(erasure.vendor_id),
                kind=AccessLog.Kind.ERASURE,
                object_id=erasure.vendor_id,
                label=_("Erasure request #%(id)s carried out") % {"id": erasure.pk},
            )
            done += 1
        if done:
            self.message_user(request, _("Personal data erased for %(count)s business(es).") % {"count": done})
        return None


def _organisers_of(vendor_id) -> list[int]:
    """The organisers the business applied to: each one's administrators see the erasure in their log."""
    found = Application.objects.filter(vendor_id=vendor_id).values_list("event__organiser_id", flat=True)
    return sorted(set(found))
