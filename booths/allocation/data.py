"""What goes into and comes out of the allocation: plain dataclasses, no ORM."""

from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages picks up `gettext_noop`) without translating
    it here: this package has no Django. Callers translate when they show the text."""
    return message


@dataclass(frozen=True)
class BoothSpec:
    """One booth of the hall. `x`/`width` in metres along its row, `y` across the rows (booths with a
    blank row label are one row only at the same y, see booths.rules); `zone_categories` empty =
    every category."""

    id: int
    code: str
    zone_id: int
    row: str
    x: float
    width: float = 3.0
    y: float = 0.0
    booth_type_id: int | None = None
    blocked: bool = False
    zone_categories: frozenset = frozenset()


@dataclass(frozen=True)
class RequestSpec:
    """One application to place. `zone_ranks` lists zone ids, first choice first; `order` is the
    registration order (smaller = registered earlier)."""

    id: int
    booths_needed: int = 1
    booth_type_id: int | None = None
    category_ids: frozenset = frozenset()
    zone_ranks: tuple = ()
    province: str = ""
    ocop_stars: int = 0
    host_province: bool = False
    order: int = 0


@dataclass(frozen=True)
class Rules:
    """A fair's weights (the fields of booths.models.AllocationRules)."""

    weight_zone_preference: int = 10
    weight_same_province: int = 2
    weight_competitors_apart: int = 3
    weight_ocop: int = 2
    weight_host_province: int = 2
    weight_registration_order: int = 1

    @classmethod
    def from_object(cls, obj) -> "Rules":
        """The rules from any object with the same attribute names (e.g. an AllocationRules row)."""
        return cls(**{name: int(getattr(obj, name)) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Reason:
    """One line of an explanation: a message code and its parameters (ids, numbers)."""

    code: str
    params: dict = field(default_factory=dict, hash=False)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Violation:
    """A broken hard rule found by check_plan."""

    kind: str
    request_id: int | None
    booth_ids: tuple = ()

    def __str__(self):
        return f"{self.kind}: request {self.request_id}, booths {list(self.booth_ids)}"


@dataclass(frozen=True)
class Score:
    """A plan measured with the fair's objective (see objective.py); counts are of requests and pairs."""

    objective: int
    placed: int
    booths_used: int
    first_choice: int
    zone_points: int
    same_province_pairs: int
    competitor_pairs: int
    preference: int  # objective without the fixed weight per placed request


@dataclass
class Progress:
    """What the progress callback receives, at most a few times a second."""

    percent: int
    elapsed: float
    objective: int | None = None
    bound: int | None = None


@dataclass
class Plan:
    """The allocation's answer. `assignments` maps request id → booth ids (left to right along the
    row) and includes the pinned requests; `gap` is the distance to the solver's bound in percent of
    the objective (None for plans made without a bound)."""

    assignments: dict
    objective: int
    bound: int | None
    gap: float | None
    seconds: float
    status: str
    explanations: dict
    unplaced: dict
    hard_violations: int
    violations: list
    score: Score
    pinned: frozenset = frozenset()

    @property
    def placed_requests(self) -> list:
        return [rid for rid in self.assignments if rid not in self.pinned]
