"""Everything stored about one business, for its "download my data" (Decree 13/2023: the data
subject's right to obtain its data).

The rows are found by walking the reverse relations from Vendor (`_meta`, hidden ones included),
the way the registry's merge finds them, so a model added later that points to a business or to
one of its rows (an application, a check-in…) is exported without anyone remembering, whichever
layer it lives in (booths, reminders, reports): the walk reads the app registry, it imports
nothing. tests/vendors/test_mydata.py holds that every such model is walked or listed in EXCLUDED.
"""

from __future__ import annotations

import datetime
import decimal
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from ..models import Vendor

# Models pointing to a business's rows that are deliberately not exported, with the reason.
EXCLUDED: dict[str, str] = {}

# Fields never exported: secrets and derived copies.
SKIPPED_FIELDS = {"search_text", "token", "password"}

# Built in memory up to this size, then on disk: the zip holds the documents themselves.
SPOOL_BYTES = 8 * 1024 * 1024


@dataclass
class Part:
    label: str  # "vendors.Payment"
    model: type[models.Model]
    lookup: str  # the filter from this model to the business's id: "application__vendor"


def _reverse_relations(model):
    """The one-to-many and one-to-one relations pointing to `model`, hidden ones included."""
    for relation in model._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            yield relation


def data_parts() -> list[Part]:
    """Every model whose rows belong to a business, breadth-first from Vendor, each once, with the
    lookup that filters it by the business. Models in EXCLUDED are left out, with what hangs below."""
    parts, seen, queue = [], {Vendor}, [(Vendor, "pk")]
    while queue:
        model, lookup = queue.pop(0)
        for relation in _reverse_relations(model):
            child = relation.related_model
            if child in seen or child._meta.auto_created or child._meta.label in EXCLUDED:
                continue
            seen.add(child)
            child_lookup = relation.field.name if lookup == "pk" else f"{relation.field.name}__{lookup}"
            parts.append(Part(child._meta.label, child, child_lookup))
            queue.append((child, child_lookup))
    return parts


@dataclass
class Export:
    data: dict
    files: list[tuple[str, str]] = field(default_factory=list)  # (name in the zip, storage name)


class _Rows:
    """Turns rows into JSON-ready dicts; a file becomes its name in the zip (and is collected)."""

    def __init__(self, export: Export, member_ids: set[int]):
        self.export = export
        self.member_ids = member_ids
        self.labels: dict = {}

    def _label(self, model, pk):
        key = (model, pk)
        if key not in self.labels:
            obj = model._default_manager.filter(pk=pk).first()
            self.labels[key] = str(obj) if obj is not None else None
        return self.labels[key]

    def _value(self, obj, model_field):
        if isinstance(model_field, models.ForeignKey):
            pk = getattr(obj, model_field.attname)
            if pk is None:
                return None
            if model_field.related_model._meta.label == settings.AUTH_USER_MODEL:
                # An account of the business by its login; a member of staff is not named.
                return self._label(model_field.related_model, pk) if pk in self.member_ids else "staff"
            return {"id": pk, "name": self._label(model_field.related_model, pk)}
        value = getattr(obj, model_field.attname)
        if isinstance(model_field, models.FileField):
            if not value:
                return None
            zip_name = f"files/{obj._meta.label_lower}/{obj.pk}/{PurePosixPath(str(value)).name}"
            self.export.files.append((zip_name, str(value)))
            return zip_name
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        if isinstance(value, (datetime.date, decimal.Decimal)):
            return str(value) if isinstance(value, decimal.Decimal) else value.isoformat()
        return value

    def row(self, obj) -> dict:
        out = {}
        for model_field in obj._meta.concrete_fields:
            if model_field.name not in SKIPPED_FIELDS:
                out[model_field.name] = self._value(obj, model_field)
        for m2m in obj._meta.many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                out[m2m.name] = [str(other) for other in getattr(obj, m2m.name).all()]
        return out


def _accounts(vendor: Vendor) -> list[dict]:
    """The business's accounts: who they are and how to reach them, never a password hash."""
    return [
        {
            "login": m.user.get_username(),
            "first_name": m.user.first_name,
            "last_name": m.user.last_name,
            "email": m.user.email,
            "role": m.get_role_display(),
            "active": m.user.is_active,
            "joined": timezone.localtime(m.user.date_joined).isoformat(),
            "last_login": timezone.localtime(m.user.last_login).isoformat() if m.user.last_login else None,
        }
        for m in vendor.memberships.select_related("user").order_by("created_at", "id")
    ]


def business_export(vendor: Vendor) -> Export:
    """Everything stored about `vendor`: the business, its accounts and every part's rows."""
    export = Export(data={})
    member_ids = set(vendor.memberships.values_list("user_id", flat=True))
    rows = _Rows(export, member_ids)
    export.data["exported_at"] = timezone.localtime().isoformat()
    export.data["business"] = rows.row(vendor)
    export.data["accounts"] = _accounts(vendor)
    for part in data_parts():
        objects = part.model._default_manager.filter(**{part.lookup: vendor.pk}).order_by("pk")
        export.data[part.label] = [rows.row(obj) for obj in objects]
    return export


def business_export_zip(vendor: Vendor):
    """The export as a zip (data.json and the stored files), in a temporary file rewound to its
    start: small ones stay in memory, big ones spill to disk, none is held whole in a string."""
    export = business_export(vendor)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  (the response closes it)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        missing = []
        for zip_name, stored_name in export.files:
            try:
                with default_storage.open(stored_name, "rb") as source, archive.open(zip_name, "w") as target:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
            except FileNotFoundError:
                missing.append(zip_name)
        export.data["files_missing"] = missing
        archive.writestr("data.json", json.dumps(export.data, ensure_ascii=False, indent=2, default=str))
    spool.seek(0)
    return spool


def organiser_ids_of_vendor(vendor: Vendor) -> list[int]:
    """The organisers of the fairs the business applied to (whose access logs hear of its export)."""
    return sorted(set(vendor.applications.values_list("event__organiser_id", flat=True)))
