"""The demo participants and hall plan, planned from a fixed random seed. Pure: nothing here
reads or writes the database, so every run of seed_demo plans exactly the same rows."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils.text import slugify
from stdnum.vn import mst

from events.reference import read_units
from tuanhang.kernel.vn import fold
from vendors.models import Application

from . import data

SEED = 2024
A = Application.Status


@dataclass
class ProductPlan:
    name: str
    category: str
    ocop_stars: int | None = None
    ocop_decision_number: str = ""
    ocop_decision_date: dt.date | None = None
    ocop_issuer: str = ""


@dataclass
class ParticipantPlan:
    kind: str
    name: str
    short_name: str
    tax_code: str
    province: str
    commune: str
    address: str
    representative: str
    contact_name: str
    phone: str
    email: str
    categories: list[str]
    products: list[ProductPlan]
    trade: str = ""  # the trade its name says ("Bánh kẹo", "Dệt may"): every product is of it
    # Its answers to the fair's document questions (None for a business that shows no food).
    attp_certificate_required: bool | None = None
    sells_packaged_food: bool | None = None
    status: str | None = None
    booths_requested: int = 1
    double_booth: bool = False
    zones: list[str] = field(default_factory=list)
    reason: str = ""


# The hall, in metres: 60 m across and 60 m deep, so the five zones' blocks (y 10–56) and the 4 m
# aisle to the main entrance at the bottom fit inside it (a 40 m deep hall left zones D and E out).
HALL_WIDTH, HALL_DEPTH = 60, 60
BOOTH_DEPTH = 3


def booth_layout():
    """The hall plan, in metres from its top-left corner: the stage across the top (y 0–8), then one
    block per zone of two back-to-back rows of 13 booths (3 m deep each), a 4 m aisle between blocks
    and a 4 m cross aisle after the 7th booth of each row. The host pavilion's second row ends with
    three double booths. Every booth lies inside the HALL_WIDTH × HALL_DEPTH hall.
    Returns (code, zone code, type code, row, x, y, width)."""
    layout = []
    for block, (zone_code, *_rest) in enumerate(data.ZONES):
        y0 = 10 + 10 * block
        number = 0
        for row in (1, 2):
            y = y0 + 3 * (row - 1)
            slots = [(4 + 3 * i, 3, "standard") for i in range(7)]
            if zone_code == "A" and row == 2:
                slots += [(29 + 6 * i, 6, "double") for i in range(3)]
            else:
                slots += [(29 + 3 * i, 3, "standard") for i in range(6)]
            for x, width, type_code in slots:
                number += 1
                layout.append((f"{zone_code}{number:02d}", zone_code, type_code, f"{zone_code}-{row}", x, y, width))
    return layout


def plan_participants(*, communes: dict, today: dt.date) -> list[ParticipantPlan]:
    """The demo participants, their products and the fate of their application to the fair.

    Pure: the same communes and day give the same plan. `communes` maps a province code to its
    (code, name) communes in code order.
    """
    rng = random.Random(SEED)
    tax_codes, names = set(), set()
    plans = []
    for province, (count, specialities) in data.PROVINCES.items():
        for _ in range(count):
            kind = rng.choices(["DN", "HTX", "HKD"], weights=[50, 25, 25])[0]
            picks = rng.sample(specialities, k=min(len(specialities), rng.choice([1, 1, 2, 2, 3])))
            commune_code, commune_name = rng.choice(communes[province])
            plan = _plan_one(rng, kind, province, picks, commune_code, commune_name, names, tax_codes, today)
            names.add(plan.short_name)
            plans.append(plan)
    _plan_applications(rng, plans)
    return plans


def _person(rng):
    sex = rng.choice("mf")
    return sex, f"{rng.choice(data.FAMILY)} {rng.choice(data.MIDDLE[sex])} {rng.choice(data.GIVEN[sex])}"


def _plan_one(rng, kind, province, picks, commune_code, commune_name, used, tax_codes, today):
    trade = picks[0][2]
    sex, representative = _person(rng)
    place = commune_name.split(" ", 1)[1]  # "Xã Tân Lập" → "Tân Lập"
    if kind == "DN":
        short_name = f"{trade} {rng.choice(data.BRANDS)}"
        while short_name in used:
            short_name = f"{trade} {rng.choice(data.BRANDS)}"
        name = f"{rng.choice(data.COMPANY_FORMS)} {short_name}"
        address = f"Số {rng.randint(1, 250)}, đường {rng.choice(data.STREETS)}"
    elif kind == "HTX":
        name = f"Hợp tác xã {rng.choice(data.COOPERATIVE_FORMS)}{trade} {place}"
        short_name = f"HTX {trade} {place}"
        address = rng.choice(data.HAMLETS)
    else:
        name = f"Hộ kinh doanh {representative}"
        short_name = f"Cơ sở {trade} {representative.rsplit(' ', 1)[1]}"
        address = f"{rng.choice(data.HAMLETS)}, số nhà {rng.randint(1, 99)}"
    contact_name = representative if kind == "HKD" else _person(rng)[1]
    # A business sells what its name says: only the picks of its trade. Every pick is still planned,
    # so the random draws after it (tax codes, phones, statuses) stay those of demos seeded before.
    planned = [_plan_product(rng, province, speciality, today) for speciality in picks]
    products = [product for product, speciality in zip(planned, picks, strict=True) if speciality[2] == trade]
    categories = {p.category for p in products}
    if any(p.ocop_stars for p in products):
        categories.add("san-pham-ocop")
    return ParticipantPlan(
        kind=kind,
        name=name,
        short_name=short_name[:60],
        tax_code=_tax_code(rng, kind, province, sex, tax_codes),
        province=province,
        commune=commune_code,
        address=address,
        representative=representative,
        contact_name=contact_name,
        phone=_phone(rng, kind, province),
        email=f"{slugify(fold(short_name)).replace('-', '.')}@example.com",
        categories=sorted(categories),
        products=products,
        trade=trade,
        **_food_answers(kind, products),
    )


_FOOD_CATEGORIES = {slugify(fold(name)) for name, is_food in data.CATEGORIES if is_food}


def _food_answers(kind, products) -> dict:
    """The business's answers to the ATTP questions, as a real one of its kind would give them: a
    company or cooperative producing food holds the food-safety certificate, a household signs the
    commitment (small producers are exempt); packaged food needs a self-declaration, fresh produce none.
    A business that shows no food answers "no" to both."""
    food = [p for p in products if p.category in _FOOD_CATEGORIES]
    return {
        "attp_certificate_required": bool(food) and kind != "HKD",
        "sells_packaged_food": any(p.name not in data.FRESH_PRODUCE for p in food),
    }


_PROVINCE_NAMES = {unit["code"]: (unit["name"], unit["kind"]) for unit in read_units()}


def _plan_product(rng, province, speciality, today):
    name, category, _, certifiable = speciality
    product = ProductPlan(name=name, category=category)
    if certifiable and rng.random() < 0.6:
        stars = rng.choices([3, 4, 5], weights=[55, 37, 8])[0]
        product.ocop_stars = stars
        # Up to a little over 3 years back, so a few certificates have lapsed (valid 36 months).
        product.ocop_decision_date = today - dt.timedelta(days=rng.randint(60, 1150))
        if stars == 5:
            product.ocop_decision_number = f"{rng.randint(100, 4999)}/QĐ-BNN-VPĐP"
            product.ocop_issuer = "Bộ Nông nghiệp và Phát triển nông thôn"
        else:
            product.ocop_decision_number = f"{rng.randint(100, 4999)}/QĐ-UBND"
            name, kind = _PROVINCE_NAMES[province]
            product.ocop_issuer = f"UBND {'thành phố' if kind == 'thanh_pho' else 'tỉnh'} {name}"
    return product


def _tax_code(rng, kind, province, sex, taken):
    """A 10-digit code with a valid check digit (codes whose check digit would be "10" are
    skipped, as no such code exists), or for some household businesses the owner's 12-digit
    personal ID: birth-registration province code, century/sex digit, birth year, 6 digits."""
    while True:
        if kind == "HKD" and rng.random() < 0.35:
            year = rng.randint(1965, 2002)
            century_sex = (0 if year < 2000 else 2) + (1 if sex == "f" else 0)
            code = f"0{province}{century_sex}{year % 100:02d}{rng.randrange(10**6):06d}"
        else:
            head = "8" if kind == "HKD" else "0"
            first9 = f"{head}{rng.randrange(10**8):08d}"
            check = mst.calc_check_digit(first9)
            if len(check) != 1:
                continue
            code = first9 + check
        if code not in taken:
            taken.add(code)
            return code


def _phone(rng, kind, province):
    if kind == "DN" and province in data.LANDLINE_PREFIXES and rng.random() < 0.4:
        area = data.LANDLINE_PREFIXES[province]
        digits = 10 - len(area)  # national landline numbers have 10 digits after the 0
        return f"+84{area}{rng.randrange(10**digits):0{digits}d}"
    return f"+84{rng.choice(data.MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"


# Zone codes whose allowed categories cover a category, in the order a participant would pick.
ZONE_ORDER = ["C", "D", "E", "B"]


def _plan_applications(rng, plans):
    allowed = {code: set(slugs) for code, _, _, slugs in data.ZONES}
    order = list(range(len(plans)))
    rng.shuffle(order)
    statuses = [status for status, count in data.APPLICATION_MIX for _ in range(count)]
    for index, status in zip(order, statuses, strict=False):
        plan = plans[index]
        plan.status = status
        plan.booths_requested = 2 if rng.random() < 0.2 else 1
        plan.reason = rng.choice(data.DECISION_REASONS.get(status, [""]))
        main = plan.products[0].category
        fits = [code for code in ZONE_ORDER if main in allowed[code]]
        first = "A" if plan.province == "31" else ("B" if "san-pham-ocop" in plan.categories else fits[0])
        plan.zones = [first] + [code for code in fits if code != first][:1]
    # Two host-province participants take a double booth (6 × 3 m, counted as two standard ones).
    for plan in [p for p in plans if p.status == A.APPROVED and p.province == "31"][:2]:
        plan.booths_requested, plan.double_booth = 2, True
