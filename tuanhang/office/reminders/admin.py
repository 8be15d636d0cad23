"""Admin for reminder rules (editable, through the service) and the delivery log (read-only,
with a resend action). django-celery-beat registers its own schedule pages ("Periodic tasks")."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin_scoping import FairScopedAdmin
from tuanhang.kernel.admin_search import FoldedSearchMixin, ReadOnlyAdminMixin

from .forms import ReminderRuleForm
from .models import ReminderDelivery, ReminderRule
from .services import delivery_resend, reminder_rule_save


@admin.register(ReminderRule)
class ReminderRuleAdmin(FairScopedAdmin, admin.ModelAdmin):
    form = ReminderRuleForm
    view_capability = "application.view"
    change_capability = "reminder.manage"
    list_display = ("kind", "event", "enabled", "when", "channel", "resend_unconfirmed", "updated_at")
    list_filter = ("enabled", "kind", "channel", "event")
    list_select_related = ("event",)
    search_fields = ("event__name", "subject_vi")
    autocomplete_fields = ("event",)
    fieldsets = (
        (None, {"fields": ("event", "kind", "enabled")}),
        (_("When"), {"fields": (("days", "hours", "direction"), "anchor")}),
        (_("To whom, how"), {"fields": ("statuses", "channel", "resend_unconfirmed")}),
        (_("Message"), {"fields": ("subject_vi", "body_vi", "subject_en", "body_en")}),
    )

    @admin.display(description=_("when"))
    def when(self, obj):
        return _("%(days)s d %(hours)s h %(direction)s %(anchor)s") % {
            "days": obj.days,
            "hours": obj.hours,
            "direction": obj.get_direction_display(),
            "anchor": obj.get_anchor_display(),
        }

    def save_model(self, request, obj, form, change):
        reminder_rule_save(rule=obj, by=request.user)


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdminMixin, FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    view_capability = "application.view"
    change_capability = "reminder.manage"
    action_capabilities = {"resend": "reminder.manage"}
    list_display = ("application", "rule", "status", "channel", "due_at", "sent_at", "confirmed_at", "attempts")
    list_filter = ("status", "channel", "rule__kind", "event")
    list_select_related = ("application__vendor", "application__event", "rule__event")
    search_fields = ("application__vendor__search_text", "recipients")
    date_hierarchy = "created_at"
    actions = ["resend"]

    @admin.action(description=_("Send the selected failed or unconfirmed reminders again"))
    def resend(self, request, queryset):
        done, refused = 0, 0
        for delivery in queryset:
            try:
                delivery_resend(delivery=delivery, by=request.user)
                done += 1
            except ValidationError:
                refused += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d reminder queued again.", "%(count)d reminders queued again.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d reminder was not failed or unconfirmed and was left alone.",
                    "%(count)d reminders were not failed or unconfirmed and were left alone.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )
