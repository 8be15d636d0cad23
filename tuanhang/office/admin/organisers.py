"""Admin of the reference data (provinces, their old names, communes) and of the organisers with
their staff and roles."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.admin_scoping import NotFoundMixin, PlainSelectFallbackMixin, is_superuser
from events.fees import bank_choices
from events.models import (
    Commune,
    Event,
    Membership,
    Organiser,
    OrganiserBankAccount,
    Province,
    ProvinceAlias,
)
from events.policy import organisers_for
from events.reference import province_key
from tuanhang.kernel.admin_search import (
    FoldedInPythonSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInlineMixin,
    subquery_count,
)
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.vn import fold

admin.site.site_header = _("tuanhang – Fair management")
admin.site.site_title = _("tuanhang – Fair management")


# --- reference data ---------------------------------------------------------------------


class ProvinceAliasInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ProvinceAlias
    fields = ("alias", "is_former_province")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdminMixin, FoldedInPythonSearchMixin, admin.ModelAdmin):
    """The 34 units are official data (vietnam-provinces): viewable, searchable, not editable."""

    list_display = ("code", "name", "full_name", "kind", "merged_from")
    list_filter = ("kind",)
    search_fields = ("name", "full_name", "aliases__alias")
    search_help_text = _("Current name or a former (pre-2025) name, with or without accents.")
    ordering = (Collate("name", VI_COLLATION),)
    inlines = [ProvinceAliasInline]


class ProvinceAliasForm(forms.ModelForm):
    class Meta:
        model = ProvinceAlias
        fields = ("province", "alias", "is_former_province")

    def clean_alias(self):
        alias = " ".join(self.cleaned_data["alias"].split())
        key = province_key(alias)
        if not key:
            raise ValidationError(_("Write the other name of the province or city."), code="empty")
        clash = ProvinceAlias.objects.filter(key=key).exclude(pk=self.instance.pk).select_related("province").first()
        if clash:
            raise ValidationError(
                _("“%(alias)s” already means %(province)s."),
                code="unique",
                params={"alias": alias, "province": clash.province},
            )
        return alias

    def save(self, commit=True):
        # The lookup key is derived from the alias so the resolver finds it whatever the spelling.
        self.instance.key = province_key(self.cleaned_data["alias"])
        return super().save(commit)


@admin.register(ProvinceAlias)
class ProvinceAliasAdmin(FoldedInPythonSearchMixin, admin.ModelAdmin):
    form = ProvinceAliasForm
    list_display = ("alias", "province", "is_former_province", "key")
    list_filter = ("is_former_province", "province")
    list_select_related = ("province",)
    search_fields = ("alias", "province__name")
    autocomplete_fields = ("province",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdminMixin, FoldedInPythonSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind", "province")
    list_select_related = ("province",)
    search_fields = ("name", "code")
    search_help_text = _("Commune, ward or special zone name, with or without accents.")
    ordering = ("province", Collate("name", VI_COLLATION))


class TeamManagerMixin:
    """Permissions of the organiser's page and its staff inline: a superuser, or an account whose
    role manages the team of this organiser (of some organiser, without one). Nobody else, whatever
    Django's model permissions say; adding and deleting organisers is the installation's."""

    def manages(self, request, organiser=None) -> bool:
        if is_superuser(request):
            return True
        managed = request.__dict__.get("_managed_organisers")
        if managed is None:
            # Read once per request: the page asks for each inline and button.
            ids = organisers_for(getattr(request, "user", None), "team.manage").values_list("pk", flat=True)
            managed = request._managed_organisers = set(ids)
        return bool(managed) if organiser is None else organiser.pk in managed


class MembershipInline(TeamManagerMixin, admin.TabularInline):
    """The organiser's staff and their roles, to read (what each role may do: events/policy.py).
    Invitations, role changes and removals go through the team page (events/teams.py), which
    logs each change and keeps the organiser's last administrator: one way to change a team."""

    model = Membership
    fk_name = "organiser"
    extra = 0
    fields = ("user", "role", "fairs", "created_at", "created_by")
    readonly_fields = fields
    verbose_name_plural = _("staff (change them on the team page)")

    @admin.display(description=_("only these fairs"))
    def fairs(self, obj):
        return ", ".join(str(event) for event in obj.events.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "created_by").prefetch_related("events")

    def has_view_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BankAccountForm(forms.ModelForm):
    # The bundled NAPAS bank list (tuanhang.kernel.vietqr.banks); stored as the BIN.
    bank_bin = forms.ChoiceField(label=_("bank"), choices=bank_choices)

    class Meta:
        model = OrganiserBankAccount
        fields = ("bank_bin", "account_number", "account_name", "branch")

    def clean_account_number(self):
        return "".join(self.cleaned_data["account_number"].replace(".", "").split())

    def clean_account_name(self):
        return fold(self.cleaned_data["account_name"]).upper()


class BankAccountInline(TeamManagerMixin, admin.TabularInline):
    """The organiser's accounts that receive booth fees; each fair names the one it uses."""

    model = OrganiserBankAccount
    form = BankAccountForm
    extra = 0

    def has_view_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.manages(request, obj)


@admin.register(Organiser)
class OrganiserAdmin(
    TeamManagerMixin, NotFoundMixin, PlainSelectFallbackMixin, FoldedInPythonSearchMixin, admin.ModelAdmin
):
    list_display = ("name", "short_name", "province", "phone", "email", "event_count")
    list_select_related = ("province",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("province",)
    plain_select_fallback = ("province",)
    inlines = (MembershipInline, BankAccountInline)

    def has_module_permission(self, request):
        return self.manages(request)

    def has_view_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.manages(request, obj)

    def has_add_permission(self, request):
        return is_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "team_url": reverse("team:page", args=[object_id])}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(n_events=subquery_count(Event.objects, "organiser"))
        if is_superuser(request):
            return queryset
        # Its own staff know their organiser exists: a role that may not manage the team gets 403
        # on its page; another organiser's page answers 404.
        return queryset.filter(pk__in=organisers_for(request.user).values("pk"))

    @admin.display(description=_("fairs"), ordering="n_events")
    def event_count(self, obj):
        return obj.n_events
