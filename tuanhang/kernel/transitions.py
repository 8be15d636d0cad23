"""Status changes, as every service that steps a status makes them: the check against its table of
allowed steps, and handing the locked row's new values back to the caller's instance."""

from django.core.exceptions import ValidationError


def check_transition(table, choices, from_status: str, to_status: str, message: str) -> None:
    """Raise ValidationError (code "invalid_transition") unless `table` allows from_status → to_status.

    `table` maps each status to the set it may go to; `choices` is the TextChoices of the statuses;
    `message` is translated text with %(from)s and %(to)s, filled with the two statuses' labels."""
    if to_status not in table[from_status]:
        raise ValidationError(
            message % {"from": choices(from_status).label, "to": choices(to_status).label},
            code="invalid_transition",
        )


def copy_fields(source, target, fields) -> None:
    """Give `target` (the instance the caller holds) the values of `fields` on `source` (the row
    just locked and saved), so the caller sees the change without reading it again."""
    for field in fields:
        setattr(target, field, getattr(source, field))
