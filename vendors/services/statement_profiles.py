"""Saving an organiser's own statement layout from the mapping screen (issue 20 part B2)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuanhang.kernel.bank_statements import FIELDS, mapping_errors

from ..models import StatementProfile


def statement_profile_save(*, organiser, name: str, columns: dict, date_format: str = "") -> StatementProfile:
    """Store (or replace, by name) the organiser's column mapping: field → the header text picked.

    Raises ValidationError with the mapping's missing columns (mapping_errors) when it cannot read
    a statement."""
    columns = {key: value for key, value in columns.items() if key in FIELDS and value}
    errors = mapping_errors(columns)
    if errors:
        raise ValidationError(errors)
    name = (name or "").strip()[:80]
    if not name:
        raise ValidationError({"name": _("Give the layout a name, e.g. the bank's.")})
    with transaction.atomic():
        profile, _created = StatementProfile.objects.update_or_create(
            organiser=organiser, name=name, defaults={"columns": columns, "date_format": date_format}
        )
    return profile
