"""Admin for the fairs, their categories and document types. Life-cycle steps go through
events.services.event_transition (admin actions); the status is never edited in a form."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from booths.admin import BoothSummaryInline, BoothTypeInline, ZoneInline
from booths.models import Assignment, Booth
from booths.selectors.floorplan import outside_resized_hall
from events.admin_scoping import FairScopedAdmin, OrganiserScopedAdmin, PlainSelectFallbackMixin, is_superuser
from events.categories import category_key
from events.fees import fee_schedule_errors
from events.generated.selectors import document_label, options_text
from events.models import (
    Category,
    CategoryAlias,
    DocumentType,
    Event,
    EventStatusChange,
    FairDocumentRule,
    GeneratedFile,
    OrganiserBankAccount,
    ProgrammeItem,
    SubsidyProgramme,
)
from events.policy import can, organisers_for
from events.services import event_transition
from tuanhang.kernel.admin_search import (
    FoldedInPythonSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    subquery_count,
)
from tuanhang.kernel.uploads import checked_template
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import Application, SubsidyGrant, SubsidyWaiting, Vendor
from vendors.privacy import tax_code_shown
from vendors.services.amounts import recompute_amounts_due

admin.site.site_header = _("tuanhang – Fair management")
admin.site.site_title = _("tuanhang – Fair management")


# --- reference data ---------------------------------------------------------------------


class VietnameseSlugMixin:
    """Slugs typed from Vietnamese names keep their letters (static/js/admin_slug.js)."""

    class Media:
        js = ("js/admin_slug.js",)


@admin.register(Category)
class CategoryAdmin(FoldedInPythonSearchMixin, VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "is_food", "position")
    list_editable = ("is_food", "position")
    list_filter = ("is_food",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class CategoryAliasForm(forms.ModelForm):
    class Meta:
        model = CategoryAlias
        fields = ("organiser", "word", "category")

    def clean_word(self):
        # Stored as the importer compares it ("Hàng tươi sống" → "hang tuoi song"), so the
        # unique check sees the same word written with other accents or case.
        word = category_key(self.cleaned_data["word"])
        if not word:
            raise ValidationError(_("Write the word as the organiser's lists write it, with letters or digits."))
        return word


class SubsidyProgrammeForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("business kinds"),
        choices=Vendor.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )

    class Meta:
        model = SubsidyProgramme
        fields = (
            "organiser",
            "name",
            "legal_basis",
            "budget",
            "starts_on",
            "ends_on",
            "share_percent",
            "cap_per_fair",
            "max_fairs_per_year",
            "max_booths",
            "kinds",
            "provinces",
            "ocop",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["kinds"] = sorted(self.instance.kind_set)

    def clean_kinds(self):
        return ",".join(self.cleaned_data["kinds"])


class SubsidyGrantInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    """The programme's ledger, read-only: each application's grant (granted or released) at the
    fairs the user may read applications of; a household's tax code masked unless the role has
    personal.view at that fair. Grants are written only by vendors.services.subsidies."""

    model = SubsidyGrant
    fair_path = "application__event"
    view_capability = "application.view"
    change_capability = "application.decide"
    fields = (
        "business",
        "fair",
        "shown_tax_code",
        "year",
        "booths",
        "amount_vnd",
        "status",
        "granted_at",
        "released_at",
    )
    show_change_link = False
    verbose_name_plural = _("subsidy grants")

    def get_queryset(self, request):
        self.request = request  # a fresh inline instance per request: the masking reads the role
        return (
            super()
            .get_queryset(request)
            .select_related("application__vendor", "application__event__organiser")
            .order_by("-year", "application__event__opens_at", "application__vendor__name", "pk")
        )

    @admin.display(description=_("participant"))
    def business(self, obj):
        return obj.application.vendor.name

    @admin.display(description=_("fair"))
    def fair(self, obj):
        return obj.application.event.name

    @admin.display(description=_("tax code"))
    def shown_tax_code(self, obj):
        request = getattr(self, "request", None)
        personal = request is not None and can(request.user, "personal.view", obj.application.event)
        return tax_code_shown(obj.application.vendor.kind, obj.tax_code, personal)

    @admin.display(description=_("subsidy (VND)"))
    def amount_vnd(self, obj):
        return f"{obj.amount:,}".replace(",", ".")


class SubsidyWaitingInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    """The applications held back by the yearly cap or the budget, oldest first: the next to get
    a released grant's place (vendors.services.subsidies)."""

    model = SubsidyWaiting
    fair_path = "application__event"
    view_capability = "application.view"
    change_capability = "application.decide"
    fields = ("business", "fair", "reason", "since")
    show_change_link = False
    verbose_name_plural = _("applications waiting for a subsidy")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("application__vendor", "application__event")
            .order_by("since", "id")
        )

    @admin.display(description=_("participant"))
    def business(self, obj):
        return obj.application.vendor.name

    @admin.display(description=_("fair"))
    def fair(self, obj):
        return obj.application.event.name


