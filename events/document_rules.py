"""Which documents a fair asks of one business: its flat list (asked of everyone) and its rules
(FairDocumentRule), evaluated against what the business is, shows and answered.

Pure: the caller passes the fair's documents and rules already loaded (prefetched), so pages
and services evaluate the same rules without a query. vendors.services.documents builds the facts
from an application; the phone-first flow calls that too.
"""

from dataclasses import dataclass, field

# The plain questions rules may depend on (Application fields of the same names).
QUESTION_ATTP = "attp_certificate_required"
QUESTION_PACKAGED = "sells_packaged_food"
QUESTIONS = (QUESTION_ATTP, QUESTION_PACKAGED)


@dataclass(frozen=True)
class Facts:
    """What the rules look at. Answers are None while the business has not answered."""

    kind: str
    shows_ocop: bool
    shows_food: bool
    attp_certificate_required: bool | None = None
    sells_packaged_food: bool | None = None


@dataclass(frozen=True)
class Requirement:
    """One document asked for, or a one-of group: any one of `document_types` satisfies it."""

    document_types: tuple
    group: str = ""
    notes: tuple[str, ...] = ()
    satisfied: bool = False

    @property
    def is_group(self) -> bool:
        return len(self.document_types) > 1

    @property
    def name(self) -> str:
        return " / ".join(t.name for t in self.document_types)


@dataclass(frozen=True)
class DocumentRequirements:
    requirements: list[Requirement] = field(default_factory=list)
    # Every document type this fair may ask for (uploads of other types are refused).
    catalogue: tuple = ()
    # The questions the fair's rules depend on, and those still unanswered.
    questions: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()

    @property
    def missing(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.satisfied]

    @property
    def required_types(self) -> list:
        """The document types asked of this business (each once, in order)."""
        seen, types = set(), []
        for requirement in self.requirements:
            for document_type in requirement.document_types:
                if document_type.pk not in seen:
                    seen.add(document_type.pk)
                    types.append(document_type)
        return types


def rule_holds(rule, facts: Facts) -> bool:
    """All the rule's conditions hold (a condition left empty holds; an unanswered question does not)."""
    if rule.kind_set and facts.kind not in rule.kind_set:
        return False
    for name in ("shows_ocop", "shows_food", QUESTION_ATTP, QUESTION_PACKAGED):
        wanted = getattr(rule, name)
        if wanted is not None and getattr(facts, name) != wanted:
            return False
    return True


def questions_asked(rules) -> tuple[str, ...]:
    """The plain questions the rules depend on, in a fixed order."""
    return tuple(q for q in QUESTIONS if any(getattr(rule, q) is not None for rule in rules))


def document_requirements(*, everyone, rules, facts: Facts, uploaded_type_ids) -> DocumentRequirements:
    """The documents asked of a business: `everyone` (document types asked unconditionally), then
    the rules that hold, grouped by their group name (a group is satisfied by any one upload)."""
    uploaded = set(uploaded_type_ids)
    everyone, rules = list(everyone), list(rules)
    requirements, required_alone = [], set()
    for document_type in everyone:
        required_alone.add(document_type.pk)
        requirements.append(Requirement((document_type,), satisfied=document_type.pk in uploaded))
    groups: dict[str, list] = {}
    for rule in rules:
        if not rule_holds(rule, facts):
            continue
        if rule.group:
            groups.setdefault(rule.group, []).append(rule)
        elif rule.document_type_id not in required_alone:
            required_alone.add(rule.document_type_id)
            requirements.append(
                Requirement((rule.document_type,), notes=_notes([rule]), satisfied=rule.document_type_id in uploaded)
            )
    for name, members in groups.items():
        types = _unique_types(members)
        requirements.append(
            Requirement(tuple(types), group=name, notes=_notes(members), satisfied=any(t.pk in uploaded for t in types))
        )
    questions = questions_asked(rules)
    return DocumentRequirements(
        requirements=requirements,
        catalogue=tuple(_unique(everyone + [rule.document_type for rule in rules])),
        questions=questions,
        unanswered=tuple(q for q in questions if getattr(facts, q) is None),
    )


def _notes(rules) -> tuple[str, ...]:
    return tuple(dict.fromkeys(rule.note for rule in rules if rule.note))


def _unique_types(rules) -> list:
    return _unique([rule.document_type for rule in rules])


def _unique(types) -> list:
    seen, result = set(), []
    for document_type in types:
        if document_type.pk not in seen:
            seen.add(document_type.pk)
            result.append(document_type)
    return result
