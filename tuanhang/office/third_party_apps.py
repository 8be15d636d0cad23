"""Our own AppConfig for a third-party app whose name the admin shows untranslated (issue 19):
django-axes gives no verbose_name (the admin said "Axes"), and its access log reads "Access Log for
<user> @ <time>" in the log's title and breadcrumbs."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def access_log_title(log) -> str:
    return gettext("Login of %(username)s at %(time)s") % {
        "username": log.username,
        "time": date_format(localtime(log.attempt_time), "SHORT_DATETIME_FORMAT"),
    }


class AxesConfig(AxesAppConfig):
    verbose_name = _("Logins and lockouts")

    def ready(self):
        super().ready()
        from axes.models import AccessLog

        AccessLog.__str__ = access_log_title
