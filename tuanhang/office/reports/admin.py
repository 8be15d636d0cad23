"""Admin for the reports: participants' sales figures and daily summaries (read-only logs). The
closing report's files are listed with the other generated files (events admin)."""

from django.contrib import admin

from events.admin_scoping import FairScopedAdmin
from tuanhang.kernel.admin_search import FoldedSearchMixin, ReadOnlyAdminMixin

from .models import DailySummary, SalesEntry


@admin.register(SalesEntry)
class SalesEntryAdmin(ReadOnlyAdminMixin, FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    fair_path = "application__event"
    view_capability = "report.view"
    list_display = ("application", "day", "sales", "visitors", "updated_at")
    list_filter = ("application__event",)
    list_select_related = ("application__vendor", "application__event")
    search_fields = ("application__vendor__search_text",)
    date_hierarchy = "day"


@admin.register(DailySummary)
class DailySummaryAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    view_capability = "report.view"
    list_display = ("event", "day", "status", "recipients", "sent_at", "confirmed_at", "attempts")
    list_filter = ("status", "event")
    list_select_related = ("event",)
