"""Form fields shared by every app."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy

from .params import is_id


def _check_ids(field, values):
    for pk in values:
        if not is_id(pk):
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
                if not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super().clean(value)


class DecimalField(forms.DecimalField):
    """A DecimalField that answers every number it cannot take with a field message: not a number,
    not finite ("inf", "NaN"), or outside the field's range ("1e309" would otherwise raise
    decimal.InvalidOperation wherever it is rounded). The range is min_value..max_value, each
    bounded by what max_digits and decimal_places can store.

    Subclasses read other ways of writing numbers by overriding parse(text) -> Decimal; it may
    raise ValueError or any decimal error for text it does not take."""

    default_error_messages = {
        "out_of_range": gettext_lazy("Enter a number from %(min)s to %(max)s."),
    }

    def parse(self, text: str) -> Decimal:
        return super().to_python(text)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = self.parse(str(value).strip())
        except ArithmeticError:
            # Decimal errors outside the parse's own checks: a number too large to round.
            raise self._out_of_range() from None
        except (ValueError, ValidationError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number is None or not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        low, high = self.range()
        if not low <= number <= high:
            raise self._out_of_range()
        return number

    def _out_of_range(self) -> ValidationError:
        low, high = self.range()
        return ValidationError(
            self.error_messages["out_of_range"],
            code="out_of_range",
            params={"min": formats.number_format(low), "max": formats.number_format(high)},
        )

    def range(self) -> tuple[Decimal, Decimal]:
        """The lowest and highest value the field takes."""
        high = Decimal("Infinity")
        if self.max_digits is not None:
            places = self.decimal_places or 0
            high = Decimal(10) ** (self.max_digits - places) - Decimal(10) ** -places
        low = -high
        if self.min_value is not None:
            low = max(low, Decimal(self.min_value))
        if self.max_value is not None:
            high = min(high, Decimal(self.max_value))
        return low, high
