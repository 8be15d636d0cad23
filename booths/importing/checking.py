"""Checking the rows of a booth list against a fair's zones, booth types, hall and plan.

validate_table() loads what it needs in three queries (zones, booth types, the fair's booths with
who holds them) and returns an ImportPlan saying what each row would do and what is wrong with it.
Writing is booths.services.floorplan.booths_import's job: all or nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import BoothType, Zone
from tuanhang.kernel import tabular
from tuanhang.kernel.codes import CODE_MESSAGE, is_code
from tuanhang.kernel.tabular import Table

from ..floorplan import Rect, find_overlaps, hall_fit_error
from ..models import Assignment, Booth
from .reading import parse_metres, parse_yes_no

CODE_MAX = Booth._meta.get_field("code").max_length
ROW_MAX = Booth._meta.get_field("row").max_length
REASON_MAX = Booth._meta.get_field("blocked_reason").max_length
SIZE_MAX = Decimal("999.99")  # Booth.width / depth: 5 digits, 2 decimal places
OVERLAPS_LISTED = 3


def _fmt(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Lookups:
    """The fair's zones, booth types and booths (each with the participant holding it), three queries."""

    def __init__(self, event):
        self.event = event
        self.zones = {z.code.casefold(): z for z in Zone.objects.filter(event=event)}
        self.types = {t.code.casefold(): t for t in BoothType.objects.filter(event=event)}
        holder = Assignment.objects.filter(booth=OuterRef("pk"), status__in=Assignment.ACTIVE).values(
            "application__vendor__name"
        )[:1]
        booths = Booth.objects.filter(event=event).annotate(holder=Subquery(holder)).order_by("pk")
        self.booths = {b.code.casefold(): b for b in booths}
        # The label of the row already on the plan at (zone, y, depth), for rows the file leaves unlabelled.
        self.row_at = {}
        for booth in self.booths.values():
            if booth.row:
                self.row_at.setdefault((booth.zone_id, booth.y, booth.depth), booth.row)


@dataclass
class BoothRow(tabular.RowResult):
    """One row of the file checked: the booth it describes, what it would do, and its errors."""

    code: str = ""
    zone: Zone | None = None
    booth_type: BoothType | None = None
    x: Decimal | None = None
    y: Decimal | None = None
    width: Decimal | None = None
    depth: Decimal | None = None
    blocked: bool = False
    reason: str = ""
    row_label: str = ""
    existing: Booth | None = None
    changes: list = field(default_factory=list)
    repeated: bool = False

    @property
    def action(self) -> str:
        """ "create", "update", "unchanged" (an existing booth the file leaves as it is), or "" with errors."""
        if self.errors:
            return ""
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"

    @property
    def has_geometry(self) -> bool:
        return None not in (self.x, self.y, self.width, self.depth)

    def booth_values(self) -> dict:
        return {
            "zone": self.zone,
            "booth_type": self.booth_type,
            "x": self.x,
            "y": self.y,
            "width": self.width,
            "depth": self.depth,
            "row": self.row_label,
            "blocked": self.blocked,
            "blocked_reason": self.reason if self.blocked else "",
        }


@dataclass
class ImportPlan(tabular.ImportPlan):
    event: object = None

    @property
    def create_count(self) -> int:
        return self.count("create")

    @property
    def update_count(self) -> int:
        return self.count("update")

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")


def validate_table(table: Table, *, event) -> ImportPlan:
    """Check every row of a booth list against the fair as it is now. Writes nothing."""
    plan = ImportPlan(rows=[], event=event, file_errors=list(table.errors))
    if table.errors:
        return plan
    lookups = _Lookups(event)
    first_row_of = {}
    for number, values in table.rows:
        result = _check_row(number, values, lookups)
        key = result.code.casefold()
        if key and key in first_row_of:
            result.repeated = True
            result.error(
                "code",
                _("Booth code %(code)s is repeated: it already appears on row %(row)s.")
                % {"code": result.code, "row": first_row_of[key]},
            )
        elif key:
            first_row_of[key] = number
        plan.rows.append(result)
    _check_hall(plan.rows, event)
    _check_overlaps(plan.rows, lookups, set(first_row_of))
    for result in plan.rows:
        _check_changes(result)
    return plan


