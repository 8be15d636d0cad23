"""Admin widgets and choice fields that survive hostile form data.

Django's autocomplete widgets, when a form comes back with errors, look the posted value up in
the database to show it again (`AutocompleteMixin.optgroups`): a posted "abc", "²" or a 30-digit
number for a foreign key then raises ValueError or OverflowError while the page renders — a 500
instead of the form's own "Select a valid choice" message. These subclasses drop the values the
target field cannot hold before that lookup; `install()` makes the admin use them for every
autocomplete field (ours and third-party admins alike)."""

from django.contrib.admin import options, widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.forms import models as form_models

# The widest integer a database key holds (PostgreSQL bigint; SQLite's integers are the same).
_KEY_RANGE = range(-(2**63), 2**63)


def _holdable(target_field, value) -> bool:
    try:
        python = target_field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return not isinstance(python, int) or python in _KEY_RANGE


class SafeAutocompleteMixin:
    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = remote_opts.get_field(getattr(self.field.remote_field, "field_name", remote_opts.pk.attname))
        return super().optgroups(name, [v for v in value if _holdable(to_field, v)], attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, widgets.AutocompleteSelectMultiple):
    pass


def _refusing_unholdable_ids(check_values):
    def _check_values(self, value):
        opts = self.queryset.model._meta
        key_field = opts.pk if (self.to_field_name or "pk") == "pk" else opts.get_field(self.to_field_name)
        if isinstance(value, list | tuple | set | frozenset):
            for pk in value:
                if isinstance(pk, str | int) and not _holdable(key_field, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return check_values(self, value)

    _check_values.refuses_unholdable_ids = True
    return _check_values


def _refusing_impossible_dates(get_filters):
    """A changelist's date drill-down (`date_hierarchy`) builds a datetime from the query string:
    a 30-digit year raises OverflowError and year 9999 ValueError outside Django's own check, a 500.
    Both are bad lookup parameters, which the admin answers by showing the list unfiltered."""

    def _get_filters(self, request):
        try:
            return get_filters(self, request)
        except IncorrectLookupParameters:
            raise
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    _get_filters.refuses_impossible_dates = True
    return _get_filters


def install():
    """Have ModelAdmin build the safe widgets, multiple choices of rows refuse ids no key can
    hold, and changelists refuse impossible dates (called once from an AppConfig.ready)."""
    if not getattr(ChangeList.get_filters, "refuses_impossible_dates", False):
        ChangeList.get_filters = _refusing_impossible_dates(ChangeList.get_filters)
    options.AutocompleteSelect = SafeAutocompleteSelect
    options.AutocompleteSelectMultiple = SafeAutocompleteSelectMultiple
    field = form_models.ModelMultipleChoiceField
    if not getattr(field._check_values, "refuses_unholdable_ids", False):
        field._check_values = _refusing_unholdable_ids(field._check_values)
