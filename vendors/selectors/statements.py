"""Reads for bank statement imports: the layouts an organiser may read a file with, the unmatched
queue and an import's lines (issue 20 item 3)."""

from django.db.models import Q, QuerySet

from tuanhang.kernel.bank_statements import PROFILES, Profile, Statement, profile_from_mapping, read_statement
from tuanhang.kernel.vn import fold

from ..models import Application, StatementImport, StatementLine, StatementLineChange, StatementProfile
from ..payment_codes import application_ids_in
from ..search import vendor_matches
from .money import with_money


def saved_profile(row: StatementProfile) -> Profile:
    return profile_from_mapping(f"org:{row.pk}", row.name, row.columns, row.date_format)


def profiles_for(organiser_id: int) -> list[Profile]:
    """The organiser's saved layouts (newest mapping first), then the built-in banks' ones."""
    saved = [saved_profile(row) for row in StatementProfile.objects.filter(organiser_id=organiser_id).order_by("-pk")]
    return saved + list(PROFILES.values())


def profile_named(organiser_id: int, code: str) -> Profile | None:
    """A built-in layout by code ("vcb", "tcb", "mb", "bidv", "acb", "ctg"), or a saved one by
    "org:<id>" or by its name."""
    if code in PROFILES:
        return PROFILES[code]
    for profile in profiles_for(organiser_id):
        if code in (profile.code, profile.name):
            return profile
    return None


def read_for(organiser_id: int, source, filename: str, profile: Profile | None = None) -> Statement:
    """The statement read with `profile`, or with the first layout of the organiser's that fits."""
    return read_statement(source, filename, [profile] if profile else profiles_for(organiser_id))


def unmatched_lines(organiser_id: int) -> QuerySet[StatementLine]:
    return (
        StatementLine.objects.filter(statement_import__organiser_id=organiser_id, state=StatementLine.State.UNMATCHED)
        .select_related("account")
        .order_by("-booked_on", "pk")
    )


def import_lines(statement_import_id: int) -> QuerySet[StatementLine]:
    return (
        StatementLine.objects.filter(statement_import_id=statement_import_id)
        .select_related("application__vendor")
        .order_by("row", "pk")
    )


# --- the statement pages (issue 20 part B2) ---------------------------------------------------------

OWING_RESULTS = 20


def imports_of(organiser_id: int) -> QuerySet[StatementImport]:
    """The organiser's imports, newest first, with their receiving account."""
    return StatementImport.objects.filter(organiser_id=organiser_id).select_related("account", "uploaded_by")


def line_changes(organiser_id: int) -> QuerySet[StatementLineChange]:
    """Every assignment, match and reversal of the organiser's lines, newest first."""
    return (
        StatementLineChange.objects.filter(line__statement_import__organiser_id=organiser_id)
        .select_related("line", "by", "from_application__vendor", "to_application__vendor")
        .order_by("-at", "-pk")
    )


def owing_applications(organiser_id: int, query: str) -> list[Application]:
    """The organiser's applications with something still owed that `query` finds: by the business's
    name or tax code (folded, as every business search), or by a payment code in it. Annotated as
    with_money (amount_due, paid, outstanding), at most OWING_RESULTS."""
    query = (query or "").strip()
    if not query:
        return []
    condition = vendor_matches(fold(query))
    ids = application_ids_in(query)
    if ids:
        condition |= Q(pk__in=ids)
    owing = with_money(Application.objects.filter(event__organiser_id=organiser_id)).filter(outstanding__gt=0)
    return list(
        owing.filter(condition).select_related("vendor", "event").order_by("vendor__name", "pk")[:OWING_RESULTS]
    )