@admin.register(SubsidyProgramme)
class SubsidyProgrammeAdmin(OrganiserScopedAdmin, admin.ModelAdmin):
    """An organiser's khuyến công programmes: its staff who manage fairs set the budget, period
    and rules; a fair picks its programme in its fees. The grants are applied at approval
    (vendors.services.subsidies)."""

    form = SubsidyProgrammeForm
    inlines = [SubsidyGrantInline, SubsidyWaitingInline]
    list_display = ("name", "organiser", "starts_on", "ends_on", "budget", "share_percent")
    list_filter = ("organiser",)
    list_select_related = ("organiser",)
    search_fields = ("name", "legal_basis")
    filter_horizontal = ("provinces",)
    view_capability = "fair.view"
    change_capability = "fair.manage"
    fieldsets = (
        (None, {"fields": ("organiser", "name", "legal_basis", "budget", ("starts_on", "ends_on"))}),
        (
            _("Rules"),
            {
                "fields": (
                    "share_percent",
                    "cap_per_fair",
                    "max_fairs_per_year",
                    "max_booths",
                    "kinds",
                    "provinces",
                    "ocop",
                )
            },
        ),
    )


@admin.register(CategoryAlias)
class CategoryAliasAdmin(OrganiserScopedAdmin, PlainSelectFallbackMixin, admin.ModelAdmin):
    """An organiser's own words for our categories, used by the participant list import: its
    staff see them, and those who may import participant lists into its fairs change them."""

    list_display = ("word", "category", "organiser")
    list_filter = ("organiser",)
    list_select_related = ("category", "organiser")
    search_fields = ("word", "category__name")
    autocomplete_fields = ("category",)
    plain_select_fallback = ("category",)
    view_capability = "fair.view"
    change_capability = "application.decide"

    form = CategoryAliasForm


class DocumentTypeForm(forms.ModelForm):
    """The template file is checked by content (PDF, DOCX or XLSX), as businesses' uploads are."""

    class Meta:
        model = DocumentType
        fields = ("name", "slug", "description", "personal", "generated_form", "reusable", "template")

    def clean_template(self):
        upload = self.cleaned_data.get("template")
        self.checked_template = None
        if isinstance(upload, UploadedFile):
            self.checked_template = checked_template(upload)
        return upload


@admin.register(DocumentType)
class DocumentTypeAdmin(FoldedInPythonSearchMixin, VietnameseSlugMixin, admin.ModelAdmin):
    form = DocumentTypeForm
    list_display = ("name", "slug", "has_template", "generated_form", "reusable")
    list_filter = ("reusable",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("template"), boolean=True)
    def has_template(self, obj):
        return bool(obj.template)

    def save_model(self, request, obj, form, change):
        checked = getattr(form, "checked_template", None)
        if checked is not None:
            # What is stored is what the check read, named by its content.
            obj.template.save(checked.file.name, checked.file, save=False)
            obj.template_content_type = checked.content_type
        elif not obj.template:
            obj.template_content_type = ""
        super().save_model(request, obj, form, change)


class FairDocumentRuleForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("business kinds"),
        choices=Vendor.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )

    class Meta:
        model = FairDocumentRule
        fields = (
            "document_type",
            "kinds",
            "shows_ocop",
            "shows_food",
            "attp_certificate_required",
            "sells_packaged_food",
            "group",
            "note",
            "position",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["kinds"] = sorted(self.instance.kind_set)

    def clean_kinds(self):
        return ",".join(sorted(self.cleaned_data.get("kinds") or []))


class FairDocumentRuleInline(FairScopedAdmin, admin.TabularInline):
    """The documents the fair asks under conditions (all must hold; empty: any); rules sharing a
    group name are alternatives. The fair's flat list above is asked of everyone."""

    model = FairDocumentRule
    form = FairDocumentRuleForm
    extra = 0
    verbose_name_plural = _("documents asked under conditions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "document_type")


# --- fairs ------------------------------------------------------------------------------


class ApplicationSummaryInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    """The fair's applications at a glance; decisions are taken on the application list."""

    model = Application
    view_capability = "application.view"
    change_capability = "application.decide"
    fields = ("vendor", "vendor_province", "status", "booths_requested", "submitted_at", "decided_at")
    verbose_name_plural = _("applications")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor__province", "event").order_by("vendor__name")

    @admin.display(description=_("province / city"))
    def vendor_province(self, obj):
        return obj.vendor.province


class EventStatusChangeInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    model = EventStatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by")
    show_change_link = False
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "changed_by")


def _transition_action(name: str, to_status: str, description):
    def action(modeladmin, request, queryset):
        modeladmin.transition(request, queryset, to_status)

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


S = Event.Status


class ProgrammeItemInline(FairScopedAdmin, admin.TabularInline):
    """The fair's programme, shown on its public page."""

    model = ProgrammeItem
    extra = 0
    fields = ("starts_at", "ends_at", "title", "place", "description")


class EventAdminForm(forms.ModelForm):
    """The fair's form: its hall is never made smaller than the booths and features on its plan
    (every picture and print is framed on the hall; issue 19)."""

    class Meta:
        model = Event
        fields = ("hall_width_m", "hall_depth_m")  # the admin adds the rest from its fieldsets

    def clean(self):
        cleaned = super().clean()
        width, depth = cleaned.get("hall_width_m"), cleaned.get("hall_depth_m")
        if self.instance.pk and width and depth and ({"hall_width_m", "hall_depth_m"} & set(self.changed_data)):
            outside = outside_resized_hall(self.instance, width, depth)
            if outside:
                shown = ", ".join(outside[:10]) + ("…" if len(outside) > 10 else "")
                self.add_error(
                    "hall_width_m" if "hall_width_m" in self.changed_data else "hall_depth_m",
                    ngettext(
                        "%(count)s booth or feature would lie outside a hall of this size: %(names)s. Move it "
                        "on the floor plan first, or keep the hall larger.",
                        "%(count)s booths or features would lie outside a hall of this size: %(names)s. Move "
                        "them on the floor plan first, or keep the hall larger.",
                        len(outside),
                    )
                    % {"count": len(outside), "names": shown},
                )
        return cleaned


@admin.register(Event)
class EventAdmin(
    FairScopedAdmin, PlainSelectFallbackMixin, FoldedInPythonSearchMixin, VietnameseSlugMixin, admin.ModelAdmin
):
    fair_path = ""
    form = EventAdminForm
    plain_select_fallback = ("province",)
    list_display = (
        "name",
        "status",
        "opens_at",
        "closes_at",
        "registration_closes_at",
        "province",
        "organiser",
        "application_counts",
        "booth_counts",
        "dashboard_link",
        "printing_link",
    )
    list_filter = ("status", "province", "organiser")
    list_select_related = ("organiser", "province")
    search_fields = ("name", "slug", "venue")
    search_help_text = _("Fair name, slug or venue, with or without accents.")
    date_hierarchy = "opens_at"
    autocomplete_fields = ("organiser", "province")
    filter_horizontal = ("categories", "required_documents")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("status", "status_changed_at", "status_changed_by", "created_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "organiser",
                    "description",
                    "status",
                    "status_changed_at",
                    "status_changed_by",
                )
            },
        ),
        (_("Venue"), {"fields": ("venue", "address", "province", ("hall_width_m", "hall_depth_m"))}),
        (
            _("Dates"),
            {
                "fields": (
                    ("registration_opens_at", "registration_closes_at"),
                    "setup_at",
                    ("opens_at", "closes_at"),
                    "daily_hours",
                )
            },
        ),
        (
            _("Fees"),
            {
                "fields": (
                    ("booth_fee", "subsidy_percent"),
                    "subsidy_programme",
                    ("deposit", "deposit_percent"),
                    ("deposit_due_on", "balance_due_on"),
                    "bank_account",
                    "handover_requires_full_payment",
                    "invoice_vat_rate",
                ),
                "description": _(
                    "A booth type with its own fee (below) is charged that fee; the others the fee per booth. "
                    "What each participant owes is recomputed when you save."
                ),
            },
        ),
        (
            _("Rules"),
            {
                "fields": (
                    "max_booths_per_participant",
                    "allow_self_selection",
                    "categories",
                    "required_documents",
                    "terms",
                )
            },
        ),
    )
    inlines = [
        FairDocumentRuleInline,
        ProgrammeItemInline,
        ZoneInline,
        BoothTypeInline,
        BoothSummaryInline,
        ApplicationSummaryInline,
        EventStatusChangeInline,
    ]
    actions = [
        _transition_action("publish", S.PUBLISHED, _("Publish the selected fairs")),
        _transition_action("unpublish", S.DRAFT, _("Take the selected fairs back to draft")),
        _transition_action("open_registration", S.REGISTRATION_OPEN, _("Open registration")),
        _transition_action("close_registration", S.REGISTRATION_CLOSED, _("Close registration")),
        _transition_action("start", S.RUNNING, _("Mark as running (opened)")),
        _transition_action("finish", S.FINISHED, _("Mark as finished")),
        _transition_action("archive", S.ARCHIVED, _("Archive")),
    ]

    def get_queryset(self, request):
        active = Assignment.objects.filter(status__in=Assignment.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .select_related("organiser", "province", "status_changed_by")
            .annotate(
                n_applications=subquery_count(Application.objects, "event"),
                n_approved=subquery_count(Application.objects.filter(status=Application.Status.APPROVED), "event"),
                n_booths=subquery_count(Booth.objects, "event"),
                n_assigned=subquery_count(
                    Booth.objects.filter(Exists(active.filter(booth=OuterRef("pk")))),
                    "event",
                ),
            )
        )

    @admin.display(description=_("applications (approved / all)"), ordering="n_applications")
    def application_counts(self, obj):
        return f"{obj.n_approved} / {obj.n_applications}"

    @admin.display(description=_("booths (assigned / all)"), ordering="n_booths")
    def booth_counts(self, obj):
        return f"{obj.n_assigned} / {obj.n_booths}"

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("events:dashboard", args=[obj.slug]), _("Open"))

    @admin.display(description=_("printing and exports"))
    def printing_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("events:printing", args=[obj.slug]), _("Print"))

    def has_delete_permission(self, request, obj=None):
        # A fair takes its applications, payments and history with it: the installation's call.
        return is_superuser(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bank_account" and not is_superuser(request):
            kwargs["queryset"] = OrganiserBankAccount.objects.filter(
                organiser__in=organisers_for(request.user, "fair.manage")
            )
        if db_field.name == "subsidy_programme" and not is_superuser(request):
            kwargs["queryset"] = SubsidyProgramme.objects.filter(
                organiser__in=organisers_for(request.user, "fair.manage")
            )
        if db_field.name == "organiser" and not is_superuser(request):
            # A fair is created for, or moved to, an organiser the user administers.
            kwargs["queryset"] = organisers_for(request.user, "fair.manage")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            reminder_rules_create_defaults(event=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The fees or booth types may have changed: what every participant owes follows them.
        recompute_amounts_due(event=form.instance)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (FeeScheduleFormMixin, form), {})

    def transition(self, request, queryset, to_status):
        """Step each selected fair through the service; report steps that are not allowed."""
        done, errors = 0, []
        for event in queryset:
            try:
                event_transition(event=event, to_status=to_status, by=request.user)
            except ValidationError as exc:
                errors.append(f"{event}: {' '.join(exc.messages)}")
            else:
                done += 1
        label = S(to_status).label
        if done:
            self.message_user(
                request,
                ngettext("%(count)d fair moved to “%(status)s”.", "%(count)d fairs moved to “%(status)s”.", done)
                % {"count": done, "status": label},
                messages.SUCCESS,
            )
        if errors:
            self.message_user(
                request,
                ngettext(
                    "%(count)d fair was not changed: %(errors)s",
                    "%(count)d fairs were not changed: %(errors)s",
                    len(errors),
                )
                % {"count": len(errors), "errors": " ".join(errors)},
                messages.ERROR,
            )


class FeeScheduleFormMixin:
    """The fair's form refuses a fee schedule events.fees.fee_schedule_errors finds wrong, field by field."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for field, message in fee_schedule_errors(self.instance_with(cleaned)).items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned

    def instance_with(self, cleaned):
        """The fair as the form would save it (ModelForm copies the values onto it only after clean)."""
        event = self.instance
        for name in FEE_FIELDS:
            if name in cleaned:
                setattr(event, name, cleaned[name])
        return event


FEE_FIELDS = ("organiser", "opens_at", "booth_fee", "subsidy_percent", "deposit", "deposit_percent")
FEE_FIELDS += ("deposit_due_on", "balance_due_on", "bank_account", "subsidy_programme")


@admin.register(EventStatusChange)
class EventStatusChangeAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    list_display = ("event", "from_status", "to_status", "changed_at", "changed_by")
    list_filter = ("to_status", "event")
    list_select_related = ("event", "changed_by")
    search_fields = ("event__name", "event__slug")
    date_hierarchy = "changed_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "changed_by")


@admin.register(GeneratedFile)
class GeneratedFileAdmin(ReadOnlyAdminMixin, FairScopedAdmin, admin.ModelAdmin):
    """Prints and reports made from a fair's data (written by events.generated's services)."""

    view_capability = "export"
    change_capability = "print.build"

    list_display = ("document", "event", "status", "options", "size", "created_at", "created_by", "download")
    list_filter = ("status", "kind", "event")
    list_select_related = ("event", "created_by")
    search_fields = ("event__name", "event__slug", "filename")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "created_by")

    @admin.display(description=_("document"), ordering="kind")
    def document(self, obj):
        return document_label(obj)

    @admin.display(description=_("options"))
    def options(self, obj):
        return options_text(obj) or "–"

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != GeneratedFile.Status.DONE or not obj.file:
            return "–"
        url = reverse("events:generated_file_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)