def _check_row(number: int, values: dict, lookups: _Lookups) -> BoothRow:
    result = BoothRow(row=number, values=values)
    _check_code(result, values.get("code", ""), lookups)
    result.zone = _lookup(result, "zone", values.get("zone", ""), lookups.zones)
    result.booth_type = _lookup(result, "type", values.get("type", ""), lookups.types)
    for key in ("x", "y"):
        setattr(result, key, _position(result, key, values.get(key, "")))
    for key in ("width", "depth"):
        setattr(result, key, _size(result, key, values.get(key, "")))
    try:
        result.blocked = parse_yes_no(values.get("blocked", ""))
    except ValueError:
        result.error(
            "blocked",
            _("“%(value)s” does not say whether the booth is blocked: write yes or no (also 1/0, x, có/không).")
            % {"value": values["blocked"]},
        )
    result.reason = values.get("reason", "")
    if len(result.reason) > REASON_MAX:
        result.error("reason", _("Keep the reason to %(max)s characters.") % {"max": REASON_MAX})
    _row_label(result, values.get("row", ""), lookups)
    return result


def _check_code(result: BoothRow, code: str, lookups: _Lookups) -> None:
    result.code = code
    if not code:
        result.error("code", _("Give the booth's code (e.g. A01)."))
    elif len(code) > CODE_MAX:
        result.error("code", _("A booth code has at most %(max)s characters.") % {"max": CODE_MAX})
    else:
        result.existing = lookups.booths.get(code.casefold())
        if result.existing is not None:
            result.code = result.existing.code  # a booth already on the plan keeps the code it has
        elif not is_code(code):
            result.error("code", str(CODE_MESSAGE))


_LOOKUP_MESSAGES = {
    "zone": (
        gettext_lazy("Give the zone's code."),
        gettext_lazy("Unknown zone “%(value)s”. This fair's zones are: %(codes)s."),
        gettext_lazy("Unknown zone “%(value)s”: this fair has no zones yet; add them first."),
    ),
    "type": (
        gettext_lazy("Give the booth type's code."),
        gettext_lazy("Unknown booth type “%(value)s”. This fair's booth types are: %(codes)s."),
        gettext_lazy("Unknown booth type “%(value)s”: this fair has no booth types yet; add them first."),
    ),
}


def _lookup(result: BoothRow, key: str, text: str, known: dict):
    missing, unknown, none_yet = _LOOKUP_MESSAGES[key]
    if not text:
        result.error(key, str(missing))
        return None
    found = known.get(text.casefold())
    if found is None:
        codes = ", ".join(sorted(obj.code for obj in known.values()))
        result.error(key, str(unknown if codes else none_yet) % {"value": text, "codes": codes})
    return found


def _number(result: BoothRow, key: str, text: str) -> Decimal | None:
    try:
        return parse_metres(text)
    except ValueError:
        result.error(key, _("“%(value)s” is not a number of metres.") % {"value": text})
        return None


def _position(result: BoothRow, key: str, text: str) -> Decimal | None:
    if not text:
        result.error(key, _("Give %(key)s in metres from the plan's top-left corner.") % {"key": key})
        return None
    value = _number(result, key, text)
    if value is not None and value < 0:
        result.error(key, _("%(key)s cannot be negative (it is %(value)s m).") % {"key": key, "value": _fmt(value)})
        return None
    return value


def _size(result: BoothRow, key: str, text: str) -> Decimal | None:
    if not text:
        # A blank size is the booth type's.
        if result.booth_type is None:
            return None
        return result.booth_type.width_m if key == "width" else result.booth_type.depth_m
    value = _number(result, key, text)
    if value is None:
        return None
    if value <= 0:
        message = _("The width must be more than 0 m.") if key == "width" else _("The depth must be more than 0 m.")
        result.error(key, message)
        return None
    if value > SIZE_MAX:
        message = _("The width must be under 1000 m.") if key == "width" else _("The depth must be under 1000 m.")
        result.error(key, message)
        return None
    return value


