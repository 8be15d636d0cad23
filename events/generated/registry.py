"""What can be built from a fair's data: documents (PDF prints, reports) kept as GeneratedFile
rows, and spreadsheet exports downloaded at once. Apps register theirs when Django starts
(their AppConfig.ready imports the module that calls register()/register_export()).

A document is a Builder:
- collect(event, options) reads, through selectors, everything the document shows, as plain
  values (dataclasses, tuples): their repr() is fingerprinted, so the file is rebuilt exactly
  when what it shows changes;
- render(event, data, options, progress) -> bytes makes the file (progress(done, total) as it goes);
- quick(data) says whether it is small enough to build during the request (well under a second);
  everything else is built by the worker with a progress bar;
- form is the Django form of its options (shown on the printing page, also used to check
  the command line's options); filename(event, options) names the download;
- listed_on names the staff page that offers it (the printing page unless another part of the
  project lists its documents itself, as the reports page does); the file's page links back there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PRINTING_PAGE = "events:printing"


class OptionsForm(forms.Form):
    """Base of a document's options form: it gets the fair (to list its rows, say), may ignore it."""

    def __init__(self, *args, event=None, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)


class DefaultChoiceField(forms.ChoiceField):
    """A choice that falls back to its default when left out (the command line's options)."""

    def __init__(self, *, default, **kwargs):
        self.default = default
        super().__init__(required=False, initial=default, **kwargs)

    def clean(self, value):
        return super().clean(value) or self.default


@dataclass(frozen=True)
class Builder:
    kind: str
    label: Any  # lazy translation
    collect: Callable[..., Any]
    render: Callable[..., bytes]
    filename: Callable[..., str]
    form: type[OptionsForm] = OptionsForm
    quick: Callable[[Any], bool] = field(default=lambda data: False)
    description: Any = ""
    content_type: str = "application/pdf"
    # Bump when the layout changes: files built by an older version are then rebuilt.
    version: str = "1"
    position: int = 100
    describe: Callable[[dict], str] | None = None
    listed_on: str = PRINTING_PAGE  # URL name of the staff page offering it (takes the fair's slug)
    listed_on_label: Any = _("Printing")

    def make_form(self, data=None, *, event=None, prefix=None) -> OptionsForm:
        return self.form(data, event=event, prefix=prefix)

    def clean(self, raw: Mapping | None, *, event=None) -> dict:
        """The options as the form cleans them, in a JSON-friendly form (model instances by
        their pk). Raises ValidationError with the form's messages when they are wrong."""
        form = self.make_form(dict(raw or {}), event=event)
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
                    for name, errors in form.errors.items()
                ]
            )
        return plain_options(form)

    def options_text(self, options: dict) -> str:
        """The options in words ("Paper: A3 · Colours: by zone"): choice fields by their labels,
        yes/no fields by their names; fields of other kinds are described by `describe`."""
        if self.describe is not None:
            return self.describe(options)
        form = self.form()
        parts = []
        for name, field_ in form.fields.items():
            value = options.get(name)
            if isinstance(field_, forms.BooleanField):
                if value:
                    parts.append(str(field_.label))
            elif isinstance(field_, forms.ChoiceField) and not isinstance(field_, forms.ModelChoiceField):
                label = dict(field_.choices).get(value)
                if label is not None:
                    parts.append(f"{field_.label}: {label}")
        return " · ".join(parts)


def plain_options(form: forms.Form) -> dict:
    """A valid form's cleaned data in a JSON-friendly form (model instances by their pk)."""
    return {name: _plain(value) for name, value in form.cleaned_data.items()}


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if value in (None, ""):
        return None
    return value


@dataclass(frozen=True)
class Export:
    """A spreadsheet of a fair: table(event) -> tuanhang.kernel.spreadsheets.Table.

    An export that shows personal data (a household's personal ID number) says so with
    `personal_data=True`; its table then takes `personal=` and masks that data when it is False
    (the viewer's role lacks personal.view at the fair)."""

    key: str
    label: Any
    table: Callable[..., Any]
    filename: Callable[..., str]
    position: int = 100
    personal_data: bool = False

    def table_for(self, event, *, personal: bool):
        return self.table(event, personal=personal) if self.personal_data else self.table(event)


_BUILDERS: dict[str, Builder] = {}
_EXPORTS: dict[str, Export] = {}


def register(builder: Builder) -> Builder:
    if _BUILDERS.get(builder.kind, builder) is not builder:
        raise ValueError(f"a document {builder.kind!r} is already registered")
    _BUILDERS[builder.kind] = builder
    return builder


def register_export(export: Export) -> Export:
    if _EXPORTS.get(export.key, export) is not export:
        raise ValueError(f"an export {export.key!r} is already registered")
    _EXPORTS[export.key] = export
    return export


def get_builder(kind: str) -> Builder:
    """The registered document `kind`; LookupError when there is none."""
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise LookupError(kind) from None


def get_export(key: str) -> Export:
    try:
        return _EXPORTS[key]
    except KeyError:
        raise LookupError(key) from None


def builders(listed_on: str | None = PRINTING_PAGE) -> list[Builder]:
    """The documents a staff page offers (all of them with listed_on=None), in their order."""
    chosen = [b for b in _BUILDERS.values() if listed_on is None or b.listed_on == listed_on]
    return sorted(chosen, key=lambda b: (b.position, b.kind))


def exports() -> list[Export]:
    return sorted(_EXPORTS.values(), key=lambda e: (e.position, e.key))
