"""Admin for participants, products and applications.

Decisions on applications (approve, waitlist, reject, cancel) are admin actions that go
through vendors.services.applications_decide after a confirmation page asking for the
reason; the status itself is never edited in a form."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.db.models.functions import Collate
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from booths.models import Assignment, Zone
from events.models import Province
from events.signals import VI_COLLATION
from tuanhang.admin_search import (
    CachedChoicesInlineMixin,
    FoldedSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    is_autocomplete_for,
    subquery_count,
)
from tuanhang.spreadsheets import export_actions
from tuanhang.vn import parse_phone

from .admin_import import VendorImportMixin
from .exports import application_table, vendor_table
from .forms import VendorForm
from .models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    CheckIn,
    CheckInChange,
    Payment,
    Product,
    Vendor,
    VendorInvitation,
    VendorMember,
    ZonePreference,
)
from .services import APPLICATION_TRANSITIONS, applications_decide

A = Application.Status


# --- participants ------------------------------------------------------------------------


def image_preview(kind, obj, field):
    """A thumbnail through the permission-checked file view (images are uploaded by the business
    on its profile, where they are checked by content and re-encoded; the admin only shows them)."""
    if not obj or not getattr(obj, field):
        return _("(none: the business uploads it on its profile)")
    url = reverse("vendors:file", kwargs={"kind": kind, "pk": obj.pk})
    return format_html('<a href="{}" target="_blank"><img src="{}" alt="" width="120"></a>', url, url)


class VendorMemberInline(admin.TabularInline):
    model = VendorMember
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    verbose_name = _("account")
    verbose_name_plural = _("accounts acting for this participant")


class VendorAdminForm(VendorForm):
    """The web form's validation (tax code by kind, phone, province by any name) plus the
    fields only organisers edit."""

    class Meta(VendorForm.Meta):
        # Images are uploaded by the business on its profile, where they are checked by content and
        # re-encoded; the admin only shows them.
        fields = [*VendorForm.Meta.fields, "commune"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by(Collate("name", VI_COLLATION))
        self.fields["categories"].widget = FilteredSelectMultiple(_("product categories"), is_stacked=False)

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error(
                "commune",
                ValidationError(
                    _("%(commune)s is not in %(province)s."),
                    code="wrong_province",
                    params={"commune": commune, "province": province},
                ),
            )
        return cleaned


class ProductInline(CachedChoicesInlineMixin, admin.TabularInline):
    model = Product
    fields = (
        "name",
        "category",
        "origin_province",
        "ocop_stars",
        "ocop_decision_number",
        "ocop_decision_date",
        "ocop_issuer",
        "ocop_expires_on",
    )
    cached_choice_fields = ("category", "origin_province")
    extra = 0
    show_change_link = True


class VendorApplicationInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Application
    fields = ("event", "status", "booths_requested", "submitted_at", "decided_at")
    verbose_name_plural = _("applications")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor", "event")


@admin.register(Vendor)
class VendorAdmin(VendorImportMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = VendorAdminForm
    list_display = (
        "vi_name",
        "short_name",
        "kind",
        "tax_code",
        "province",
        "phone_display",
        "contact_name",
        "category_names",
        "product_count",
        "application_count",
    )
    list_display_links = ("vi_name",)
    list_filter = ("kind", "province", "categories", "applications__event")
    list_select_related = ("province",)
    search_fields = ("search_text", "=tax_code", "email")
    search_help_text = _(
        "Name, short name, tax code or phone, with or without accents (“dong thap” finds “Đồng Tháp”)."
    )
    ordering = (Collate("name", VI_COLLATION),)
    autocomplete_fields = ("commune",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "tax_code")}),
        (_("Address"), {"fields": ("province", "commune", "address")}),
        (_("Contact"), {"fields": ("representative", "contact_name", "phone", "email", "website")}),
        (_("Profile"), {"fields": ("logo_preview", "description", "categories")}),
    )
    inlines = [VendorMemberInline, ProductInline, VendorApplicationInline]
    actions = export_actions(vendor_table, "don-vi")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("province")
            .prefetch_related("categories")
            .annotate(
                n_products=subquery_count(Product.objects, "vendor"),
                n_applications=subquery_count(Application.objects, "vendor"),
            )
        )

    def extra_search_condition(self, search_term):
        # A phone written any usual way ("0912 345 678", "+84 912…") finds the stored E.164 form.
        try:
            return Q(phone=parse_phone(search_term))
        except ValueError:
            return None

    readonly_fields = ("logo_preview",)

    @admin.display(description=_("logo"))
    def logo_preview(self, obj):
        return image_preview("logo_thumb", obj, "logo_thumbnail")

    @admin.display(description=_("legal name"), ordering=Collate("name", VI_COLLATION))
    def vi_name(self, obj):
        return obj.name

    @admin.display(description=_("phone"), ordering="phone")
    def phone_display(self, obj):
        return obj.display_phone

    @admin.display(description=_("product categories"))
    def category_names(self, obj):
        return ", ".join(c.name for c in obj.categories.all())

    @admin.display(description=_("products"), ordering="n_products")
    def product_count(self, obj):
        return obj.n_products

    @admin.display(description=_("applications"), ordering="n_applications")
    def application_count(self, obj):
        return obj.n_applications


@admin.register(Product)
class ProductAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "vendor", "category", "origin_province", "ocop_stars", "ocop_expires_on")
    list_filter = ("ocop_stars", "category", "origin_province")
    list_select_related = ("vendor", "category", "origin_province")
    search_fields = ("search_text", "vendor__search_text", "ocop_decision_number")
    search_help_text = _("Product or participant name, with or without accents, or an OCOP decision number.")
    autocomplete_fields = ("vendor", "origin_province")
    fieldsets = (
        (None, {"fields": ("vendor", "name", "category", "origin_province", "image_preview", "description")}),
        (
            _("OCOP certification"),
            {"fields": ("ocop_stars", "ocop_decision_number", "ocop_decision_date", "ocop_issuer", "ocop_expires_on")},
        ),
    )

    readonly_fields = ("image_preview",)

    @admin.display(description=_("image"))
    def image_preview(self, obj):
        return image_preview("product_thumb", obj, "image_thumbnail")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor", "category", "origin_province")


# --- applications ------------------------------------------------------------------------


class ZonePreferenceInline(CachedChoicesInlineMixin, admin.TabularInline):
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


class ApplicationStatusChangeInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ApplicationStatusChange
    fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    show_change_link = False
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__vendor", "application__event", "changed_by")


class ApplicationAssignmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Assignment
    fields = ("booth", "status", "source", "created_at", "created_by", "released_at")
    verbose_name_plural = _("booths")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("booth", "application__vendor", "created_by")


class ApplicationDocumentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ApplicationDocument
    fields = ("document_type", "original_name", "content_type", "size", "uploaded_at", "uploaded_by")
    verbose_name_plural = _("documents")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document_type", "uploaded_by")


class PaymentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Payment
    fields = ("paid_on", "amount", "method", "reference", "recorded_at", "recorded_by")
    verbose_name_plural = _("payments")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


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


def _done_message(to_status: str, count: int) -> str:
    messages_by_status = {
        A.APPROVED: ngettext("%(count)d application approved.", "%(count)d applications approved.", count),
        A.WAITLISTED: ngettext(
            "%(count)d application put on the waiting list.", "%(count)d applications put on the waiting list.", count
        ),
        A.REJECTED: ngettext("%(count)d application rejected.", "%(count)d applications rejected.", count),
        A.CANCELLED: ngettext("%(count)d application cancelled.", "%(count)d applications cancelled.", count),
    }
    return messages_by_status[to_status] % {"count": count}


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
class ApplicationAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = ApplicationAdminForm
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
        *export_actions(application_table, "ho-so-dang-ky"),
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

    def get_inlines(self, request, obj):
        # Zone wishes are picked among the fair's zones, so they are added once the fair is known.
        if obj is None:
            return []
        return [
            ZonePreferenceInline,
            ApplicationDocumentInline,
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
            self.message_user(request, _done_message(decision.to_status, done), messages.SUCCESS)
        if errors:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application was not changed: %(errors)s",
                    "%(count)d applications were not changed: %(errors)s",
                    len(errors),
                )
                % {"count": len(errors), "errors": " ".join(errors)},
                messages.ERROR,
            )


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("application", "from_status", "to_status", "reason", "changed_at", "changed_by")
    list_filter = ("to_status", "application__event")
    list_select_related = ("application__vendor", "application__event", "changed_by")
    search_fields = ("application__vendor__search_text", "reason")
    search_help_text = _("Participant name, with or without accents, or words of the reason.")
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__vendor", "application__event", "changed_by")


@admin.register(VendorMember)
class VendorMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "vendor", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "vendor")
    search_fields = ("user__email", "user__username", "vendor__search_text")
    autocomplete_fields = ("user", "vendor")


@admin.register(VendorInvitation)
class VendorInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "vendor", "invited_by", "created_at", "accepted_at")
    list_select_related = ("vendor", "invited_by")
    search_fields = ("email", "vendor__search_text")


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "document_type", "original_name", "size", "uploaded_at")
    list_filter = ("document_type", "application__event")
    list_select_related = ("application__vendor", "application__event", "document_type")
    search_fields = ("application__vendor__search_text", "original_name")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "amount", "paid_on", "method", "reference", "recorded_by")
    list_filter = ("method", "application__event")
    list_select_related = ("application__vendor", "application__event", "recorded_by")
    search_fields = ("application__vendor__search_text", "reference")


# --- setup-day check-in (written by vendors.services.checkin, shown only) ------------------------------


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("application", "arrived_at", "arrived_by", "power_ok", "furniture_ok", "fascia_ok", "updated_at")
    list_filter = ("application__event", "power_ok", "furniture_ok", "fascia_ok")
    list_select_related = ("application__vendor", "application__event", "arrived_by")
    search_fields = ("application__vendor__search_text", "note")
    search_help_text = _("Participant name, with or without accents, or words of the note.")


@admin.register(CheckInChange)
class CheckInChangeAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("checkin", "action", "changed_at", "changed_by", "note")
    list_filter = ("action", "checkin__application__event")
    list_select_related = ("checkin__application__vendor", "checkin__application__event", "changed_by")
    search_fields = ("checkin__application__vendor__search_text", "note")
    search_help_text = _("Participant name, with or without accents, or words of the note.")
    date_hierarchy = "changed_at"
