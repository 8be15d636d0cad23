"""Writes for fairs. Every status change goes through event_transition; the category words an
organiser confirms at an import through category_aliases_confirm."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tuanhang.kernel.transitions import check_transition, copy_fields
from tuanhang.kernel.vn import fold

from .categories import category_key
from .models import Category, CategoryAlias, Event, EventStatusChange

S = Event.Status

# The life cycle, with the few steps back an organiser needs (unpublish, reopen registration).
EVENT_TRANSITIONS = {
    S.DRAFT: {S.PUBLISHED},
    S.PUBLISHED: {S.DRAFT, S.REGISTRATION_OPEN},
    S.REGISTRATION_OPEN: {S.REGISTRATION_CLOSED},
    S.REGISTRATION_CLOSED: {S.REGISTRATION_OPEN, S.RUNNING},
    S.RUNNING: {S.FINISHED},
    S.FINISHED: {S.ARCHIVED},
    S.ARCHIVED: set(),
}


def event_transition(*, event: Event, to_status: str, by=None) -> Event:
    """Move a fair to another life-cycle status, recording who and when.

    Locks the fair's row so two organisers cannot step it concurrently.
    Raises ValidationError when the step is not allowed from the current status.
    """
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        check_transition(
            EVENT_TRANSITIONS, S, locked.status, to_status, _("A fair cannot go from “%(from)s” to “%(to)s”.")
        )
        EventStatusChange.objects.create(event=locked, from_status=locked.status, to_status=to_status, changed_by=by)
        locked.status = to_status
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = by
        changed = ["status", "status_changed_at", "status_changed_by"]
        locked.save(update_fields=changed)
    copy_fields(locked, event, changed)
    return event


# Which date moves a fair automatically from one status to the next.
_DATE_STEPS = [
    (S.PUBLISHED, S.REGISTRATION_OPEN, "registration_opens_at"),
    (S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, "registration_closes_at"),
    (S.REGISTRATION_CLOSED, S.RUNNING, "opens_at"),
    (S.RUNNING, S.FINISHED, "closes_at"),
]


def events_advance_by_dates(*, now=None) -> int:
    """Step every published fair whose date has passed (registration opens/closes, opening,
    closing) to its next status. Safe to run repeatedly. Returns how many steps were made."""
    now = now or timezone.now()
    steps = 0
    for from_status, to_status, field in _DATE_STEPS:
        for event in Event.objects.filter(status=from_status, **{f"{field}__lte": now}).only("pk", "status"):
            try:
                event_transition(event=event, to_status=to_status)
            except ValidationError:
                continue  # someone moved it meanwhile
            steps += 1
    return steps


# A mapping's target that asks for a new category named as the word is written.
NEW_CATEGORY = "new"


def category_aliases_confirm(*, organiser, mappings) -> list[Category]:
    """Remember the organiser's category words: `mappings` are (word, target) pairs, the target a
    Category or NEW_CATEGORY (a category named as the word is written; one already there under
    that name, accents and case aside, is used instead of a second). Each word becomes (or
    replaces) the organiser's CategoryAlias, stored as category_key() writes it. Returns the
    categories created. Runs in the caller's transaction (the import confirms and writes in one)."""
    created = []
    with transaction.atomic():
        for word, target in mappings:
            key = category_key(word)
            if not key:
                continue
            category = _category_named(word, created) if target == NEW_CATEGORY else target
            CategoryAlias.objects.update_or_create(organiser=organiser, word=key, defaults={"category": category})
    return created


def _category_named(word: str, created: list) -> Category:
    name = " ".join(word.split())[: Category._meta.get_field("name").max_length]
    key = category_key(name)
    for category in Category.objects.all():
        if category_key(category.name) == key:
            return category
    base = slugify(fold(name))[:110] or "nhom-hang"
    slug, n = base, 1
    while Category.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    category = Category.objects.create(name=name, slug=slug)
    created.append(category)
    return category
