"""Admin of booth assignments (given through booths.services.booth_assign, then read-only), hall
features, allocation rules, allocation runs and the change log."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin_scoping import FairScopedAdmin
from tuanhang.kernel.admin_search import (
    FoldedSearchMixin,
    ReadOnlyAdminMixin,
)
from vendors.models import Application

from ..models import AllocationRules, AllocationRun, Assignment, AssignmentChange, HallFeature
from ..services import assignment_confirm, assignment_release, booth_assign
from .floorplan import active_assignments, outside_hall_error

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
            holder = active_assignments().filter(booth=booth).select_related("application__vendor").first()
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
class AssignmentAdmin(FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    fair_path = "booth__event"
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


class HallFeatureForm(forms.ModelForm):
    class Meta:
        model = HallFeature
        fields = ("event", "kind", "label", "x", "y", "width", "depth")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("label") or dict(HallFeature.Kind.choices).get(cleaned.get("kind"), "")
        outside = outside_hall_error(cleaned, _("Hall feature “%(name)s”") % {"name": name})
        if outside:
            self.add_error("x", outside)
        return cleaned


@admin.register(HallFeature)
class HallFeatureAdmin(FairScopedAdmin, admin.ModelAdmin):
    form = HallFeatureForm
    list_display = ("__str__", "event", "kind", "x", "y", "width", "depth")
    list_filter = ("kind", "event")
    list_select_related = ("event",)
    search_fields = ("label",)
    autocomplete_fields = ("event",)


@admin.register(AllocationRules)
class AllocationRulesAdmin(FairScopedAdmin, admin.ModelAdmin):
    list_display = ("event", "weight_zone_preference", "weight_same_province", "weight_competitors_apart")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    list_display = ("event", "status", "progress", "created_at", "created_by", "applied_at")
    list_filter = ("status", "event")
    list_select_related = ("event", "created_by")
    exclude = ("plan",)


@admin.register(AssignmentChange)
class AssignmentChangeAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    list_display = ("changed_at", "event", "application", "action", "from_booth", "to_booth", "changed_by")
    list_filter = ("action", "event")
    list_select_related = ("event", "application__vendor", "application__event", "from_booth", "to_booth", "changed_by")
    search_fields = ("application__vendor__search_text", "from_booth__code", "to_booth__code")
