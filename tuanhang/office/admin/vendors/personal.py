"""The admin's spreadsheet exports of applications and businesses, as the account may see them:
a household's tax code (its owner's personal ID number) in full only on the rows of fairs where
the account has personal.view, masked on the others; each export written to the access log."""

from events.access_log import admin_export_logged
from events.policy import fairs_filter, fairs_for
from tuanhang.office.printing.exports import application_table, vendor_table
from vendors.models import Application


def application_export(queryset, request):
    user = request.user
    personal = True if user.is_superuser else set(fairs_for(user, "personal.view").values_list("pk", flat=True))
    table = application_table(queryset, personal=personal)
    admin_export_logged(
        request, label=f"{Application._meta.verbose_name_plural}: {len(table.rows)}", personal=bool(personal)
    )
    return table


def vendor_export(queryset, request):
    user = request.user
    if user.is_superuser:
        personal = True
    else:
        seen = Application.objects.filter(fairs_filter(user, "personal.view", "event__"), vendor__in=queryset)
        personal = set(seen.values_list("vendor_id", flat=True))
    table = vendor_table(queryset, personal=personal)
    admin_export_logged(
        request, label=f"{queryset.model._meta.verbose_name_plural}: {len(table.rows)}", personal=bool(personal)
    )
    return table
