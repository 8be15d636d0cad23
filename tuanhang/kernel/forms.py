"""Form fields shared by every app."""

import re

from django import forms
from django.core.exceptions import ValidationError

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit a 64-bit integer


def _check_ids(field, values):
    for pk in values:
        if not (isinstance(pk, int) or _ID.fullmatch(str(pk))):
            raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses ids the database cannot hold (SQLite raises OverflowError
    for integers past 64 bits, which would surface as a server error)."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            _check_ids(self, [value])
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The multiple-choice counterpart of IdChoiceField."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            values = [v for v in value if not isinstance(v, self.queryset.model)]
            for pk in values:
                if not (isinstance(pk, int) or _ID.fullmatch(str(pk))):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super().clean(value)
