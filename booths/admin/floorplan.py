"""Admin of the floor plan: the inlines on the fair's page, zones, booth types and booths."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.admin_scoping import FairScopedAdmin
from events.models import BoothType, Zone
from tuanhang.kernel.admin_search import (
    FoldedInPythonSearchMixin,
    FoldedSearchMixin,
    ReadOnlyInlineMixin,
    is_autocomplete_for,
    subquery_count,
)
from tuanhang.kernel.codes import CODE_MESSAGE, is_code, upper_code
from tuanhang.kernel.spreadsheets import export_actions
from vendors.services.amounts import recompute_amounts_due

from ..admin_import import BoothImportMixin
from ..exports import booth_table
from ..floorplan import hall_fit_error
from ..models import Assignment, Booth


def active_assignments():
    """Assignments holding their booth (held or confirmed)."""
    return Assignment.objects.filter(status__in=Assignment.ACTIVE)


def _with_holder(booths):
    """Annotate each booth with the name of the participant holding it (or None)."""
    holder = active_assignments().filter(booth=OuterRef("pk")).values("application__vendor__name")[:1]
    return booths.annotate(holder_name=Subquery(holder))


# --- inlines used on the fair's page ------------------------------------------------------


class ZoneInline(FairScopedAdmin, admin.TabularInline):
    """Zones of a fair. Allowed categories are edited on the zone's own page (change link)."""

    model = Zone
    fields = ("code", "name", "colour", "position")
    extra = 0
    show_change_link = True


class BoothTypeInline(FairScopedAdmin, admin.TabularInline):
    model = BoothType
    fields = ("code", "name", "width_m", "depth_m", "price", "is_standard", "equipment")
    extra = 0
    show_change_link = True


class BoothSummaryInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    """A fair can have hundreds of booths: listed read-only here (one query), edited on
    the booth list."""

    model = Booth
    fields = ("code", "zone", "booth_type", "row", "blocked", "holder")
    verbose_name_plural = _("booths")

    def get_queryset(self, request):
        return _with_holder(super().get_queryset(request).select_related("zone", "booth_type"))

    @admin.display(description=_("held by"))
    def holder(self, obj):
        return obj.holder_name or "–"


# --- zones and booth types ---------------------------------------------------------------


@admin.register(Zone)
class ZoneAdmin(FairScopedAdmin, FoldedInPythonSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "event", "swatch", "position", "allowed_categories", "booth_count")
    list_display_links = ("code", "name")
    list_filter = ("event", "categories")
    list_select_related = ("event",)
    search_fields = ("code", "name")
    autocomplete_fields = ("event",)
    filter_horizontal = ("categories",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .prefetch_related("categories")
            .annotate(n_booths=subquery_count(Booth.objects, "zone"))
        )

    @admin.display(description=_("colour"))
    def swatch(self, obj):
        return format_html(
            '<span style="display:inline-block;width:1.5em;height:1em;background:{};border:1px solid #999"></span> {}',
            obj.colour,
            obj.colour,
        )

    @admin.display(description=_("allowed categories"))
    def allowed_categories(self, obj):
        return ", ".join(c.name for c in obj.categories.all()) or _("all of the fair")

    @admin.display(description=_("booths"), ordering="n_booths")
    def booth_count(self, obj):
        return obj.n_booths


