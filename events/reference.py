"""Reference data for the 2025 administrative map and the resolver that maps any way of
writing a province (current name, pre-2025 name, spelling variant) onto the current unit."""

import csv
import re
import unicodedata
from pathlib import Path

from tuanhang.kernel.vn import fold, normalise_tones

from .models import ProvinceAlias

CSV_PATH = Path(__file__).resolve().parent / "data" / "provinces_2025.csv"

# Spelling variants seen in organisers' spreadsheets, beyond the official old and new names.
EXTRA_ALIASES = {
    "79": ["HCM", "TPHCM", "TP.HCM", "Sài Gòn", "Thành phố Hồ Chí Minh", "Bà Rịa Vũng Tàu", "BR-VT"],
    "46": ["Thừa Thiên - Huế", "TT Huế", "TT-Huế"],
    "01": ["HN", "Hà Tây"],
    "31": ["HP"],
    "66": ["Đắc Lắc", "Daklak", "Đăk Lăk"],
    "68": ["Đăk Nông", "Đắc Nông"],
    "51": ["Kontum"],
}

_PREFIX = re.compile(r"^(tỉnh|thành phố|tp\.?|t\.p\.?)\s*", re.IGNORECASE)


def province_key(text: str) -> str:
    """The lookup key of a province name: no "Tỉnh"/"TP" prefix, dashes and dots as spaces,
    tone marks in canonical place, lower case."""
    cleaned = unicodedata.normalize("NFC", text or "").strip().lower()
    cleaned = _PREFIX.sub("", cleaned)
    return normalise_tones(re.sub(r"[-–.,]", " ", cleaned))


def read_units():
    """Rows of the merge table: code, name, kind ('tinh'/'thanh_pho'), list of old names."""
    with CSV_PATH.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield {
                "code": row["code"],
                "name": row["name"],
                "kind": "thanh_pho" if row["kind"] == "thành phố" else "tinh",
                "merged_from": [n.strip() for n in row["merged_from"].split(";") if n.strip()],
            }


def load_reference_data(Province, ProvinceAlias, Commune):
    """Create or refresh the 34 units, their aliases and communes. Safe to run again."""
    from vietnam_provinces import Province as VPProvince
    from vietnam_provinces import Ward as VPWard

    official = {f"{p.code.value:02d}": p for p in VPProvince.iter_all()}
    for unit in read_units():
        vp = official[unit["code"]]
        full = (
            vp.name
            if vp.name.startswith(("Thành phố", "Tỉnh"))
            else (f"Thành phố {unit['name']}" if unit["kind"] == "thanh_pho" else f"Tỉnh {unit['name']}")
        )
        province, _ = Province.objects.update_or_create(
            code=unit["code"],
            defaults={
                "name": unit["name"],
                "full_name": full,
                "kind": unit["kind"],
                "merged_from": "; ".join(unit["merged_from"]),
            },
        )
        names = [(unit["name"], False), (vp.name, False)]
        names += [(old, old != unit["name"]) for old in unit["merged_from"]]
        names += [(extra, False) for extra in EXTRA_ALIASES.get(unit["code"], [])]
        for alias, former in names:
            ProvinceAlias.objects.update_or_create(
                key=province_key(alias),
                defaults={"province": province, "alias": alias, "is_former_province": former},
            )
    existing = set(Commune.objects.values_list("code", flat=True))
    Commune.objects.bulk_create(
        [
            Commune(
                code=f"{w.code.value:05d}",
                name=w.name,
                kind=w.division_type.value,
                province_id=f"{w.province_code.value:02d}",
            )
            for w in VPWard.iter_all()
            if f"{w.code.value:05d}" not in existing
        ],
        batch_size=1000,
    )


class ProvinceResolver:
    """Maps free text to a Province. Load once per request or import run (one query)."""

    def __init__(self):
        self.by_key = {}
        folded = {}
        for alias in ProvinceAlias.objects.select_related("province"):
            self.by_key[alias.key] = alias.province
            folded.setdefault(fold(alias.key), set()).add(alias.province)
        # Accent-free writing ("ha noi") resolves only where it cannot mean two units.
        self.by_fold = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1}

    def resolve(self, text: str):
        key = province_key(text)
        if not key:
            return None
        return self.by_key.get(key) or self.by_fold.get(fold(key))
