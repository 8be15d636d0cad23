"""Admin of participants (businesses), their members and products."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.admin_scoping import (
    FairScopedAdmin,
    NotFoundMixin,
    PlainSelectFallbackMixin,
    is_superuser,
    scoped_list_filter,
)
from events.models import Province
from events.policy import can_anywhere, fairs_filter
from tuanhang.kernel.admin_search import (
    CachedChoicesInlineMixin,
    FoldedSearchMixin,
    ReadOnlyInlineMixin,
    subquery_count,
)
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.spreadsheets import export_actions
from tuanhang.kernel.vn import parse_phone
from tuanhang.office.admin.vendors.personal import vendor_export
from vendors.admin_import import VendorImportMixin
from vendors.forms import VendorForm
from vendors.models import (
    Application,
    Product,
    Vendor,
    VendorMember,
)
from vendors.privacy import tax_code_shown
from vendors.services.identity import vendor_identity_hold


def image_preview(kind, obj, field):
    """A thumbnail through the permission-checked file view (images are uploaded by the business
    on its profile, where they are checked by content and re-encoded; the admin only shows them)."""
    if not obj or not getattr(obj, field):
        return _("(none: the business uploads it on its profile)")
    url = reverse("vendors:file", kwargs={"kind": kind, "pk": obj.pk})
    return format_html('<a href="{}" target="_blank"><img src="{}" alt="" width="120"></a>', url, url)


# The identity of a business in the shared registry: the installation's administrators approve a
# change of it, not one organiser.
IDENTITY_FIELDS = ("name", "kind", "tax_code")


class SuperuserOnlyMixin:
    """Accounts of businesses are installation-wide: only superusers see or change them here."""

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request)

    def has_add_permission(self, request, obj=None):
        return is_superuser(request)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)


class BusinessScopeMixin(NotFoundMixin):
    """The shared registry seen from an organiser: a business (or its product, through
    `vendor_path`) that applied to a fair where the user may read applications; changed where it
    may decide them. A superuser sees and changes all."""

    vendor_path = ""
    view_capability = "application.view"
    change_capability = "application.decide"

    def applied_to(self, request, capability):
        """A condition on the rows whose business applied to a fair where the user has `capability`."""
        applications = Application.objects.filter(vendor=OuterRef(self.vendor_path or "pk"))
        return Exists(applications.filter(fairs_filter(request.user, capability, "event__")))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        return queryset.filter(self.applied_to(request, self.view_capability))

    def may(self, request, capability, obj=None) -> bool:
        if is_superuser(request):
            return True
        if not can_anywhere(getattr(request, "user", None), capability):
            return False
        if obj is None:
            return True
        # The change page asks several times (form, inlines, buttons): one query per request.
        answers = request.__dict__.setdefault("_business_scope", {})
        key = (self.model, capability, obj.pk)
        if key not in answers:
            rows = self.model._default_manager.filter(pk=obj.pk)
            answers[key] = rows.filter(self.applied_to(request, capability)).exists()
        return answers[key]

    def has_module_permission(self, request):
        return self.may(request, self.view_capability)

    def has_view_permission(self, request, obj=None):
        # The object comes from get_queryset, which already holds the scope.
        return self.may(request, self.view_capability)

    def has_change_permission(self, request, obj=None):
        return self.may(request, self.change_capability, obj)

    def action_capability(self, name) -> str:
        return "export" if name.startswith("export_") else self.change_capability

    def get_actions(self, request):
        actions = super().get_actions(request)
        if is_superuser(request):
            return actions
        return {name: entry for name, entry in actions.items() if self.may(request, self.action_capability(name))}

    def response_action(self, request, queryset):
        # Only the selected businesses of fairs where the user may do what the action does.
        if not is_superuser(request):
            names = request.POST.getlist("action")
            try:
                name = names[int(request.POST.get("index", 0))]
            except (IndexError, ValueError):
                name = ""
            queryset = queryset.filter(self.applied_to(request, self.action_capability(name)))
        return super().response_action(request, queryset)


class VendorMemberInline(SuperuserOnlyMixin, admin.TabularInline):
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
    """A business's products, changed by whoever may change the business (its page's permissions)."""

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

    def _vendor_admin(self):
        return self.admin_site.get_model_admin(Vendor)

    def has_view_permission(self, request, obj=None):
        return self._vendor_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._vendor_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._vendor_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._vendor_admin().has_change_permission(request, obj)


class VendorApplicationInline(ReadOnlyInlineMixin, FairScopedAdmin, admin.TabularInline):
    """The business's applications to the user's fairs (not to other organisers' fairs)."""

    model = Application
    view_capability = "application.view"
    change_capability = "application.decide"
    fields = ("event", "status", "booths_requested", "submitted_at", "decided_at")
    verbose_name_plural = _("applications")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor", "event")


@admin.register(Vendor)
class VendorAdmin(BusinessScopeMixin, VendorImportMixin, PlainSelectFallbackMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = VendorAdminForm
    list_display = (
        "vi_name",
        "short_name",
        "kind",
        "tax_code_display",
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
    plain_select_fallback = ("commune",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "tax_code")}),
        (_("Address"), {"fields": ("province", "commune", "address")}),
        (_("Contact"), {"fields": ("representative", "contact_name", "phone", "email", "website")}),
        (_("Profile"), {"fields": ("logo_preview", "description", "categories")}),
    )
    inlines = [VendorMemberInline, ProductInline, VendorApplicationInline]
    actions = export_actions(vendor_export, "don-vi", takes_request=True)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("province")
            .prefetch_related("categories")
            .annotate(
                n_products=subquery_count(Product.objects, "vendor"),
                n_applications=subquery_count(Application.objects, "vendor"),
                personal_ok=Value(True) if is_superuser(request) else self.applied_to(request, "personal.view"),
            )
        )

    @admin.display(description=_("tax code"), ordering="tax_code")
    def tax_code_display(self, obj):
        """A household's tax code is its owner's personal ID number: in full only where the account
        has personal.view at a fair the business applied to (vendors/privacy.py)."""
        return tax_code_shown(obj.kind, obj.tax_code, getattr(obj, "personal_ok", False))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or is_superuser(request):
            return fieldsets
        return [
            (
                name,
                {**options, "fields": tuple("tax_code_display" if f == "tax_code" else f for f in options["fields"])},
            )
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        return scoped_list_filter(self, self.model, super().get_list_filter(request))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None or is_superuser(request):
            return fields
        return (*fields, *IDENTITY_FIELDS, "tax_code_display")

    def save_model(self, request, obj, form, change):
        # A superuser edits the identity here too, but of a business that has applied the change
        # is held for approval like the business's own (organisers see the fields read-only).
        held = vendor_identity_hold(vendor=obj, by=request.user) if change else None
        super().save_model(request, obj, form, change)
        if held is not None:
            messages.warning(
                request,
                gettext(
                    "This business has applied to a fair, so its new tax code, legal name or kind was not applied: "
                    "the change waits for approval on the registry page."
                ),
            )

    def has_add_permission(self, request):
        # A new business joins the installation-wide registry: as before, Django's permission.
        return is_superuser(request) or request.user.has_perm("vendors.add_vendor")

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)

    def has_import_permission(self, request) -> bool:
        user = request.user
        return is_superuser(request) or user.has_perms(("vendors.add_vendor", "vendors.change_vendor"))

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
class ProductAdmin(BusinessScopeMixin, FoldedSearchMixin, admin.ModelAdmin):
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
    vendor_path = "vendor"

    def has_add_permission(self, request):
        return self.may(request, self.change_capability)

    def has_delete_permission(self, request, obj=None):
        return self.may(request, self.change_capability, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "vendor" and not is_superuser(request):
            # A product is added to a business the user may change.
            vendors = Vendor.objects.filter(
                Exists(
                    Application.objects.filter(vendor=OuterRef("pk")).filter(
                        fairs_filter(request.user, self.change_capability, "event__")
                    )
                )
            )
            kwargs["queryset"] = vendors
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("image"))
    def image_preview(self, obj):
        return image_preview("product_thumb", obj, "image_thumbnail")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor", "category", "origin_province")
