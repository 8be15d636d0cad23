"""The Django admin scoped by the policy (issue 16): what a staff account sees and changes in the
admin follows events/policy.py, the same as the staff pages.

    class ZoneAdmin(FairScopedAdmin, admin.ModelAdmin):
        fair_path = "event"                  # how a row reaches its fair ("" for Event itself)
        view_capability = "fair.view"        # to list and read the rows
        change_capability = "fair.manage"    # to add, change, delete them and run change actions

A row of a fair the user may not see answers 404 on its change, delete and history pages (the
same as an id that does not exist); a row it sees without the capability answers 403 with the
role's Vietnamese refusal. Foreign-key and many-to-many choices, list filters and actions only
reach rows of the user's fairs; autocomplete reads the target admin's (scoped) queryset. Django's
model permissions no longer matter for these models: the policy decides. A superuser sees all.

This module sits in events, the lowest layer that knows fairs, so the booths, vendors and office
admin modules all use it.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Event
from .policy import REFUSALS, can, can_anywhere, fairs_filter, organiser_ids_for


def is_superuser(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_active and user.is_superuser)


def fair_prefix(fair_path: str) -> str:
    return f"{fair_path}__" if fair_path else ""


def follow(obj, path: str):
    """The object at the end of `path` ("application__event") from `obj` ("" → obj itself)."""
    for part in path.split("__") if path else ():
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def scoped_admin(admin_site, model):
    """The FairScopedAdmin registered for `model`, or None."""
    try:
        model_admin = admin_site.get_model_admin(model)
    except NotRegistered:
        return None
    return model_admin if isinstance(model_admin, FairScopedAdmin) else None


def scope_for(admin_site, model, user, capability) -> Q | None:
    """A filter on `model` for the rows of the fairs where `user` has `capability`, or None when
    `model` belongs to no fair (reference data, accounts, businesses)."""
    if model is Event:
        return fairs_filter(user, capability)
    model_admin = scoped_admin(admin_site, model)
    if model_admin is None:
        return None
    return fairs_filter(user, capability, fair_prefix(model_admin.fair_path))


class NotFoundMixin:
    """A change, delete or history address of a row that does not exist, or that the user may not
    see, answers 404 whatever the user's role (Django would answer 403 to a role without the
    permission, or redirect to the index saying the row does not exist)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Nothing with this address."))
        return obj


