"""Admin of applications: zone preferences, the read-only history inlines, and the decisions
(approve, waitlist, reject, cancel) as actions with a confirmation page asking for the reason."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from booths.models import Assignment
from events.admin_scoping import FairScopedAdmin
from events.models import Zone
from tuanhang.kernel.admin_search import (
    CachedChoicesInlineMixin,
    FoldedSearchMixin,
    ReadOnlyInlineMixin,
    is_autocomplete_for,
)
from tuanhang.kernel.spreadsheets import export_actions
from tuanhang.office.admin.vendors.personal import application_export
from vendors.models import (
    AmountDue,
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Payment,
    ZonePreference,
)
from vendors.services import APPLICATION_TRANSITIONS, applications_decide, decided_message, undecided_message
from vendors.services.amounts import recompute_amount_due

A = Application.Status


class ApplicationPartMixin(FairScopedAdmin):
    """The rows of an application: read where the user reads applications, changed where it decides."""

    fair_path = "application__event"
    view_capability = "application.view"
    change_capability = "application.decide"


class ZonePreferenceInline(CachedChoicesInlineMixin, ApplicationPartMixin, admin.TabularInline):
    model = ZonePreference
    fields = ("rank", "zone")
    cached_choice_fields = ("zone",)
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made per request, so remembering the fair here is safe.
        self._event_id = obj.event_id if obj else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "zone":
            # Only the zones of the application's own fair.
            kwargs["queryset"] = Zone.objects.filter(event_id=getattr(self, "_event_id", None))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("zone")


class ApplicationStatusChangeInline(ReadOnlyInlineMixin, ApplicationPartMixin, admin.TabularInline):
    model = ApplicationStatusChange
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    show_change_link = False
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__vendor", "application__event", "changed_by")


class ApplicationAssignmentInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    model = Assignment
    fair_path = "booth__event"
    fields = ("booth", "status", "source", "created_at", "created_by", "released_at")
    verbose_name_plural = _("booths")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("booth", "application__vendor", "created_by")


class ApplicationDocumentInline(ReadOnlyInlineMixin, ApplicationPartMixin, admin.TabularInline):
    model = ApplicationDocument
    fields = ("document_type", "original_name", "content_type", "size", "uploaded_at", "uploaded_by")
    verbose_name_plural = _("documents")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document_type", "uploaded_by")


class PaymentInline(ReadOnlyInlineMixin, ApplicationPartMixin, admin.TabularInline):
    model = Payment
    change_capability = "payment.record"
    fields = ("paid_on", "amount", "method", "reference", "recorded_at", "recorded_by")
    verbose_name_plural = _("payments")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class AmountDueInline(ReadOnlyInlineMixin, ApplicationPartMixin, admin.StackedInline):
    """What the application owes, as vendors.services.amounts last computed it (read only)."""

    model = AmountDue
    fields = (
        ("booths", "from_assigned"),
        ("fee", "subsidy", "due"),
        ("deposit", "deposit_due_on"),
        ("balance", "balance_due_on"),
        "computed_at",
    )
    verbose_name_plural = _("amount due")


class ApplicationAdminForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("vendor", "event", "booths_requested", "booth_type", "categories", "note")

    def clean(self):
        cleaned = super().clean()
        event, booths, booth_type = cleaned.get("event"), cleaned.get("booths_requested"), cleaned.get("booth_type")
        if event and booths and booths > event.max_booths_per_participant:
            self.add_error(
                "booths_requested",
                ValidationError(
                    _("Ask for between 1 and %(max)s booths."),
                    code="too_many_booths",
                    params={"max": event.max_booths_per_participant},
                ),
            )
        if event and booth_type and booth_type.event_id != event.pk:
            self.add_error(
                "booth_type",
                ValidationError(_("This booth type belongs to another fair."), code="wrong_event"),
            )
        return cleaned


@dataclass(frozen=True)
class Decision:
    """One bulk decision an organiser can take on applications from the list."""

    to_status: str
    title: Promise
    button: Promise
    reason_required: bool = False


DECISIONS = {
    "approve": Decision(A.APPROVED, _("Approve applications"), _("Approve")),
    "waitlist": Decision(A.WAITLISTED, _("Put applications on the waiting list"), _("Put on the waiting list")),
    "reject": Decision(A.REJECTED, _("Reject applications"), _("Reject"), reason_required=True),
    "cancel": Decision(A.CANCELLED, _("Cancel applications"), _("Cancel the applications")),
}


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Recorded on each application and in its status history."),
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_required:
            # CharField strips the text, so a reason of only spaces is refused too.
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Give a reason for the rejection.")


def _decision_action(name: str, description):
    def action(modeladmin, request, queryset):
        return modeladmin.decide(request, queryset, name)

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Application)
class ApplicationAdmin(FairScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    form = ApplicationAdminForm
    view_capability = "application.view"
    change_capability = "application.decide"
    list_display = (
        "vendor",
        "event",
        "status",
        "booths_requested",
        "booth_type",
        "zone_wishes",
        "booths",
        "province",
        "submitted_at",
        "decided_at",
        "decided_by",
    )
    list_filter = ("status", "event", "vendor__kind", "vendor__province", "categories")
    list_select_related = ("vendor__province", "event", "booth_type", "decided_by")
    search_fields = ("vendor__search_text", "=vendor__tax_code")
    search_help_text = _("Participant name or tax code, with or without accents.")
    autocomplete_fields = ("vendor", "event", "booth_type")
    filter_horizontal = ("categories",)
    readonly_fields = (
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("vendor", "event", "status")}),
        (_("Request"), {"fields": ("booths_requested", "booth_type", "categories", "note")}),
        (_("Decision"), {"fields": ("submitted_at", "decided_at", "decided_by", "decision_reason")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    actions = [
        _decision_action("approve", _("Approve the selected applications")),
        _decision_action("waitlist", _("Put the selected applications on the waiting list")),
        _decision_action("reject", _("Reject the selected applications")),
        _decision_action("cancel", _("Cancel the selected applications")),
        *export_actions(application_export, "ho-so-dang-ky", takes_request=True),
    ]
    decision_template = "admin/vendors/application/decision_confirmation.html"

    def get_queryset(self, request):
        active = Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("booth").order_by("booth__code")
        return (
            super()
            .get_queryset(request)
            .select_related("vendor__province", "event", "booth_type", "decided_by")
            .prefetch_related(
                Prefetch("zone_ranks", queryset=ZonePreference.objects.select_related("zone")),
                Prefetch("assignments", queryset=active, to_attr="active_assignments"),
            )
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        recompute_amount_due(form.instance)  # the booths asked for or their type may have changed

    def get_inlines(self, request, obj):
        # Zone wishes are picked among the fair's zones, so they are added once the fair is known.
        if obj is None:
            return []
        return [
            ZonePreferenceInline,
            ApplicationDocumentInline,
            AmountDueInline,
            PaymentInline,
            ApplicationAssignmentInline,
            ApplicationStatusChangeInline,
        ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete_for(request, Assignment, "application"):
            queryset = queryset.filter(status__in=(A.SUBMITTED, A.APPROVED))
        return queryset, may_have_duplicates

    @admin.display(description=_("zone wishes"))
    def zone_wishes(self, obj):
        return ", ".join(pref.zone.code for pref in obj.zone_ranks.all())

    @admin.display(description=_("booths"))
    def booths(self, obj):
        return ", ".join(a.booth.code for a in obj.active_assignments)

    @admin.display(description=_("province / city"), ordering="vendor__province__name")
    def province(self, obj):
        return obj.vendor.province

    def decide(self, request, queryset, name):
        """The confirmation page of a bulk decision, then the decision through the service."""
        decision = DECISIONS[name]
        applications = list(queryset.select_related("vendor", "event").order_by("vendor__name"))
        if request.POST.get("confirm") == "yes":
            form = DecisionForm(request.POST, reason_required=decision.reason_required)
            if form.is_valid():
                done, errors = applications_decide(
                    applications=applications,
                    to_status=decision.to_status,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
                self._report(request, decision, done, errors)
                return None  # back to the list
        else:
            form = DecisionForm(reason_required=decision.reason_required)
        rows = [
            (application, decision.to_status in APPLICATION_TRANSITIONS[application.status])
            for application in applications
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": decision.title,
            "opts": self.opts,
            "decision": decision,
            "action_name": name,
            "to_status_label": A(decision.to_status).label,
            "rows": rows,
            "blocked_count": sum(1 for _, allowed in rows if not allowed),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.decision_template, context)

    def _report(self, request, decision, done, errors):
        if done:
            self.message_user(request, decided_message(decision.to_status, done), messages.SUCCESS)
        if errors:
            self.message_user(request, undecided_message(errors), messages.ERROR)
