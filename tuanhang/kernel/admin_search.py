"""Helpers shared by the apps' admin modules: accent-insensitive search, per-request
choice caching for inline selects, and a correlated count for changelist columns.

Accent-insensitive search works the same on SQLite and PostgreSQL because it never asks
the database to strip accents: the user's words go through tuanhang.kernel.vn.fold() and are
compared with a column that save() already keeps folded (`search_text`), or, for small
reference tables, with names folded in Python.
"""

from collections import defaultdict

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import smart_split, unescape_string_literal

from tuanhang.kernel.vn import fold

FOLDED_SUFFIX = "search_text"


def search_bits(search_term: str) -> list[str]:
    """The user's search words, quoted phrases kept whole (as the Django admin does)."""
    bits = []
    for bit in smart_split(search_term or ""):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if bit.strip():
            bits.append(bit.strip())
    return bits


class FoldedSearchMixin:
    """ModelAdmin mixin: accent- and case-insensitive search through folded columns.

    Entries of `search_fields` whose last part is `search_text` (e.g. "search_text",
    "vendor__search_text") are compared with each folded word using `contains`, so
    "dong thap", "ĐỒNG THÁP" and "Đồng Tháp" all find "… Đồng Tháp …" and đ matches d.
    Other entries keep the Django meaning: "=field" exact (case-insensitive), "^field"
    prefix, plain "field" icontains on the word as typed. Every word must match some field.
    `extra_search_condition()` may add one more way for the whole term to match (a phone number).
    """

    def extra_search_condition(self, search_term: str) -> Q | None:
        return None

    def get_search_results(self, request, queryset, search_term):
        fields = [str(f) for f in self.get_search_fields(request)]
        bits = search_bits(search_term)
        if not fields or not bits:
            return queryset, False
        lookups = [self._search_lookup(field) for field in fields]
        condition = Q()
        for bit in bits:
            folded = fold(bit)
            any_field = Q()
            for path, lookup, is_folded in lookups:
                value = folded if is_folded else bit
                if value:
                    any_field |= Q(**{f"{path}__{lookup}": value})
            condition &= any_field
        extra = self.extra_search_condition(search_term)
        if extra is not None:
            condition |= extra
        may_have_duplicates = any(lookup_spawns_duplicates(self.opts, path) for path, _, _ in lookups)
        return queryset.filter(condition), may_have_duplicates

    @staticmethod
    def _search_lookup(field: str) -> tuple[str, str, bool]:
        if field.startswith("="):
            return field[1:], "iexact", False
        if field.startswith("^"):
            return field[1:], "istartswith", False
        if field.split("__")[-1] == FOLDED_SUFFIX:
            return field, "contains", True
        return field, "icontains", False


class FoldedInPythonSearchMixin:
    """ModelAdmin mixin for small tables (provinces, categories, organisers, fairs…) that have
    no folded column: reads the `search_fields` values in one query, folds them in Python and
    keeps the rows where every folded word appears in one of them. Related paths work
    ("aliases__alias" finds a province by its former name)."""

    def get_search_results(self, request, queryset, search_term):
        fields = [str(f).lstrip("=^") for f in self.get_search_fields(request)]
        bits = [fold(bit) for bit in search_bits(search_term)]
        bits = [bit for bit in bits if bit]
        if not fields or not bits:
            return queryset, False
        texts = defaultdict(set)
        for pk, *values in self.model._default_manager.values_list("pk", *fields):
            texts[pk].update(fold(str(value)) for value in values if value)
        hits = [pk for pk, values in texts.items() if all(any(bit in value for value in values) for bit in bits)]
        return queryset.filter(pk__in=hits), False


class CachedChoicesInlineMixin:
    """InlineModelAdmin mixin: the foreign-key selects named in `cached_choice_fields` read
    their choices once per formset instead of once per row (a ModelChoiceField re-runs its
    queryset for every form it is copied into)."""

    cached_choice_fields: tuple[str, ...] = ()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self.cached_choice_fields
        cache = {}

        class CachedChoicesForm(formset.form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                for name in names:
                    field = self.fields.get(name)
                    if field is None or not hasattr(field, "queryset"):
                        continue
                    if name not in cache:
                        cache[name] = list(field.choices)
                    field.choices = cache[name]

        CachedChoicesForm.__name__ = formset.form.__name__
        formset.form = CachedChoicesForm
        return formset


def subquery_count(queryset, outer_field: str):
    """A correlated COUNT for annotating a changelist: how many rows of `queryset` point
    at the outer row through `outer_field` (e.g. subquery_count(Application.objects, "event")).
    Unlike Count() over joins, several of these do not multiply each other's rows."""
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ReadOnlyAdminMixin:
    """A ModelAdmin for records written only by services (histories) or loaded from official
    reference data: organisers may list and view them, never add, change or delete (the same
    three refusals serve ReadOnlyInlineMixin)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInlineMixin(ReadOnlyAdminMixin):
    """An inline that only shows rows (a summary or a history): no adding, editing or deleting
    from the parent's page. Subclasses give `fields` (also used as readonly_fields)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields


def is_autocomplete_for(request, model, field_name: str) -> bool:
    """True when `request` is the admin autocomplete asking for choices of `model.field_name`
    (so a search can offer only sensible choices, e.g. free booths for a new assignment)."""
    params = request.GET
    return (
        params.get("app_label") == model._meta.app_label
        and params.get("model_name") == model._meta.model_name
        and params.get("field_name") == field_name
    )
