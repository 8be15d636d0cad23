"""Checking rows of a participant list like the web form, and writing them all or nothing.

validate_table() binds each row to VendorForm (lookups loaded once per import, not per row) and
returns an ImportPlan that says what every row would do; run_import() applies the all-or-nothing
rule and writes through vendors.services.vendors_import in one transaction.
"""

import copy
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.categories import CategoryMatcher, category_key
from events.models import Category, CategoryAlias
from events.reference import ProvinceResolver
from events.services import category_aliases_confirm
from tuanhang.kernel import tabular
from tuanhang.kernel.params import MAX_ID, BadParameter, is_digits, parse_int
from tuanhang.kernel.tabular import RowError, Table
from tuanhang.kernel.vn import clean_tax_code

from ..forms import CategoryNamesField, ProvinceField, VendorForm
from ..hooks import booths_held
from ..models import Application, Vendor, VendorFormerCode
from ..services import vendors_import
from .reading import REQUIRED, parse_kind

# A status in which an imported list may still change how many booths an application asks for.
BOOTHS_EDITABLE = {
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.WAITLISTED,
    Application.Status.APPROVED,
}


class _Lookups:
    """Everything a row is checked against, loaded once per import (a few queries in all)."""

    def __init__(self, tax_codes, event, organiser=None):
        self.resolver = ProvinceResolver()
        self.provinces = {p.code: p for p in self.resolver.by_key.values()}
        # The organiser's confirmed words: the fair's organiser, or the one the import is run for
        # (none known: no alias).
        if organiser is None and event is not None:
            organiser = event.organiser_id
        organiser_id = getattr(organiser, "pk", organiser)
        aliases = CategoryAlias.objects.filter(organiser_id=organiser_id)
        self.categories = CategoryMatcher(
            Category.objects.all(), {alias.word: alias.category for alias in aliases.select_related("category")}
        )
        self.vendors = {v.tax_code: v for v in Vendor.objects.filter(tax_code__in=tax_codes)}
        # A code a business had before (merged or changed) finds that business, not a new record.
        for former in VendorFormerCode.objects.filter(tax_code__in=tax_codes).select_related("vendor"):
            self.vendors.setdefault(former.tax_code, former.vendor)
        self.applications = {}
        if event is not None:
            queryset = Application.objects.filter(event=event, vendor__in=self.vendors.values())
            self.applications = {a.vendor_id: a for a in queryset}
            held = booths_held([a.pk for a in self.applications.values()])
            for application in self.applications.values():
                application.active_booths = held.get(application.pk, 0)


class _ImportProvinceField(ProvinceField):
    """ProvinceField answering from the import's shared resolver instead of one resolver per row."""

    lookups = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if is_digits(value, max_length=2):
            province = self.lookups.provinces.get(value.zfill(2))
        else:
            province = self.lookups.resolver.resolve(value)
        if province is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return province


class _ImportCategoriesField(CategoryNamesField):
    """Category words separated by ";" (or ","), matched loosely (events.categories): a word that
    matches nothing is kept in `unmatched` for the import's warnings, never a row error."""

    lookups = None

    def clean(self, value):
        chosen, self.unmatched = [], []
        for name in (part.strip() for part in re.split(r"[;,\n]", value or "")):
            if not name:
                continue
            category = self.lookups.categories.match(name)
            if category is None:
                self.unmatched.append(name)
            elif category not in chosen:
                chosen.append(category)
        return chosen


