"""Admin for reminder rules (editable, through the service), the delivery log (read-only,
with a resend action) and the Zalo OA token (superusers only: the OA is the installation's).
django-celery-beat registers its own schedule pages ("Periodic tasks")."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin_scoping import FairScopedAdmin
from tuanhang.kernel.admin_search import FoldedSearchMixin, ReadOnlyAdminMixin

from .forms import ReminderRuleForm, ZaloTokenForm
from .models import ReminderDelivery, ReminderRule, ZaloToken
from .services import delivery_resend, reminder_rule_save
from .zalo import ZaloRefreshError, refresh_token_expires_soon, zalo_token, zalo_token_refresh, zalo_token_set


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
        return obj.when

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


def masked(secret: str) -> str:
    """Enough of a token to tell two apart, never the token."""
    if not secret:
        return "—"
    if len(secret) <= 16:
        return "•" * 8
    return f"{secret[:4]}…{secret[-4:]} ({len(secret)})"


@admin.register(ZaloToken)
class ZaloTokenAdmin(admin.ModelAdmin):
    """When the token pair expires, the last refresh and its error; "refresh now" (an action, and
    a button on the page); a form for a new pair, masked. Installation-wide: superusers only."""

    form = ZaloTokenForm
    list_display = ("__str__", "access_expires_at", "refresh_expires_at", "refreshed_at", "has_error")
    readonly_fields = (
        "access_token_masked",
        "access_expires_at",
        "refresh_token_masked",
        "refresh_expires_at",
        "refreshed_at",
        "last_error",
        "last_error_at",
    )
    fieldsets = (
        (
            _("Current pair"),
            {"fields": ("access_token_masked", "access_expires_at", "refresh_token_masked", "refresh_expires_at")},
        ),
        (_("Last refresh"), {"fields": ("refreshed_at", "last_error", "last_error_at")}),
        (_("Enter a new pair"), {"fields": ("new_access_token", "new_refresh_token", "expires_in")}),
    )
    actions = ["refresh_now"]

    def _superuser(self, request):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request) and not ZaloToken.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("access token"))
    def access_token_masked(self, obj):
        return masked(obj.access_token)

    @admin.display(description=_("refresh token"))
    def refresh_token_masked(self, obj):
        return masked(obj.refresh_token)

    @admin.display(description=_("refresh error"), boolean=True)
    def has_error(self, obj):
        return bool(obj.last_error)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if data.get("new_access_token"):
            zalo_token_set(
                access_token=data["new_access_token"],
                refresh_token=data["new_refresh_token"],
                expires_in=data.get("expires_in"),
            )
            obj.refresh_from_db()

    def response_change(self, request, obj):
        if "_refresh" in request.POST:
            self._refresh(request)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.action(description=_("Refresh the access token now"))
    def refresh_now(self, request, queryset):
        self._refresh(request)

    def _refresh(self, request):
        try:
            outcome = zalo_token_refresh(force=True).outcome
        except ZaloRefreshError as exc:
            self.message_user(
                request, _("The refresh failed, the old pair is kept: %(error)s") % {"error": exc}, messages.ERROR
            )
            return
        if outcome == "no token":
            self.message_user(request, _("There is no refresh token: enter a new pair."), messages.WARNING)
        else:
            self.message_user(request, _("The access token was refreshed."), messages.SUCCESS)

    def _warn(self, request):
        token = zalo_token()
        if refresh_token_expires_soon(token):
            self.message_user(
                request,
                _(
                    "The refresh token expires on %(date)s: authorise the app for the Official Account again "
                    "and enter the new pair before then, or Zalo messages will stop."
                )
                % {"date": date_format(timezone.localtime(token.refresh_expires_at), "SHORT_DATETIME_FORMAT")},
                messages.WARNING,
            )
        if token is not None and token.last_error:
            self.message_user(
                request, _("The last refresh failed: %(error)s") % {"error": token.last_error}, messages.ERROR
            )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and self._superuser(request):
            self._warn(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and self._superuser(request):
            self._warn(request)
        return super().change_view(request, object_id, form_url, extra_context)