def _row_label(result: BoothRow, text: str, lookups: _Lookups) -> None:
    if len(text) > ROW_MAX:
        result.error("row", _("A row label has at most %(max)s characters.") % {"max": ROW_MAX})
        return
    if text:
        result.row_label = text
        return
    if result.zone is None or result.y is None or result.depth is None:
        return
    # Unlabelled: the row already at this place in the zone, else a label of its own line ("y12.5").
    existing = result.existing
    if (
        existing is not None
        and existing.row
        and (existing.zone_id, existing.y, existing.depth)
        == (
            result.zone.pk,
            result.y,
            result.depth,
        )
    ):
        result.row_label = existing.row
    else:
        result.row_label = lookups.row_at.get((result.zone.pk, result.y, result.depth), f"y{_fmt(result.y)}")


def _check_hall(rows, event) -> None:
    width, depth = event.hall_width_m, event.hall_depth_m
    for result in rows:
        if not result.has_geometry:
            continue
        what = _("Booth %(code)s") % {"code": result.code}
        message = hall_fit_error(what, result.x, result.y, result.width, result.depth, width, depth)
        if message:
            result.error("x" if result.x + result.width > width else "y", message)


def _check_overlaps(rows, lookups: _Lookups, codes_in_file: set) -> None:
    """Overlaps between the file's booths, and with booths of the fair the file does not list
    (a repeated code is already an error of its own and is left out)."""
    new = [Rect(r, r.x, r.y, r.width, r.depth) for r in rows if r.has_geometry and not r.repeated]
    kept = [
        Rect(booth, booth.x, booth.y, booth.width, booth.depth)
        for key, booth in lookups.booths.items()
        if key not in codes_in_file
    ]
    partners = {}
    for earlier, later in find_overlaps(new, kept):
        if isinstance(later.key, BoothRow):
            # Two rows of the file: reported on the later row, naming the earlier one.
            partners.setdefault(later.key.row, (later.key, []))[1].append(
                _("booth %(code)s on row %(row)s") % {"code": earlier.key.code, "row": earlier.key.row}
            )
        else:
            partners.setdefault(earlier.key.row, (earlier.key, []))[1].append(
                _("booth %(code)s already on the plan") % {"code": later.key.code}
            )
    for result, names in partners.values():
        listed = "; ".join(names[:OVERLAPS_LISTED])
        if len(names) > OVERLAPS_LISTED:
            listed += " " + _("and %(count)s more") % {"count": len(names) - OVERLAPS_LISTED}
        result.error("x", _("Booth %(code)s overlaps %(others)s.") % {"code": result.code, "others": listed})


def _check_changes(result: BoothRow) -> None:
    booth = result.existing
    if booth is None or result.errors:
        return
    for name, value in result.booth_values().items():
        current = getattr(booth, name)
        if name in ("zone", "booth_type"):
            current, value = getattr(booth, f"{name}_id"), value.pk
        if current != value:
            result.changes.append(name)
    if result.changes and booth.holder:
        result.error(
            "code",
            _(
                "Booth %(code)s is held by %(holder)s, so this import cannot change it; release the booth first "
                "or leave its row as it is."
            )
            % {"code": booth.code, "holder": booth.holder},
        )


@dataclass
class ImportOutcome(tabular.ImportOutcome):
    unchanged: int = 0
    plan: ImportPlan | None = None

    @classmethod
    def of(cls, plan: ImportPlan) -> "ImportOutcome":
        failed = bool(plan.errors)
        return cls(
            created=0 if failed else plan.count("create"),
            updated=0 if failed else plan.count("update"),
            unchanged=0 if failed else plan.count("unchanged"),
            errors=plan.errors,
            plan=plan,
        )

    def refusal(self) -> str:
        """The message of an import that errors stopped, for the pages that offer the upload."""
        return ngettext(
            "Nothing was imported: %(count)s row has errors. Fix the file and upload it again.",
            "Nothing was imported: %(count)s rows have errors. Fix the file and upload it again.",
            self.error_row_count,
        ) % {"count": self.error_row_count}
