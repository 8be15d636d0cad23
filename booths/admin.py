"""Admin for zones, booth types, booths and booth assignments.

A booth is only given through booths.services.booth_assign: the assignment add form checks
the booth is free and save_model calls the service. Existing assignments are a record and are
shown read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tuanhang.admin_search import (
    FoldedInPythonSearchMixin,
    FoldedSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    is_autocomplete_for,
    subquery_count,
)
from tuanhang.spreadsheets import export_actions
from vendors.models import Application

from .admin_import import BoothImportMixin
from .exports import booth_table
from .models import AllocationRules, AllocationRun, Assignment, AssignmentChange, Booth, BoothType, HallFeature, Zone
from .services import assignment_confirm, assignment_release, booth_assign


def _active_assignments():
    return Assignment.objects.filter(status__in=Assignment.ACTIVE)


def _with_holder(booths):
    """Annotate each booth with the name of the participant holding it (or None)."""
    holder = _active_assignments().filter(booth=OuterRef("pk")).values("application__vendor__name")[:1]
    return booths.annotate(holder_name=Subquery(holder))


# --- inlines used on the fair's page ------------------------------------------------------


class ZoneInline(admin.TabularInline):
    """Zones of a fair. Allowed categories are edited on the zone's own page (change link)."""

    model = Zone
    fields = ("code", "name", "colour", "position")
    extra = 0
    show_change_link = True


class BoothTypeInline(admin.TabularInline):
    model = BoothType
    fields = ("code", "name", "width_m", "depth_m", "price", "is_standard")
    extra = 0
    show_change_link = True


class BoothSummaryInline(ReadOnlyInlineMixin, admin.TabularInline):
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
class ZoneAdmin(FoldedInPythonSearchMixin, admin.ModelAdmin):
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
class BoothTypeAdmin(FoldedInPythonSearchMixin, admin.ModelAdmin):
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
        taken = Exists(_active_assignments().filter(booth=OuterRef("pk")))
        if self.value() == "free":
            return queryset.filter(~taken, blocked=False)
        if self.value() == "held":
            return queryset.filter(taken)
        if self.value() == "blocked":
            return queryset.filter(blocked=True)
        return queryset


class BoothForm(forms.ModelForm):
    class Meta:
        model = Booth
        fields = ("event", "code", "zone", "booth_type", "x", "y", "width", "depth", "row", "blocked", "blocked_reason")

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
        return cleaned


class AssignmentHistoryInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Assignment
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
class BoothAdmin(BoothImportMixin, FoldedSearchMixin, admin.ModelAdmin):
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

    def get_queryset(self, request):
        return _with_holder(super().get_queryset(request).select_related("event", "zone", "booth_type"))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete_for(request, Assignment, "booth"):
            # A new assignment can only take a free, unblocked booth.
            taken = Exists(_active_assignments().filter(booth=OuterRef("pk")))
            queryset = queryset.filter(~taken, blocked=False)
        return queryset, may_have_duplicates

    @admin.display(description=_("held by"), ordering="holder_name")
    def holder(self, obj):
        return obj.holder_name or "–"


# --- assignments -------------------------------------------------------------------------

ASSIGNABLE = (Application.Status.SUBMITTED, Application.Status.APPROVED)