class ImportVendorForm(VendorForm):
    """VendorForm for one spreadsheet row: shared lookups, and only the columns the row fills in,
    so updating a participant keeps what the file leaves blank (website, description, empty cells)."""

    def __init__(self, *args, lookups, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups
        for name, field_class in (("province", _ImportProvinceField), ("categories", _ImportCategoriesField)):
            replacement = field_class(label=self.fields[name].label, required=self.fields[name].required)
            replacement.lookups = lookups
            self.fields[name] = replacement
        for name in list(self.fields):
            if name not in REQUIRED and name not in columns:
                del self.fields[name]

    def _get_validation_exclusions(self):
        # The province is a row the resolver loaded: the model's "does this foreign key exist" query
        # would only repeat that, once per row.
        return super()._get_validation_exclusions() | {"province"}

    def tax_code_taken(self, tax_code: str) -> bool:
        """Answer VendorForm's clash check from the preload (used once forms.py calls this hook)."""
        known = self.lookups.vendors.get(tax_code)
        return known is not None and known.pk != self.instance.pk

    def validate_unique(self):
        # The importer matched existing participants by tax code in one query and bound them as the
        # instance; the database's unique constraint still guards the write.
        pass


@dataclass
class RowResult(tabular.RowResult):
    """One spreadsheet row checked: what it would do and what is wrong with it."""

    form: ImportVendorForm | None = None
    existing: Vendor | None = None
    booths: int | None = None
    application: Application | None = None
    application_action: str = ""  # "create", "update" (booths), "keep" or "" without a fair
    unmatched_categories: list = field(default_factory=list)  # words of "Nhóm hàng" matching no category

    @property
    def action(self) -> str:
        return "update" if self.existing is not None else "create"

    @property
    def province(self):
        return self.form.cleaned_data.get("province") if self.form is not None else None

    @property
    def tax_code(self) -> str:
        return self.form.cleaned_data.get("tax_code", "") if self.is_valid else self.values.get("tax_code", "")


@dataclass
class ImportPlan(tabular.ImportPlan):
    event: object = None

    @property
    def warnings(self) -> list[dict]:
        """Each category word no category matched, with the rows using it (first seen first): the
        rows are imported without it; staff map the word to a category (an alias) or add one."""
        found: dict[str, dict] = {}
        for row in self.rows:
            for word in row.unmatched_categories:
                entry = found.setdefault(category_key(word), {"field": "categories", "word": word, "rows": []})
                entry["rows"].append(row.row)
        return list(found.values())


def validate_table(table: Table, *, event=None, organiser=None) -> ImportPlan:
    """Check every row of a Table like the web form, against one load of the lookups. Writes nothing.
    Category words are matched with the aliases of `organiser` (default: the fair's organiser)."""
    plan = ImportPlan(rows=[], event=event, file_errors=list(table.errors))
    if table.errors:
        return plan
    kinds = {n: parse_kind(values.get("kind", "")) for n, values in table.rows}
    codes = {n: _tax_code(values.get("tax_code", ""), kinds[n]) for n, values in table.rows}
    lookups = _Lookups({code for code in codes.values() if code}, event, organiser)
    first_row_of = {}
    for number, values in table.rows:
        result = _validate_row(number, values, kinds[number], lookups, event)
        code = codes[number]
        if code and code in first_row_of:
            message = _("Tax code %(code)s is repeated: it already appears on row %(row)s.")
            result.errors.append(RowError(number, "tax_code", message % {"code": code, "row": first_row_of[code]}))
        elif code:
            first_row_of[code] = number
        plan.rows.append(result)
    return plan


def _tax_code(raw: str, kind) -> str:
    """The stored form of a row's tax code, or "" when it is not valid for the kind."""
    if not kind:
        return ""
    try:
        return clean_tax_code(raw, kind)
    except ValueError:
        return ""


def _validate_row(number, values, kind, lookups, event) -> RowResult:
    existing = lookups.vendors.get(_tax_code(values.get("tax_code", ""), kind))
    # Each form gets its own copy: validating a repeated row must not change the first row's instance.
    instance = copy.copy(existing) if existing is not None else None
    data = {key: value for key, value in values.items() if key != "booths"}
    data["kind"] = kind or values.get("kind", "")
    if existing is not None:
        data["tax_code"] = existing.tax_code  # found by a former code: the business keeps its current one
    filled = [key for key, value in values.items() if value]
    form = ImportVendorForm(data=data, instance=instance, lookups=lookups, columns=filled)
    result = RowResult(row=number, values=values, form=form, existing=existing)
    form.is_valid()
    result.unmatched_categories = getattr(form.fields.get("categories"), "unmatched", [])
    for name, messages in form.errors.get_json_data().items():
        if name == "kind" and not kind and values.get("kind"):
            messages = [{"message": _unknown_kind(values["kind"])}]
        for message in messages:
            result.errors.append(RowError(number, "row" if name == "__all__" else name, message["message"]))
    if event is not None:
        _plan_application(result, lookups, event)
    return result


def _unknown_kind(value: str) -> str:
    return _("Unknown kind “%(value)s”: write DN, HTX or HKD (or Doanh nghiệp, Hợp tác xã, Hộ kinh doanh).") % {
        "value": value
    }


def _plan_application(result: RowResult, lookups: _Lookups, event) -> None:
    raw = result.values.get("booths", "")
    try:
        booths = parse_int(raw, min_value=0, max_value=MAX_ID) if raw else 1  # int() reads "٣" as 3
    except BadParameter:
        result.errors.append(
            RowError(result.row, "booths", _("“%(value)s” is not a whole number of booths.") % {"value": raw})
        )
        return
    if not 1 <= booths <= event.max_booths_per_participant:
        message = _("Ask for between 1 and %(max)s booths.") % {"max": event.max_booths_per_participant}
        result.errors.append(RowError(result.row, "booths", message))
        return
    result.booths = booths
    application = lookups.applications.get(result.existing.pk) if result.existing else None
    result.application = application
    if application is None:
        result.application_action = "create"
    elif (
        application.status in BOOTHS_EDITABLE
        and application.booths_requested != booths
        and booths >= application.active_booths
    ):
        result.application_action = "update"
    else:
        result.application_action = "keep"


@dataclass
class ImportOutcome(tabular.ImportOutcome):
    skipped: int = 0
    applications_created: int = 0
    applications_updated: int = 0
    identity_changes_held: int = 0  # existing businesses whose new legal name or kind waits for approval
    warnings: list = field(default_factory=list)  # ImportPlan.warnings

    def as_json(self) -> dict:
        return {**super().as_json(), "warnings": self.warnings}

    @property
    def failed(self) -> bool:
        """Exit status 1: invalid rows blocked the import, or nothing valid was there to write."""
        return bool(self.errors) and not (self.created or self.updated)


def run_import(plan: ImportPlan, *, skip_invalid=False, dry_run=False, by=None) -> ImportOutcome:
    """Apply the rules: all-or-nothing unless skip_invalid; dry_run reports what would be written."""
    rows = plan.rows_to_write(skip_invalid=skip_invalid)
    outcome = ImportOutcome(
        created=sum(1 for row in rows if row.action == "create"),
        updated=sum(1 for row in rows if row.action == "update"),
        errors=plan.errors,
        skipped=len(plan.rows) - len(rows),
        applications_created=sum(1 for row in rows if row.application_action == "create"),
        applications_updated=sum(1 for row in rows if row.application_action == "update"),
        warnings=plan.warnings,
    )
    if rows and not dry_run:
        vendors = vendors_import(rows=rows, event=plan.event, by=by)
        outcome.identity_changes_held = sum(1 for vendor in vendors if vendor.identity_change_held)
        outcome.written = True
    return outcome


def import_with_mappings(table: Table, *, event=None, organiser=None, mappings=(), skip_invalid=False, by=None):
    """Confirm an import whose unknown category words staff mapped: remember each mapping as the
    organiser's alias (creating the categories asked for), check the table again with them, and
    write it, all in one transaction: when the import writes nothing (rows with errors), neither
    aliases nor categories are kept. `mappings` are (word, Category or NEW_CATEGORY) pairs;
    `organiser` defaults to the fair's. Returns (plan, outcome)."""
    organiser = organiser if organiser is not None else getattr(event, "organiser", None)
    if mappings and organiser is None:
        raise ValueError("category words are remembered for an organiser: give the fair or the organiser")
    with transaction.atomic():
        if mappings:
            category_aliases_confirm(organiser=organiser, mappings=mappings)
        plan = validate_table(table, event=event, organiser=organiser)
        outcome = run_import(plan, skip_invalid=skip_invalid, by=by)
        if outcome.failed:
            transaction.set_rollback(True)
    return plan, outcome