class RefusedNotHiddenMixin(NotFoundMixin):
    """A row the user sees (of a fair, or of an organiser, of its own) that its role may not read
    answers 403 with the reason; any other row 404. Subclasses say what "sees" means (_visible)."""

    view_capability = "fair.view"

    def get_object(self, request, object_id, from_field=None):
        try:
            return super().get_object(request, object_id, from_field)
        except Http404:
            if not is_superuser(request) and self._visible(request, object_id, from_field):
                raise PermissionDenied(_(REFUSALS[self.view_capability])) from None
            raise

    def _visible(self, request, object_id, from_field) -> bool:
        raise NotImplementedError


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a fair, or on a row of a fair (zone, booth type…), that offers only the
    user's fairs (those where the model admin's view capability holds)."""

    def field_choices(self, field, request, model_admin):
        capability = getattr(model_admin, "view_capability", None)
        scope = scope_for(model_admin.admin_site, field.related_model, request.user, capability)
        if scope is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=scope)


def scoped_list_filter(model_admin, model, list_filter):
    """`list_filter` with every plain relation to a fair-scoped model given the scoped filter."""
    scoped = []
    for item in list_filter:
        if isinstance(item, str):
            try:
                field = get_fields_from_path(model, item)[-1]
            except (FieldDoesNotExist, NotRelationField):
                field = None
            related = getattr(field, "related_model", None)
            if related is not None and (related is Event or scoped_admin(model_admin.admin_site, related)):
                item = (item, ScopedRelatedFieldListFilter)
        scoped.append(item)
    return scoped


class FairScopedAdmin(RefusedNotHiddenMixin):
    """Mixed into a ModelAdmin or an inline of rows that belong to a fair (put it after
    ReadOnlyAdminMixin / ReadOnlyInlineMixin, whose refusals win)."""

    fair_path = "event"
    view_capability = "fair.view"
    change_capability = "fair.manage"
    # action name → capability it needs (otherwise: change_capability for actions that need the
    # "change", "add" or "delete" permission, view_capability for the others)
    action_capabilities = {"export_xlsx": "export", "export_csv": "export"}

    # --- which rows ------------------------------------------------------------------------

    def scope(self, request, capability) -> Q:
        return fairs_filter(request.user, capability, fair_prefix(self.fair_path))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        return queryset.filter(self.scope(request, self.view_capability))

    def _visible(self, request, object_id, from_field) -> bool:
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except (ValidationError, ValueError):
            return False
        rows = self.model._default_manager.filter(**{field.name: value})
        return rows.filter(self.scope(request, None)).exists()

    # --- the fair of an object -------------------------------------------------------------

    def fair_of(self, obj):
        """The fair of `obj`: a row of this admin's model, or the parent row of an inline."""
        if obj is None:
            return None
        if isinstance(obj, Event):
            return obj
        if isinstance(obj, self.model):
            return follow(obj, self.fair_path)
        parent_admin = scoped_admin(self.admin_site, type(obj))
        return parent_admin.fair_of(obj) if parent_admin is not None else None

    def may(self, request, capability, obj=None) -> bool:
        """Whether the user has `capability` at the fair of `obj` (at some fair, without one)."""
        if is_superuser(request):
            return True
        user = getattr(request, "user", None)
        fair = self.fair_of(obj)
        return can(user, capability, fair) if fair is not None else can_anywhere(user, capability)

    # --- permissions: the policy, not Django's model permissions ---------------------------

    def has_module_permission(self, request):
        return self.may(request, self.view_capability)

    def has_view_permission(self, request, obj=None):
        return self.may(request, self.view_capability, obj)

    def has_add_permission(self, request, obj=None):
        # ModelAdmin asks with the request only; an inline passes its parent row.
        return self.may(request, self.change_capability, obj)

    def has_change_permission(self, request, obj=None):
        return self.may(request, self.change_capability, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may(request, self.change_capability, obj)

    # --- choices: foreign keys, many-to-many, list filters ---------------------------------

    def scoped_choices(self, db_field, request, queryset):
        """`queryset` (or the related model's rows) limited to the fairs where the user has the
        change capability, when the related model belongs to a fair."""
        model = db_field.remote_field.model
        if is_superuser(request):
            return queryset
        scope = scope_for(self.admin_site, model, request.user, self.change_capability)
        if scope is None:
            return queryset
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = model._default_manager.all()
        return queryset.filter(scope)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self.scoped_choices(db_field, request, kwargs.get("queryset"))
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = self.scoped_choices(db_field, request, kwargs.get("queryset"))
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        return scoped_list_filter(self, self.model, super().get_list_filter(request))

    # --- actions ---------------------------------------------------------------------------

    def action_capability(self, name, func) -> str:
        if name in self.action_capabilities:
            return self.action_capabilities[name]
        needs = set(getattr(func, "allowed_permissions", ()))
        return self.change_capability if needs & {"add", "change", "delete"} else self.view_capability

    def get_actions(self, request):
        actions = super().get_actions(request)
        if is_superuser(request):
            return actions
        return {
            name: entry
            for name, entry in actions.items()
            if can_anywhere(request.user, self.action_capability(name, entry[0]))
        }

    def response_action(self, request, queryset):
        # The action runs only on the selected rows of fairs where the user may do what it does.
        if not is_superuser(request):
            # The action Django will run, found as Django finds it (an index that is not a
            # number falls back to the first action's form), so the scope always matches it.
            names = request.POST.getlist("action")
            try:
                index = int(request.POST.get("index", 0))
            except ValueError:
                index = 0
            name = names[index] if 0 <= index < len(names) else None
            entry = self.get_actions(request).get(name)
            if entry is None:
                queryset = queryset.none()
            else:
                queryset = queryset.filter(self.scope(request, self.action_capability(name, entry[0])))
        return super().response_action(request, queryset)


class OrganiserRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on the organiser that offers only the user's organisers."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if is_superuser(request):
            return choices
        mine = model_admin.organiser_ids(request, model_admin.view_capability)
        return [(pk, label) for pk, label in choices if pk in mine]


class OrganiserScopedAdmin(RefusedNotHiddenMixin):
    """Mixed into a ModelAdmin of rows that belong to an organiser, not to one of its fairs (its
    category aliases): a staff account sees the rows of the organisers where its role has
    `view_capability` and adds, changes and deletes those where it has `change_capability`; another
    organiser's row answers 404. A superuser sees all."""

    organiser_field = "organiser"
    view_capability = "fair.view"
    change_capability = "fair.manage"

    def organiser_ids(self, request, capability) -> set[int]:
        return organiser_ids_for(request.user, capability)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        ids = self.organiser_ids(request, self.view_capability)
        return queryset.filter(**{f"{self.organiser_field}_id__in": ids})

    def _visible(self, request, object_id, from_field) -> bool:
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            value = field.to_python(object_id)
        except (ValidationError, ValueError):
            return False
        mine = organiser_ids_for(request.user, "fair.view")  # every role of a membership has it
        rows = self.model._default_manager.filter(**{field.name: value, f"{self.organiser_field}_id__in": mine})
        return rows.exists()

    def may(self, request, capability, obj=None) -> bool:
        if is_superuser(request):
            return True
        ids = self.organiser_ids(request, capability)
        return getattr(obj, f"{self.organiser_field}_id") in ids if obj is not None else bool(ids)

    def has_module_permission(self, request):
        return self.may(request, self.view_capability)

    def has_view_permission(self, request, obj=None):
        return self.may(request, self.view_capability, obj)

    def has_add_permission(self, request):
        return self.may(request, self.change_capability)

    def has_change_permission(self, request, obj=None):
        return self.may(request, self.change_capability, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may(request, self.change_capability, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.organiser_field and not is_superuser(request):
            ids = self.organiser_ids(request, self.change_capability)
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        return [
            (item, OrganiserRelatedFieldListFilter) if item == self.organiser_field else item
            for item in super().get_list_filter(request)
        ]


class PlainSelectFallbackMixin:
    """The autocomplete fields named in `plain_select_fallback` become plain selects for a user
    who may not view the target's admin (reference data keeps Django's model permissions, so an
    organiser without them still picks a province in a list)."""

    plain_select_fallback = ()

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if is_superuser(request) or not self.plain_select_fallback:
            return fields
        kept = []
        for name in fields:
            if name in self.plain_select_fallback:
                target = self.opts.get_field(name).remote_field.model
                target_admin = self.admin_site._registry.get(target)
                if target_admin is None or not target_admin.has_view_permission(request):
                    continue
            kept.append(name)
        return tuple(kept)
