"""An allocation run's stored plan, typed: what AllocationRun.plan (JSON) holds, read by one loader.

The JSON keeps its shape (string keys for ids, as JSON needs); everything else reads it through
StoredPlan.load(run.plan) and writes it with StoredPlan.dump(). Pure Python: no Django.

Before the worker has finished, a run's plan holds only its mode ({"mode": "keep" | "replan"});
StoredPlan.load then gives a plan with `ready` False and nothing placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

KEEP, REPLAN = "keep", "replan"


@dataclass(frozen=True)
class PlannedBooths:
    """The booths a plan gives one application."""

    application_id: int
    booths: tuple[int, ...]
    codes: tuple[str, ...]
    name: str
    fixed: bool = False  # it keeps what it holds now (not moved by this plan)
    pinned: bool = False  # created pinned when the plan is applied
    explanation: tuple[dict, ...] = ()  # stored reasons ({"code", "params"}) why it got them

    def dump(self) -> dict:
        return {
            "booths": list(self.booths),
            "codes": list(self.codes),
            "name": self.name,
            "fixed": self.fixed,
            "pinned": self.pinned,
            "explanation": list(self.explanation),
        }


@dataclass(frozen=True)
class Unplaced:
    """An application the plan could not place, with the stored reason."""

    application_id: int
    name: str
    reason: dict

    def dump(self) -> dict:
        return {"name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class StoredPlan:
    mode: str = KEEP
    ready: bool = False  # False while the run has no plan yet
    status: str = ""
    objective: int | None = None
    bound: int | None = None
    gap: float | None = None
    seconds: float | None = None
    requests: int = 0
    placed: int = 0
    unplaced_count: int = 0
    first_choice_zone: int = 0
    hard_violations: int = 0
    assignments: dict[int, PlannedBooths] = field(default_factory=dict)
    unplaced: dict[int, Unplaced] = field(default_factory=dict)
    zones: dict[int, str] = field(default_factory=dict)
    booth_codes: dict[int, str] = field(default_factory=dict)

    FIGURES = (
        "status",
        "objective",
        "bound",
        "gap",
        "seconds",
        "requests",
        "placed",
        "unplaced_count",
        "first_choice_zone",
        "hard_violations",
    )

    @classmethod
    def load(cls, data: dict | None) -> StoredPlan:
        """The plan from AllocationRun.plan."""
        data = data or {}
        if data.get("assignments") is None:
            return cls(mode=data.get("mode", KEEP))
        return cls(
            mode=data.get("mode", KEEP),
            ready=True,
            **{name: data.get(name) for name in cls.FIGURES if name in data},
            assignments={
                int(key): PlannedBooths(
                    application_id=int(key),
                    booths=tuple(entry["booths"]),
                    codes=tuple(entry["codes"]),
                    name=entry["name"],
                    fixed=bool(entry.get("fixed")),
                    pinned=bool(entry.get("pinned")),
                    explanation=tuple(entry.get("explanation", ())),
                )
                for key, entry in data["assignments"].items()
            },
            unplaced={
                int(key): Unplaced(application_id=int(key), name=entry["name"], reason=entry["reason"])
                for key, entry in (data.get("unplaced") or {}).items()
            },
            zones={int(key): label for key, label in (data.get("zones") or {}).items()},
            booth_codes={int(key): code for key, code in (data.get("booth_codes") or {}).items()},
        )

    def dump(self) -> dict:
        """The JSON stored on the run."""
        if not self.ready:
            return {"mode": self.mode}
        return {
            "mode": self.mode,
            **{name: getattr(self, name) for name in self.FIGURES},
            "assignments": {str(rid): entry.dump() for rid, entry in self.assignments.items()},
            "unplaced": {str(rid): entry.dump() for rid, entry in self.unplaced.items()},
            "zones": {str(zone): label for zone, label in self.zones.items()},
            "booth_codes": {str(booth): code for booth, code in self.booth_codes.items()},
        }

    # --- reading ---------------------------------------------------------------------------------

    def name_of(self, application_id) -> str | None:
        """The business name an application has in the plan (placed or not), None if it is not in it."""
        entry = self.assignments.get(application_id) or self.unplaced.get(application_id)
        return entry.name if entry is not None else None

    def names(self) -> dict[int, str]:
        return {
            **{rid: entry.name for rid, entry in self.unplaced.items()},
            **{rid: entry.name for rid, entry in self.assignments.items()},
        }

    def planned(self) -> dict[int, list[int]]:
        """{application id: booth ids} of every placed application."""
        return {rid: list(entry.booths) for rid, entry in self.assignments.items()}

    def fixed(self) -> dict[int, list[int]]:
        """{application id: booth ids} of the applications that keep what they hold."""
        return {rid: list(entry.booths) for rid, entry in self.assignments.items() if entry.fixed}

    def pinned_ids(self) -> set[int]:
        return {rid for rid, entry in self.assignments.items() if entry.pinned}

    def with_pin(self, application_id, pinned: bool) -> StoredPlan:
        entry = self.assignments[application_id]
        return replace(self, assignments={**self.assignments, application_id: replace(entry, pinned=pinned)})
