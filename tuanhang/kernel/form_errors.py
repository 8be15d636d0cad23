"""What went wrong on a page's forms, for the error summary at the top of every page.

base.html asks once per page (events' `form_errors` tag library): every bound form or formset in
the template context that has errors contributes its non-field errors and then each invalid field's
messages, in the form's field order, each with the id of the element a link should reach (the input
itself; the first option of a group of radios or checkboxes; the first part of a multi-widget).
Views need do nothing: a form they pass to the template is found by looking at the context.
"""

from dataclasses import dataclass

from django.forms import BaseForm, BaseFormSet, FileField
from django.forms.widgets import ChoiceWidget, MultiWidget


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""
    anchor: str = ""  # the id a link "#anchor" points at; empty for non-field errors


def _anchor(bound_field) -> str:
    widget = bound_field.field.widget
    if widget.is_hidden:
        return ""
    id_ = widget.attrs.get("id") or bound_field.auto_id
    if not id_:
        return ""
    if isinstance(widget, ChoiceWidget):
        # Radios and checkboxes: the first option (a Select keeps its own id).
        return widget.id_for_label(id_, "0")
    if isinstance(widget, MultiWidget):
        return widget.id_for_label(id_)
    return id_


def _form_errors(form: BaseForm) -> list[FormError]:
    errors = [FormError(message=str(message)) for message in form.non_field_errors()]
    for bound_field in form:
        for message in bound_field.errors:
            if bound_field.is_hidden:
                # A hidden field has no label or input to reach: its message stands alone.
                errors.append(FormError(message=str(message)))
            else:
                errors.append(
                    FormError(message=str(message), label=str(bound_field.label or ""), anchor=_anchor(bound_field))
                )
    return errors


def _invalid(value) -> bool:
    return getattr(value, "is_bound", False) and not value.is_valid()


def _invalid_forms(values):
    seen: set[int] = set()
    for value in values:
        # type(), not isinstance(): isinstance asks a lazy value for its __class__ and so evaluates
        # it, and the context's lazy csrf_token would then set a cookie on every page (a public
        # page with a cookie is no longer cached).
        if id(value) in seen or not issubclass(type(value), BaseForm | BaseFormSet) or not _invalid(value):
            continue
        seen.add(id(value))
        yield value


def files_to_choose_again(values) -> list[str]:
    """Labels of the file fields of refused forms whose file was sent and passed its own checks:
    a browser never sends a file again by itself, so the page must say to choose it again. A form
    that keeps such files on the server itself (the application keeps them on its draft) says so
    with `keeps_files = True`. A file refused by its own field has its own message instead."""
    labels = []
    for value in _invalid_forms(values):
        forms = value.forms if isinstance(value, BaseFormSet) else [value]
        for form in forms:
            if getattr(form, "keeps_files", False):
                continue
            for bound_field in form:
                sent = form.files.get(bound_field.html_name)
                if isinstance(bound_field.field, FileField) and sent and not bound_field.errors:
                    labels.append(str(bound_field.label or sent.name))
    return labels


def errors_in(values) -> list[FormError]:
    """The errors of every bound, invalid form or formset among `values` (each counted once)."""
    errors: list[FormError] = []
    for value in _invalid_forms(values):
        if isinstance(value, BaseFormSet):
            errors.extend(FormError(message=str(message)) for message in value.non_form_errors())
            for form in value.forms:
                errors.extend(_form_errors(form))
        else:
            errors.extend(_form_errors(value))
    return errors
