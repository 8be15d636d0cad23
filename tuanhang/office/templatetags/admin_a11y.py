"""Accessible names for the admin's fields where Django's templates leave them without one (issue
22): the cells of a tabular inline (the column heading is not a label) and the date and time halves
of a split date-time field."""

import copy

from django import template
from django.forms import CheckboxSelectMultiple, MultiWidget, RadioSelect
from django.utils.translation import gettext as _

register = template.Library()


def _part_labels(widget) -> list[str]:
    parts = [_("Date:"), _("Time:")] if len(widget.widgets) == 2 else []
    return [p.rstrip(": ") for p in parts] or [str(i + 1) for i in range(len(widget.widgets))]


@register.filter
def labelled(bound_field, in_table=False):
    """The field's widget with an aria-label saying the field's label: on each part of a
    MultiWidget ("Registration opens: Date"), and in a table (`in_table`) on the widget itself.
    Groups of check boxes or radios keep the labels of their options."""
    if bound_field.is_hidden:
        return bound_field
    label = str(bound_field.label)
    widget = bound_field.field.widget
    wrapped = hasattr(widget, "widget")  # a related-object wrapper around a select
    inner = widget.widget if wrapped else widget
    if isinstance(inner, MultiWidget):
        inner = copy.deepcopy(inner)
        for sub, part in zip(inner.widgets, _part_labels(inner), strict=True):
            sub.attrs = {**sub.attrs, "aria-label": f"{label}: {part}"}
        if wrapped:
            widget = copy.copy(widget)
            widget.widget = inner
        return bound_field.as_widget(widget=widget if wrapped else inner)
    if in_table and not isinstance(inner, (CheckboxSelectMultiple, RadioSelect)):
        return bound_field.as_widget(attrs={"aria-label": label})
    return bound_field
