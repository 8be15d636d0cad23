"""django-celery-beat's schedule and periodic-task admins (superusers only), re-registered with forms
that answer a bad value with a field message instead of a server error (issue 17):

- a crontab's time zone is looked up in the list of known zones before zoneinfo opens a file by that
  name (a 10,000-character name raised OSError "file name too long" while the admin compared it
  with the initial value, and the admin's error page then failed on "human_readable");
- a crontab field celery cannot expand ("-1": celery's ParseException is no ValueError) gets a field
  message, and the read-only "human readable" line never raises on a value that was refused;
- a periodic task's arguments are JSON read without a RecursionError escaping ("[[[[…");
- a periodic task whose "task" field failed (too long, a control character) keeps its field
  message: the package's form read cleaned_data["task"] after the field had dropped out (KeyError).
"""

import re
import zoneinfo

from celery.schedules import crontab_parser
from cron_descriptor import ExpressionDescriptor, Options
from django import forms
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin, PeriodicTaskAdmin, PeriodicTaskForm
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from kombu.utils.json import loads

# The zones zoneinfo can open; "Factory" is a placeholder zone that some systems refuse.
KNOWN_TIMEZONES = frozenset(zoneinfo.available_timezones() - {"Factory"})
JSON_MESSAGE = _('Enter valid JSON, e.g. [1, 2] or {"key": "value"}.')
TIMEZONE_MESSAGE = _("Choose a time zone from the list, e.g. Asia/Ho_Chi_Minh.")
CRONTAB_MESSAGE = _("Enter a crontab value between %(low)s and %(high)s, e.g. *, 5, 1-5, */15 or 1,15.")
# The range of each crontab field, as celery expands it (max is exclusive there).
CRONTAB_RANGES = {
    "minute": (60, 0),
    "hour": (24, 0),
    "day_of_week": (7, 0),
    "day_of_month": (31, 1),
    "month_of_year": (12, 1),
}


def known_timezone(value):
    """The ZoneInfo of a zone name from the list; a field message for anything else (never a file lookup)."""
    if not isinstance(value, str) or value not in KNOWN_TIMEZONES:
        raise forms.ValidationError(TIMEZONE_MESSAGE, code="invalid_choice")
    return zoneinfo.ZoneInfo(value)


class CrontabScheduleForm(forms.ModelForm):
    timezone = forms.TypedChoiceField(
        label=_("Time zone"),
        choices=[(name, name) for name in sorted(KNOWN_TIMEZONES)],
        coerce=known_timezone,
        error_messages={"invalid_choice": TIMEZONE_MESSAGE},
    )

    class Meta:
        model = CrontabSchedule
        fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored value is a ZoneInfo (or a name): the choice list holds names.
        initial = self.initial.get("timezone")
        if initial is not None:
            self.initial["timezone"] = str(initial)

    def _clean_crontab(self, name):
        value = self.cleaned_data.get(name)
        high, low = CRONTAB_RANGES[name]
        try:
            crontab_parser(high, low).parse(str(value))
        except Exception:  # noqa: BLE001 (celery raises ParseException, ValueError or IndexError)
            last = high - 1 if low == 0 else high
            raise forms.ValidationError(CRONTAB_MESSAGE, code="invalid", params={"low": low, "high": last}) from None
        return value

    def clean_minute(self):
        return self._clean_crontab("minute")

    def clean_hour(self):
        return self._clean_crontab("hour")

    def clean_day_of_week(self):
        return self._clean_crontab("day_of_week")

    def clean_day_of_month(self):
        return self._clean_crontab("day_of_month")

    def clean_month_of_year(self):
        return self._clean_crontab("month_of_year")


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# cron_descriptor's Vietnamese catalogue leaves the day and month names in English ("từ Monday đến
# Friday"): named here, replaced after it describes.
_VI_NAMES = {
    "Monday": "thứ Hai",
    "Tuesday": "thứ Ba",
    "Wednesday": "thứ Tư",
    "Thursday": "thứ Năm",
    "Friday": "thứ Sáu",
    "Saturday": "thứ Bảy",
    "Sunday": "Chủ nhật",
    **{name: f"tháng {number}" for number, name in enumerate(MONTHS, start=1)},
}


def crontab_description(schedule) -> str:
    """The schedule in words in the active language ("Tại 04:00, từ thứ Hai đến thứ Sáu"), with
    its time zone; a stored value celery cannot expand is shown as it is."""
    expression = " ".join(
        (schedule.minute, schedule.hour, schedule.day_of_month, schedule.month_of_year, schedule.day_of_week)
    )
    options = Options()
    options.use_24hour_time_format = True
    vietnamese = (get_language() or "").startswith("vi")
    options.locale_code = "vi_VN" if vietnamese else "en_US"
    try:
        text = ExpressionDescriptor(expression, options).get_description()
    except Exception:  # noqa: BLE001 (cron_descriptor raises several kinds on a value it cannot read)
        return str(schedule)
    if vietnamese:
        text = re.sub(r"\b(" + "|".join(_VI_NAMES) + r")\b", lambda m: _VI_NAMES[m.group(1)], text)
    return f"{' '.join(text.split())} ({schedule.timezone})"


class SafeCrontabScheduleAdmin(CrontabScheduleAdmin):
    form = CrontabScheduleForm
    list_display = ("__str__", "readable")
    fields = ("readable", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("readable",)

    @admin.display(description=_("Schedule"))
    def readable(self, schedule):
        return crontab_description(schedule)


class SafePeriodicTaskForm(PeriodicTaskForm):
    def clean(self):
        # The package's clean() reads cleaned_data["task"]; when the field itself failed it has no
        # value there and its own message is already on the form.
        if "task" not in self.cleaned_data and self.has_error("task"):
            return self.cleaned_data
        self.cleaned_data.setdefault("task", "")
        return super().clean()

    def _clean_json(self, field):
        # The package catches ValueError only: a deeply nested array raised RecursionError.
        value = self.cleaned_data.get(field)
        if value is None:
            return value
        try:
            loads(value)
        except (ValueError, RecursionError):
            raise forms.ValidationError(JSON_MESSAGE, code="invalid_json") from None
        return value


class SafePeriodicTaskAdmin(PeriodicTaskAdmin):
    form = SafePeriodicTaskForm


for model, model_admin in ((CrontabSchedule, SafeCrontabScheduleAdmin), (PeriodicTask, SafePeriodicTaskAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
