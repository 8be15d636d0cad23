"""The benchmarks' data: one set of builders for fairs, organisers, zones, booth types, booths,
hall features, categories, businesses, applications and assignments, and one cleanup.

Each benchmark composes these with its own figures (how many zones, booths, businesses), names,
seed and tax-code prefix (TAX_PREFIXES: one per benchmark, so one benchmark's cleanup never
deletes another's businesses). Everything is written with bulk_create. Random choices are made in
the order the caller's `rng` is handed to the builders, so a benchmark that keeps its calls in
the same order keeps its data.

Needs Django set up (bench/run.py does it before importing the benchmarks).
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from stdnum.vn import mst

from booths.models import Assignment, AssignmentChange, Booth, HallFeature
from events.models import BoothType, Category, Event, GeneratedFile, Organiser, Zone
from vendors.models import Application, Product, Vendor
from vendors.services.amounts import recompute_amounts_due

# Tax codes of each benchmark's businesses start with its own two digits.
TAX_PREFIXES = {
    "growth": "92",
    "booth_map": "97",
    "printing": "96",
    "public": "95",
    "reminders": "94",
    "selection": "93",
}
assert len(set(TAX_PREFIXES.values())) == len(TAX_PREFIXES), "two benchmarks share a tax-code prefix"

BOOTH_M = 3  # a standard booth is 3 m × 3 m
AISLE_M = 4  # around the hall and between zones

# Dates of the fair relative to now, by the phase a benchmark needs it in.
PHASES = {
    # registration over, the fair in five days: the organiser places and prints.
    "closed": {
        "status": Event.Status.REGISTRATION_CLOSED,
        "registration_opens_at": timedelta(days=-20),
        "registration_closes_at": timedelta(days=-1),
        "opens_at": timedelta(days=5),
        "closes_at": timedelta(days=10),
    },
    # registration open and participants choosing their booths for five more days.
    "selection": {
        "status": Event.Status.REGISTRATION_OPEN,
        "allow_self_selection": True,
        "registration_opens_at": timedelta(days=-10),
        "registration_closes_at": timedelta(days=10),
        "selection_closes_at": timedelta(days=5),
        "opens_at": timedelta(days=20),
        "closes_at": timedelta(days=25),
    },
    # the fair open since yesterday: visitors on the public site.
    "running": {
        "status": Event.Status.RUNNING,
        "registration_opens_at": timedelta(days=-40),
        "registration_closes_at": timedelta(days=-10),
        "opens_at": timedelta(days=-1),
        "closes_at": timedelta(days=5),
    },
}


def organiser(name="Bench organiser", **fields) -> Organiser:
    """The organiser of that name, created or given `fields`."""
    return Organiser.objects.update_or_create(name=name, defaults=fields)[0]


def staff(username, organiser, role="admin"):
    """A staff account working for `organiser` in `role` (a Membership), as the office pages
    require since roles exist (issue 16): a bare is_staff account sees no fair (404)."""
    from django.contrib.auth import get_user_model

    from events.models import Membership

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    Membership.objects.get_or_create(organiser=organiser, user=user, defaults={"role": role})
    return user


def fair(slug, *, organiser, phase=None, name=None, venue="Bench hall", province_id="31", **fields) -> Event:
    """A fair in `phase` (PHASES) with `fields` on top; a date given as a timedelta is that far
    from now."""
    now = timezone.now()
    values = {**PHASES.get(phase, {}), **fields}
    values = {k: now + v if isinstance(v, timedelta) else v for k, v in values.items()}
    return Event.objects.create(
        name=name or f"Bench {slug}", slug=slug, organiser=organiser, venue=venue, province_id=province_id, **values
    )


def standard_booth_type(event) -> BoothType:
    return BoothType.objects.create(event=event, code="std", name="Gian tiêu chuẩn", is_standard=True)


def zones(event, count, *, names=None, rng=None) -> list[Zone]:
    """Zones A, B, C… named "Khu A"… or after `names` in turn; with `rng`, each a random colour."""
    return Zone.objects.bulk_create(
        Zone(
            event=event,
            code=chr(65 + z),
            name=names[z % len(names)] if names else f"Khu {chr(65 + z)}",
            **({"colour": f"#{rng.randrange(0x1000000):06x}"} if rng else {}),
        )
        for z in range(count)
    )


class Hall:
    """`zone_count` zones of `per_zone` booths in rows of `per_row`, laid out two zones abreast (one when there
    is only one) with a 4 m aisle around each zone. paired_rows: rows back to back in pairs with a
    3 m aisle after each pair (the printed map's hall); else every row followed by a 1 m aisle."""

    def __init__(self, zone_count, per_zone, *, per_row=20, paired_rows=True):
        self.zone_count, self.per_zone, self.per_row, self.paired_rows = zone_count, per_zone, per_row, paired_rows
        self.columns = min(zone_count, 2)
        rows = -(-per_zone // per_row)
        self.zone_width = BOOTH_M * per_row
        self.zone_depth = BOOTH_M * rows + BOOTH_M * ((rows + 1) // 2) if paired_rows else (BOOTH_M + 1) * rows

    def size(self) -> dict:
        """The fair's hall_width_m and hall_depth_m."""
        lines = (self.zone_count + 1) // 2
        return {
            "hall_width_m": self.columns * (self.zone_width + AISLE_M) + AISLE_M,
            "hall_depth_m": lines * (self.zone_depth + AISLE_M) + AISLE_M,
        }

    def booths(self, event, zone_objs, booth_type, *, blocked_every=None) -> list[Booth]:
        """Every zone's booths, coded A001…, rows A1…; with `blocked_every` n, every n-th booth of
        the hall (counted across zones) is blocked."""
        booths = []
        for z, zone in enumerate(zone_objs):
            left = AISLE_M + (z % self.columns) * (self.zone_width + AISLE_M)
            top = AISLE_M + (z // self.columns) * (self.zone_depth + AISLE_M)
            for i in range(self.per_zone):
                row, col = divmod(i, self.per_row)
                y = top + BOOTH_M * row + BOOTH_M * (row // 2) if self.paired_rows else top + (BOOTH_M + 1) * row
                booths.append(
                    Booth(
                        event=event,
                        zone=zone,
                        booth_type=booth_type,
                        code=f"{zone.code}{i + 1:03d}",
                        x=left + BOOTH_M * col,
                        y=y,
                        row=f"{zone.code}{row + 1}",
                        blocked=bool(blocked_every) and len(booths) % blocked_every == blocked_every - 1,
                    )
                )
        return Booth.objects.bulk_create(booths)


def hall_features(event) -> list[HallFeature]:
    """The main entrance and a stage along the hall's front wall."""
    return HallFeature.objects.bulk_create(
        [
            HallFeature(event=event, kind="entrance", label="Cổng chính", x=4, y=0, width=8, depth=1),
            HallFeature(event=event, kind="stage", label="Sân khấu", x=20, y=0.5, width=12, depth=3),
        ]
    )


def categories(slug_prefix, names) -> list[Category]:
    """Categories slugged `<slug_prefix>-0`, `-1`… named `names`, made once and shared."""
    return [
        Category.objects.get_or_create(slug=f"{slug_prefix}-{c}", defaults={"name": name})[0]
        for c, name in enumerate(names)
    ]


def businesses(benchmark, count, fields, *, valid_tax_codes=False) -> list[Vendor]:
    """`count` businesses, Vendor(tax_code=…, **fields(i, n, tax_code)) for i = 0, 1…, where n
    numbers them after the benchmark's businesses already there. Tax codes: the benchmark's prefix
    and n in 8 digits, or with valid_tax_codes 10-digit enterprise codes whose check digit is right
    (stdnum's mst). bulk_create skips Vendor.save(): give search_text where a page searches it."""
    prefix = TAX_PREFIXES[benchmark]
    start = Vendor.objects.filter(tax_code__startswith=prefix).count()
    vendors = []
    for i in range(count):
        n = start + i
        code = _valid_tax_code(prefix, n, count) if valid_tax_codes else f"{prefix}{n:08d}"
        vendors.append(Vendor(tax_code=code, **fields(i, n, code)))
    return Vendor.objects.bulk_create(vendors)


def _valid_tax_code(prefix, n, step):
    while True:
        first9 = f"{prefix}{n:07d}"
        check = mst.calc_check_digit(first9)
        if len(check) == 1:
            return first9 + check
        n += step  # skip a base whose check digit would be 10


def applications(event, vendors, *, approved_share=1.0, each=None, **fields) -> list[Application]:
    """One application per business to `event`: the first `approved_share` of them approved, the
    others submitted; `fields` for all of them, `each(i)` for the i-th's own."""
    approved = round(approved_share * len(vendors))
    created = Application.objects.bulk_create(
        Application(
            vendor=v,
            event=event,
            status=Application.Status.APPROVED if i < approved else Application.Status.SUBMITTED,
            **fields,
            **(each(i) if each else {}),
        )
        for i, v in enumerate(vendors)
    )
    recompute_amounts_due(application_ids=[a.pk for a in created])  # what each owes, as approval stores it
    return created


def application_categories(applications, choose) -> None:
    """The categories `choose(i)` names for the i-th application."""
    through = Application.categories.through
    through.objects.bulk_create(
        through(application=a, category=c) for i, a in enumerate(applications) for c in choose(i)
    )


def assignments(pairs, *, status, source=None) -> list[Assignment]:
    """(booth, application) pairs assigned; `status` and `source` are values or, to draw one per
    assignment, functions of nothing (called in that order)."""

    def value(v):
        return v() if callable(v) else v

    created = Assignment.objects.bulk_create(
        Assignment(booth=b, application=a, status=value(status), **({"source": value(source)} if source else {}))
        for b, a in pairs
    )
    recompute_amounts_due(application_ids={a.application_id for a in created})  # as booth_assign does
    return created


def random_free(booths, count, rng: random.Random) -> list[Booth]:
    """`count` of the booths that are not blocked, drawn with `rng`."""
    return rng.sample([b for b in booths if not b.blocked], count)


def analyze(*, vacuum=False) -> None:
    """Fresh statistics, as autovacuum would have them on a live database after bulk inserts;
    with `vacuum`, the dead rows earlier benchmarks left behind are gone too."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def delete_fairs(*slugs) -> None:
    """The fairs and everything built on them, children first (booths protect their zones and
    types, assignments their booths)."""
    events = Event.objects.filter(slug__in=slugs)
    GeneratedFile.objects.filter(event__in=events).delete()
    AssignmentChange.objects.filter(event__in=events).delete()
    Assignment.objects.filter(booth__event__in=events).delete()
    Application.objects.filter(event__in=events).delete()
    Booth.objects.filter(event__in=events).delete()
    for model in (Zone, BoothType, HallFeature):
        model.objects.filter(event__in=events).delete()
    events.delete()


def delete_businesses(benchmark, **name) -> None:
    """The benchmark's businesses (its tax-code prefix, and `name` lookups such as
    name__startswith as a second guard) with their products."""
    vendors = Vendor.objects.filter(tax_code__startswith=TAX_PREFIXES[benchmark], **name)
    Product.objects.filter(vendor__in=vendors).delete()
    vendors.delete()


def delete_accounts(username_prefix, session_prefix) -> None:
    Session.objects.filter(session_key__startswith=session_prefix).delete()
    get_user_model().objects.filter(username__startswith=username_prefix).delete()
