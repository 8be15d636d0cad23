"""The participants' sales form: one row (sales, visitors) per day of the fair."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_SALES, MAX_VISITORS


class SalesForm(forms.Form):
    """Fields <day>-sales and <day>-visitors for each day; a day left empty has no figures."""

    def __init__(self, *args, days, today, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.days, self.rows = days, []
        for day in days:
            entry = entries.get(day)
            key = day.isoformat()
            disabled = day > today
            self.fields[f"{key}-sales"] = forms.IntegerField(
                label=_("Sales on %(day)s (VND)") % {"day": day.strftime("%d/%m/%Y")},
                required=False,
                min_value=0,
                max_value=MAX_SALES,
                disabled=disabled,
                initial=entry.sales if entry else None,
                error_messages={
                    "invalid": _("Enter the sales as a whole number of đồng, e.g. 1500000."),
                    "min_value": _("Sales cannot be negative."),
                    "max_value": _("Enter sales between 0 and 100.000.000.000 ₫."),
                },
            )
            self.fields[f"{key}-visitors"] = forms.IntegerField(
                label=_("Visitors on %(day)s (estimate)") % {"day": day.strftime("%d/%m/%Y")},
                required=False,
                min_value=0,
                max_value=MAX_VISITORS,
                disabled=disabled,
                initial=entry.visitors if entry else None,
                error_messages={
                    "invalid": _("Enter the number of visitors as a whole number."),
                    "min_value": _("The number of visitors cannot be negative."),
                    "max_value": _("Enter a visitor estimate between 0 and 1.000.000."),
                },
            )
            self.rows.append((day, disabled, key))

    def clean(self):
        data = super().clean()
        for _day, disabled, key in self.rows:
            if disabled:
                continue
            sales, visitors = data.get(f"{key}-sales"), data.get(f"{key}-visitors")
            if (sales is None) != (visitors is None) and f"{key}-sales" not in self.errors:
                missing = f"{key}-visitors" if visitors is None else f"{key}-sales"
                if missing not in self.errors:
                    self.add_error(missing, _("Give both the sales and the visitors of this day, or neither."))
        return data

    def figures(self) -> dict:
        result = {}
        for day, disabled, key in self.rows:
            if disabled:
                continue
            sales, visitors = self.cleaned_data.get(f"{key}-sales"), self.cleaned_data.get(f"{key}-visitors")
            result[day] = None if sales is None and visitors is None else (sales, visitors)
        return result

    def bound_rows(self):
        return [(day, disabled, self[f"{key}-sales"], self[f"{key}-visitors"]) for day, disabled, key in self.rows]