class AssignmentCreateForm(forms.ModelForm):
    """Checks what booth_assign checks, so a taken, blocked or foreign booth is a form error."""

    confirm = forms.BooleanField(
        label=_("Confirm at once"),
        required=False,
        help_text=_("Otherwise the booth is held until the participant confirms."),
    )

    class Meta:
        model = Assignment
        fields = ("booth", "application")

    def clean(self):
        cleaned = super().clean()
        booth, application = cleaned.get("booth"), cleaned.get("application")
        if not booth or not application:
            return cleaned
        if application.status not in ASSIGNABLE:
            self.add_error(
                "application",
                ValidationError(
                    _("Only submitted or approved applications get a booth; this one is “%(status)s”."),
                    code="not_assignable",
                    params={"status": application.get_status_display()},
                ),
            )
        if booth.event_id != application.event_id:
            self.add_error(
                "booth",
                ValidationError(
                    _("Booth %(code)s belongs to another fair than this application (%(event)s)."),
                    code="wrong_event",
                    params={"code": booth.code, "event": application.event},
                ),
            )
        elif booth.blocked:
            self.add_error("booth", ValidationError(_("Booth %(code)s is blocked."), params={"code": booth.code}))
        else:
            holder = _active_assignments().filter(booth=booth).select_related("application__vendor").first()
            if holder:
                self.add_error(
                    "booth",
                    ValidationError(
                        _("Booth %(code)s is already held by %(vendor)s."),
                        code="booth_taken",
                        params={"code": booth.code, "vendor": holder.application.vendor},
                    ),
                )
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = (
        "booth",
        "event",
        "zone",
        "vendor",
        "status",
        "source",
        "created_at",
        "created_by",
        "released_at",
    )
    list_filter = ("status", "source", "booth__event", "booth__zone")
    list_select_related = ("booth__event", "booth__zone", "application__vendor", "created_by")
    search_fields = ("booth__code", "application__vendor__search_text")
    search_help_text = _("Booth code or participant name, with or without accents.")
    autocomplete_fields = ("booth", "application")
    date_hierarchy = "created_at"
    readonly_fields = ("status", "source", "created_at", "created_by", "released_at", "released_by")
    actions = ("confirm_assignments", "release_assignments")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("booth__event", "booth__zone", "application__vendor", "application__event", "created_by")
        )

    def _apply(self, request, queryset, service, done_message):
        done, errors = 0, []
        for assignment in queryset:
            try:
                service(assignment=assignment, by=request.user)
                done += 1
            except ValidationError as exc:
                errors.append(f"{assignment.booth}: {' '.join(exc.messages)}")
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        if errors:
            self.message_user(request, "; ".join(errors), messages.ERROR)

    @admin.action(description=_("Confirm the selected held booths"), permissions=["change"])
    def confirm_assignments(self, request, queryset):
        self._apply(
            request,
            queryset,
            assignment_confirm,
            lambda n: ngettext("%(count)s booth confirmed.", "%(count)s booths confirmed.", n),
        )

    @admin.action(description=_("Release the selected booths"), permissions=["change"])
    def release_assignments(self, request, queryset):
        # Releasing frees booths other participants can then take: ask first.
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/booths/assignment/release_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Release booths?"),
                    "opts": self.model._meta,
                    "assignments": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._apply(
            request,
            queryset,
            assignment_release,
            lambda n: ngettext("%(count)s booth released.", "%(count)s booths released.", n),
        )
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AssignmentCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("booth", "application", "confirm")
        return ("booth", "application", *self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        # An assignment is a record: it is created through the service and never edited here.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fair"), ordering="booth__event__name")
    def event(self, obj):
        return obj.booth.event

    @admin.display(description=_("zone"), ordering="booth__zone__code")
    def zone(self, obj):
        return obj.booth.zone

    @admin.display(description=_("participant"), ordering="application__vendor__name")
    def vendor(self, obj):
        return obj.application.vendor

    def save_model(self, request, obj, form, change):
        created = booth_assign(
            booth=obj.booth,
            application=obj.application,
            source=Assignment.Source.MANUAL,
            by=request.user,
            confirm=form.cleaned_data.get("confirm", False),
        )
        for field in Assignment._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            # The booth went to someone else between the form check and the service's lock;
            # the admin's transaction has rolled back, nothing was created.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(HallFeature)
class HallFeatureAdmin(admin.ModelAdmin):
    list_display = ("__str__", "event", "kind", "x", "y", "width", "depth")
    list_filter = ("kind", "event")
    list_select_related = ("event",)
    search_fields = ("label",)
    autocomplete_fields = ("event",)


@admin.register(AllocationRules)
class AllocationRulesAdmin(admin.ModelAdmin):
    list_display = ("event", "weight_zone_preference", "weight_same_province", "weight_competitors_apart")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("event", "status", "progress", "created_at", "created_by", "applied_at")
    list_filter = ("status", "event")
    list_select_related = ("event", "created_by")
    exclude = ("plan",)


@admin.register(AssignmentChange)
class AssignmentChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "event", "application", "action", "from_booth", "to_booth", "changed_by")
    list_filter = ("action", "event")
    list_select_related = ("event", "application__vendor", "application__event", "from_booth", "to_booth", "changed_by")
    search_fields = ("application__vendor__search_text", "from_booth__code", "to_booth__code")
