"""The documents a fair asks of one application: the one place that decides it.

"Shows OCOP products" means a product chosen for this application has OCOP stars; "shows food"
means a chosen category, or the category of a chosen product, is marked as food. What the
business answered (attp_certificate_required, sells_packaged_food) is read from the application.

Reads the relations through .all(), so the prefetches of the applying and review selectors
(application_document_prefetches) make it query-free; without them it runs a few small queries.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext as _

from events.document_rules import DocumentRequirements, Facts, document_requirements
from events.models import DocumentType

from ..models import Application, Vendor

# What application_documents reads: prefetch these (with select_related("vendor", "event")).
DOCUMENT_PREFETCHES = (
    "event__required_documents",
    "event__document_rules__document_type",
    "categories",
    "products__category",
    "documents",
)


def application_facts(application: Application, *, answers: dict | None = None) -> Facts:
    """What the rules look at for this application; `answers` (e.g. a bound form's) override the stored ones."""
    answers = answers or {}
    products = list(application.products.all())
    categories = list(application.categories.all())
    return Facts(
        kind=application.vendor.kind,
        shows_ocop=any(p.ocop_stars for p in products),
        shows_food=any(c.is_food for c in categories) or any(p.category.is_food for p in products),
        attp_certificate_required=answers.get("attp_certificate_required", application.attp_certificate_required),
        sells_packaged_food=answers.get("sells_packaged_food", application.sells_packaged_food),
    )


def application_documents(application: Application, *, answers: dict | None = None) -> DocumentRequirements:
    """The documents required of this application (single ones and one-of groups), which are
    still missing, and the plain questions its fair's rules depend on (and which are unanswered)."""
    event = application.event
    return document_requirements(
        everyone=event.required_documents.all(),
        rules=event.document_rules.all(),
        facts=application_facts(application, answers=answers),
        uploaded_type_ids=[d.document_type_id for d in application.documents.all()],
    )


def documents_by_application(applications: Iterable[Application]) -> dict[int, DocumentRequirements]:
    """application_documents for many applications at once, keyed by application id: the same
    rules, read with a fixed number of queries whatever the number of applications (their
    business and fair, then DOCUMENT_PREFETCHES; relations already loaded are not read again).
    The review list, its "missing documents" filter and the reminders count with this."""
    applications = list(applications)
    prefetch_related_objects(applications, "vendor", "event", *DOCUMENT_PREFETCHES)
    return {application.pk: application_documents(application) for application in applications}


def one_of_label(names: Sequence[str]) -> str:
    """How a message names a one-of group: "A or B", "A, B or C" (in the active language)."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def event_document_catalogue(event) -> list:
    """Every document type a fair may ask for (its flat list and its rules' types), each once."""
    seen, types = set(), []
    for document_type in [*event.required_documents.all(), *(r.document_type for r in event.document_rules.all())]:
        if document_type.pk not in seen:
            seen.add(document_type.pk)
            types.append(document_type)
    return types


def fair_asks_for(event, document_type_id) -> bool:
    """Whether the fair may ask for this document type (in its flat list or one of its rules): one query."""
    return (
        DocumentType.objects.filter(pk=document_type_id)
        .filter(Q(events=event) | Q(pk__in=event.document_rules.values("document_type")))
        .exists()
    )


def rule_conditions_text(rule) -> str:
    """The rule's conditions in plain words ("Household business (HKD); shows food; …"), or ""."""
    parts = [str(Vendor.Kind(kind).label) for kind in sorted(rule.kind_set) if kind in Vendor.Kind.values]
    wording = {
        "shows_ocop": (_("shows OCOP products"), _("shows no OCOP product")),
        "shows_food": (_("shows food"), _("shows no food")),
        "attp_certificate_required": (
            _("subject to the food-safety certificate"),
            _("exempt from the food-safety certificate"),
        ),
        "sells_packaged_food": (
            _("sells packaged food needing a self-declaration"),
            _("sells no packaged food needing a self-declaration"),
        ),
    }
    for name, (yes, no) in wording.items():
        value = getattr(rule, name)
        if value is not None:
            parts.append(str(yes if value else no))
    return "; ".join(parts)


def event_document_list(event) -> list[tuple]:
    """What a fair asks for, for its public page and a new application: (document type, the
    conditions in words or "" for everyone, group name, note), the flat list first."""
    rows = [(t, "", "", "") for t in event.required_documents.all()]
    rows += [(r.document_type, rule_conditions_text(r), r.group, r.note) for r in event.document_rules.all()]
    return rows
