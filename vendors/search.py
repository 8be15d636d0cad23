"""What a search for a business looks in: one rule for the public directory, the check-in page,
the staff lists and the admin (issue 18).

Every search folds what is typed (tuanhang.kernel.vn.fold: accents, case, tone placement and đ/d
do not matter) and looks for it in `Vendor.search_text`, which Vendor.save() builds here from:
- the legal name, the short name and the tax code (not a household's: it is its owner's personal
  ID number, vendors/privacy.py);
- the province's name and the names of the provinces merged into it in 2025
  (`Province.merged_from`, loaded from events/data/provinces_2025.csv: the one old→new mapping),
  so "Hải Dương" finds the businesses of Hải Phòng and "dong thap" those of Đồng Tháp;
- the commune's (xã / phường / đặc khu) name.
The parts are joined by " | " so that a search does not match across two of them. Booth codes
are not in it (they belong to a fair and change with the allocation): booths.selectors.search adds
them to the searches that are about one fair.

Keeping the names in the column (rather than resolving place names at search time) keeps one
condition, `search_text LIKE '%…%'`, that the trigram index answers, and every search that already
looks in the column finds places without changing. When the reference data is refreshed with new
names, `manage.py rebuild_search_text` brings the stored texts up to date.
"""

from django.db.models import Q

from tuanhang.kernel.page_cache import site_changed
from tuanhang.kernel.vn import fold

HOUSEHOLD = "HKD"  # Vendor.Kind.HKD (the models import this module)
SEPARATOR = " | "
MAX_LENGTH = 600  # Vendor.search_text's max_length


def place_names(province, commune) -> list[str]:
    """The names a business's place is searched by: its province, the provinces merged into it in
    2025, its commune. `province` and `commune` may be None."""
    names = []
    if province is not None:
        names.append(province.name)
        names += [old.strip() for old in (province.merged_from or "").split(";")]
    if commune is not None:
        names.append(commune.name)
    return [name for name in names if name]


def build_search_text(*, name: str, short_name: str, tax_code: str, places) -> str:
    """The folded text a business is found by (`tax_code` is "" for a household). Place names are
    kept with and without their dashes ("ba ria - vung tau", "ba ria vung tau")."""
    parts = [fold(f"{name} {short_name} {tax_code}")]
    for place in places:
        folded = fold(place)
        parts += [folded, fold(folded.replace("-", " ").replace("–", " "))]
    unique = list(dict.fromkeys(part for part in parts if part))
    return SEPARATOR.join(unique)[:MAX_LENGTH]


def vendor_search_text(vendor) -> str:
    """The search text of a business (a Vendor, or the historical model in a migration), read
    from its names, kind, tax code, province and commune."""
    # A household's tax code is its owner's personal ID number (vendors/privacy.py): kept out, so
    # typing digits never finds a person (staff lists still find an exact code, by the column).
    code = "" if vendor.kind == HOUSEHOLD else vendor.tax_code
    province = vendor.province if vendor.province_id else None
    commune = vendor.commune if vendor.commune_id else None
    return build_search_text(
        name=vendor.name, short_name=vendor.short_name, tax_code=code, places=place_names(province, commune)
    )


def rebuild_search_texts(Vendor, batch_size=500, *, bump_cache=True) -> int:
    """Rebuild the stored search text of every business whose text is out of date (after a change
    of this rule or of the reference data); `Vendor` is the model (or a migration's historical
    one; a migration passes bump_cache=False, as it cannot count on the cache being up). Returns
    how many changed. Queries per batch, not per row."""
    changed = []
    for vendor in Vendor.objects.select_related("province", "commune").order_by("pk").iterator(chunk_size=batch_size):
        text = vendor_search_text(vendor)
        if text != vendor.search_text:
            vendor.search_text = text
            changed.append(vendor)
    Vendor.objects.bulk_update(changed, ["search_text"], batch_size=batch_size)
    if changed and bump_cache:
        site_changed()  # bulk_update sends no signal: cached directory pages must not keep old results
    return len(changed)


def vendor_matches(folded: str, prefix: str = "vendor__") -> Q:
    """The condition "the business's search text contains `folded`" (already folded), on a query of
    businesses (`prefix=""`) or of rows pointing to one (`prefix="vendor__"`)."""
    return Q(**{f"{prefix}search_text__contains": folded})