@admin.register(BoothType)
class BoothTypeAdmin(FairScopedAdmin, FoldedInPythonSearchMixin, admin.ModelAdmin):
    list_display = ("name", "code", "event", "width_m", "depth_m", "price", "is_standard", "booth_count")
    list_filter = ("is_standard", "event")
    list_select_related = ("event",)
    search_fields = ("name", "code")
    autocomplete_fields = ("event",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .annotate(n_booths=subquery_count(Booth.objects, "booth_type"))
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recompute_amounts_due(event=obj.event)  # its fee may have changed: what its holders owe follows

    @admin.display(description=_("booths"), ordering="n_booths")
    def booth_count(self, obj):
        return obj.n_booths


# --- booths ------------------------------------------------------------------------------


class OccupancyFilter(admin.SimpleListFilter):
    title = _("occupancy")
    parameter_name = "occupancy"

    def lookups(self, request, model_admin):
        return [("free", _("Free")), ("held", _("Held or confirmed")), ("blocked", _("Blocked"))]

    def queryset(self, request, queryset):
        taken = Exists(active_assignments().filter(booth=OuterRef("pk")))
        if self.value() == "free":
            return queryset.filter(~taken, blocked=False)
        if self.value() == "held":
            return queryset.filter(taken)
        if self.value() == "blocked":
            return queryset.filter(blocked=True)
        return queryset


LEGACY_CODE_MESSAGE = _(
    "The code “%(code)s” was saved before booth codes had a fixed form and must be corrected before"
    " this booth can be saved. %(rule)s"
)


class BoothForm(forms.ModelForm):
    class Meta:
        model = Booth
        fields = ("event", "code", "zone", "booth_type", "x", "y", "width", "depth", "row", "blocked", "blocked_reason")

    def clean_code(self):
        code = self.cleaned_data.get("code")
        # A booth saved before codes had a pattern ("²", "A 01") keeps its code until someone edits
        # it; then the form says why the code it shows must change, instead of the bare pattern rule.
        if self.instance.pk and code == self.instance.code and not is_code(upper_code(code)):
            raise ValidationError(LEGACY_CODE_MESSAGE, code="legacy_code", params={"code": code, "rule": CODE_MESSAGE})
        return code

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event")
        for name in ("zone", "booth_type"):
            value = cleaned.get(name)
            if event and value and value.event_id != event.pk:
                self.add_error(
                    name,
                    ValidationError(
                        _("“%(value)s” belongs to another fair; choose one of %(event)s."),
                        code="wrong_event",
                        params={"value": value, "event": event},
                    ),
                )
        outside = outside_hall_error(cleaned, _("Booth %(code)s") % {"code": cleaned.get("code") or "?"})
        if outside:
            self.add_error("x", outside)
        return cleaned


def outside_hall_error(cleaned, what: str) -> str | None:
    """booths.floorplan.hall_fit_error for an admin form's cleaned data (event, x, y, width, depth);
    None while one of them is missing (its own field error says why)."""
    values = [cleaned.get(name) for name in ("event", "x", "y", "width", "depth")]
    if any(value is None for value in values):
        return None
    event, x, y, width, depth = values
    return hall_fit_error(what, x, y, width, depth, event.hall_width_m, event.hall_depth_m)


class AssignmentHistoryInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    model = Assignment
    fair_path = "booth__event"
    fk_name = "booth"
    fields = ("application", "status", "source", "created_at", "created_by", "released_at", "released_by")
    verbose_name_plural = _("assignment history")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("booth", "application__vendor", "application__event", "created_by", "released_by")
            .order_by("-created_at")
        )


@admin.register(Booth)
class BoothAdmin(FairScopedAdmin, BoothImportMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = BoothForm
    list_display = ("code", "event", "zone", "booth_type", "row", "x", "y", "blocked", "holder")
    list_filter = (OccupancyFilter, "event", "zone", "booth_type", "blocked")
    list_select_related = ("event", "zone", "booth_type")
    search_fields = ("code", "zone__name", "row")
    search_help_text = _("Booth code (A01), zone name or row.")
    autocomplete_fields = ("event", "zone", "booth_type")
    ordering = ("event", "code")
    fieldsets = (
        (None, {"fields": ("event", "code", "zone", "booth_type")}),
        (_("Position on the hall plan"), {"fields": (("x", "y"), ("width", "depth"), "row")}),
        (_("Availability"), {"fields": ("blocked", "blocked_reason")}),
    )
    inlines = [AssignmentHistoryInline]
    actions = export_actions(booth_table, "gian-hang")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "booth_type" in form.changed_data:  # its holder is now charged the new type's fee
            recompute_amounts_due(event=obj.event)

    def get_queryset(self, request):
        return _with_holder(super().get_queryset(request).select_related("event", "zone", "booth_type"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete_for(request, Assignment, "booth"):
            # A new assignment can only take a free, unblocked booth.
            taken = Exists(active_assignments().filter(booth=OuterRef("pk")))
            queryset = queryset.filter(~taken, blocked=False)
        return queryset, may_have_duplicates

    @admin.display(description=_("held by"), ordering="holder_name")
    def holder(self, obj):
        return obj.holder_name or "–"
