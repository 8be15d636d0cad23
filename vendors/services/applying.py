"""Writes of a business's own application to a fair: save (as a draft or submitted), submit,
withdraw, and upload the documents the fair asks for.

The rules a fair sets are checked here, inside the transaction, whatever the form said:
applications are accepted only while the fair's registration window is open (status
"registration open" and now between its opening and closing); an application can be changed
only in that window and while it is a draft or submitted; submitting needs the fair's terms
accepted and every required document uploaded. Status steps go through core's
application_transition (which records them and, on withdrawal, releases any booth).
"""

from functools import partial
from pathlib import PurePosixPath

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.document_rules import QUESTIONS
from events.models import Event
from events.registration import registration_is_open, registration_refusal, when
from tuanhang.kernel.uploads import checked_document, delete_stored_file

from ..models import Application, ApplicationDocument
from .amounts import recompute_amount_due
from .core import APPLICATION_TRANSITIONS, application_create, application_transition
from .documents import application_documents, fair_asks_for
from .reuse import copy_withdraw, document_copy_into, reuse_refusal

A = Application.Status
E = Event.Status


class IncompleteApplication(ValidationError):
    """Submission refused only because something is missing (terms, answers, documents): the
    application itself is valid and can be kept as a draft."""


# The statuses in which the business may still change its application (within the window).
EDITABLE_STATUSES = frozenset({A.DRAFT, A.SUBMITTED})
MAX_ZONE_PREFERENCES = 3
_DOCUMENT_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def application_edit_refusal(application: Application, *, now=None) -> str | None:
    """Why the business can no longer change this application (None when it can). Needs application.event."""
    now = now or timezone.now()
    event = application.event
    if application.status not in EDITABLE_STATUSES:
        return _("This application is “%(status)s”: it can no longer be changed.") % {
            "status": A(application.status).label
        }
    if registration_is_open(event, now=now):
        return None
    if now >= event.registration_closes_at:
        return _(
            "The registration deadline of “%(fair)s” (%(at)s) has passed: this application can no longer be changed."
        ) % {"fair": event.name, "at": when(event.registration_closes_at)}
    return registration_refusal(event, now=now)


def application_can_withdraw(application: Application) -> bool:
    return A.WITHDRAWN in APPLICATION_TRANSITIONS[application.status]


def application_missing_documents(application: Application) -> list:
    """What the fair's rules ask of this application and it has no file for: a list of
    events.document_rules.Requirement (a single document or a one-of group)."""
    return application_documents(application).missing


# --- saving -------------------------------------------------------------------------------


def application_save_draft(
    *, vendor, event: Event, application: Application | None = None, by=None, now=None, **fields
) -> Application:
    """Create the business's application to a fair, or change it.

    A new application is a draft; a submitted one stays submitted, so it must still meet the
    submission rules (terms accepted, required documents present). `fields`: booths_requested,
    booth_type, zones (ranked, first choice first), categories, products, note, accept_terms and
    the answers attp_certificate_required / sells_packaged_food (True, False or None); reuse: the
    business's documents of other applications to copy in (where it has no file of that type yet),
    reuse_declined: those whose copy it no longer wants (removed).
    Raises ValidationError (keyed by form field where there is one) and writes nothing when the
    registration window is closed, the application can no longer change, or a rule is broken.
    """
    with transaction.atomic():
        return _save(vendor=vendor, event=event, application=application, by=by, now=now, fields=fields)


def application_save_and_submit(
    *, vendor, event: Event, application: Application | None = None, by=None, now=None, **fields
) -> Application:
    """Save as application_save_draft does, then submit a draft, all in one transaction:
    when submission is refused (terms, documents) nothing at all is written."""
    with transaction.atomic():
        application = _save(vendor=vendor, event=event, application=application, by=by, now=now, fields=fields)
        if application.status == A.DRAFT:
            _check_complete(application)
            application_transition(application=application, to_status=A.SUBMITTED, by=by)
    return application


def application_submit(*, application: Application, by=None, now=None) -> Application:
    """Submit a draft as it stands (draft → submitted, recorded by application_transition).

    Refused (ValidationError, nothing written) outside the registration window, when the
    application is not a draft, without the fair's terms accepted or with a required document missing."""
    with transaction.atomic():
        locked = _lock(application)
        _check_editable(locked, now=now)
        if locked.status != A.DRAFT:
            raise ValidationError(_("This application has already been submitted."), code="already_submitted")
        _check_complete(locked)
        application_transition(application=locked, to_status=A.SUBMITTED, by=by)
    application.status, application.submitted_at = locked.status, locked.submitted_at
    return application


def application_withdraw(*, application: Application, by=None, reason: str = "") -> Application:
    """Withdraw the application (recorded with the optional reason); any booth it held is released
    by application_transition. Refused with ValidationError once it is withdrawn, rejected or cancelled."""
    return application_transition(application=application, to_status=A.WITHDRAWN, by=by, reason=reason)


def _lock(application: Application) -> Application:
    """The application's row locked for the transaction (a staff decision takes the same lock)."""
    return Application.objects.select_for_update(of=("self",)).select_related("event").get(pk=application.pk)


def _lock_own(application: Application, *, vendor, event) -> Application:
    """The business's application locked before its status is checked, so that a staff decision
    taken meanwhile (same lock) is seen and the change refused rather than written over it."""
    return Application.objects.select_for_update(of=("self",)).get(pk=application.pk, vendor=vendor, event=event)


def _check_editable(application: Application, *, now=None):
    refusal = application_edit_refusal(application, now=now)
    if refusal:
        raise ValidationError(refusal, code="not_editable")


def _save(*, vendor, event, application, by, now, fields) -> Application:
    now = now or timezone.now()
    event = Event.objects.get(pk=event.pk)  # the status and dates as they are now, not as the form saw them
    if application is None:
        refusal = registration_refusal(event, now=now)
        if refusal:
            raise ValidationError(refusal, code="registration_closed")
        _check_fields(vendor=vendor, event=event, fields=fields)
        application = _create(vendor=vendor, event=event, fields=fields, by=by)
    else:
        application = _lock_own(application, vendor=vendor, event=event)
        application.event = event
        _check_editable(application, now=now)
        _check_fields(vendor=vendor, event=event, fields=fields)
        application.booths_requested = fields["booths_requested"]
        application.booth_type = fields.get("booth_type")
        application.note = fields.get("note", "")
    if fields.get("accept_terms"):
        application.terms_accepted_at = application.terms_accepted_at or now
    else:
        application.terms_accepted_at = None
    for question in QUESTIONS:  # answers the form did not ask keep their stored value
        if question in fields:
            setattr(application, question, fields[question])
    application.save(
        update_fields=["booths_requested", "booth_type", "note", "terms_accepted_at", *QUESTIONS, "updated_at"]
    )
    application.categories.set(fields.get("categories") or [])
    application.products.set(fields.get("products") or [])
    _set_zone_preferences(application, fields.get("zones") or [])
    _reuse_documents(application, event=event, by=by, reuse=fields.get("reuse"), declined=fields.get("reuse_declined"))
    recompute_amount_due(application)
    if application.status == A.SUBMITTED:
        _check_complete(application)
    return application


def _create(*, vendor, event, fields, by) -> Application:
    try:
        with transaction.atomic():
            return application_create(
                vendor=vendor,
                event=event,
                booths_requested=fields["booths_requested"],
                booth_type=fields.get("booth_type"),
                note=fields.get("note", ""),
                by=by,
            )
    except IntegrityError:
        raise ValidationError(_("Your business has already applied to this fair."), code="duplicate") from None


def _reuse_documents(application: Application, *, event, by, reuse=None, declined=None):
    """The documents sent with earlier applications that this one reuses (copied into it, in the
    save's transaction), unless it already has a file of that type; and the copies taken back of
    those the business no longer wants to reuse ("reuse" box unticked: it will upload a new one)."""
    for document in declined or ():
        copy_withdraw(application=application, document=document)
    have = set(application.documents.values_list("document_type_id", flat=True)) if reuse else set()
    for document in reuse or ():
        refusal = reuse_refusal(document=document, application=application)
        if refusal:
            raise ValidationError(refusal, code="not_reusable")
        if document.document_type_id in have:
            continue
        if not fair_asks_for(event, document.document_type_id):
            raise ValidationError(_("This fair does not ask for this document."), code="not_required")
        document_copy_into(application=application, document=document, by=by)
        have.add(document.document_type_id)


def _set_zone_preferences(application: Application, zones):
    ZonePreference = Application.zone_preferences.through
    ZonePreference.objects.filter(application=application).delete()
    ZonePreference.objects.bulk_create(
        [ZonePreference(application=application, zone=zone, rank=rank) for rank, zone in enumerate(zones, start=1)]
    )


def _check_fields(*, vendor, event: Event, fields):
    """The fair's and the business's rules on the values (the form offers only valid choices;
    this keeps any other caller honest)."""
    errors = {}
    booths = fields.get("booths_requested")
    if not isinstance(booths, int) or not 1 <= booths <= event.max_booths_per_participant:
        errors["booths_requested"] = _("Ask for between 1 and %(max)s booths.") % {
            "max": event.max_booths_per_participant
        }
    booth_type = fields.get("booth_type")
    if booth_type is not None and booth_type.event_id != event.pk:
        errors["booth_type"] = _("This booth type belongs to another fair.")
    zones = list(fields.get("zones") or [])
    if len(zones) > MAX_ZONE_PREFERENCES:
        errors[NON_FIELD_ERRORS] = _("Choose at most %(max)s zones.") % {"max": MAX_ZONE_PREFERENCES}
    seen = set()
    for rank, zone in enumerate(zones, start=1):
        if zone.event_id != event.pk:
            errors[f"zone_{rank}"] = _("This zone belongs to another fair.")
        elif zone.pk in seen:
            errors[f"zone_{rank}"] = _("You already chose this zone.")
        seen.add(zone.pk)
    allowed = set(event.categories.values_list("pk", flat=True))
    categories = list(fields.get("categories") or [])
    if allowed and any(c.pk not in allowed for c in categories):
        errors["categories"] = _("Choose only categories this fair accepts.")
    products = list(fields.get("products") or [])
    if any(p.vendor_id != vendor.pk for p in products):
        errors["products"] = _("Choose only your own products.")
    elif allowed and any(p.category_id not in allowed for p in products):
        errors["products"] = _("Choose only products in categories this fair accepts.")
    if errors:
        raise ValidationError(errors)


def application_submission_check(application: Application) -> None:
    """Raise IncompleteApplication with what submitting the application as it stands still lacks
    (the same check application_submit makes); writes nothing."""
    _check_complete(application)


def _check_complete(application: Application):
    """Submission needs the fair's terms accepted, the questions its document rules depend on
    answered, and a file for every document its rules ask of this business (one of each group)."""
    errors = {}
    if application.terms_accepted_at is None:
        errors["accept_terms"] = _("Accept the fair's terms to submit the application.")
    required = application_documents(application)
    for question in required.unanswered:
        errors[question] = _("Answer this question: the documents this fair asks for depend on it.")
    for requirement in required.missing:
        names = [t.name for t in requirement.document_types]
        if requirement.is_group:
            message = _("Upload one of these documents before submitting: %(documents)s.") % {
                "documents": _(" or ").join(f"“{n}”" for n in names)
            }
        else:
            message = _("Upload “%(document)s” before submitting.") % {"document": names[0]}
        errors[f"document_{requirement.document_types[0].pk}"] = message
    if errors:
        raise IncompleteApplication(errors)


# --- documents ----------------------------------------------------------------------------


def application_document_upload(
    *, application: Application, document_type, upload, by=None, now=None, consent: bool = False
) -> ApplicationDocument:
    """Store a required document of the application (PDF, JPEG, PNG or HEIC by content, at most 10 MB;
    a picture re-encoded without its metadata), replacing the file it had for that document type;
    the old file is deleted after commit.

    Raises ValidationError ({"file": …} for a bad file) and stores nothing when the file is
    refused, the document type is not one the fair asks for, or the application can no longer change.
    `consent`: the uploader agreed to the processing of an identity document (recorded with the time).
    """
    try:
        checked = checked_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from None
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(application)
        _check_editable(locked, now=now)
        if not fair_asks_for(locked.event, document_type.pk):
            raise ValidationError(_("This fair does not ask for this document."), code="not_required")
        document = (
            ApplicationDocument.objects.select_for_update()
            .filter(application=locked, document_type=document_type)
            .first()
        ) or ApplicationDocument(application=locked, document_type=document_type)
        old_name = document.file.name if document.pk else None
        document.original_name = PurePosixPath((upload.name or "").replace("\\", "/")).name[:255] or "document"
        document.content_type = checked.content_type
        document.size = checked.file.size
        document.uploaded_by = by
        document.uploaded_at = now
        document.consent_at = now if consent and document_type.personal else None
        document.copied_from = None  # a file of its own now, whatever the row held before
        # The stored name's extension follows the content, not the name the client sent.
        document.file.save(f"document{_DOCUMENT_EXTENSIONS[checked.content_type]}", checked.file, save=False)
        storage, new_name = document.file.storage, document.file.name
        try:
            document.save()
        except Exception:
            storage.delete(new_name)
            raise
        if old_name:
            transaction.on_commit(partial(delete_stored_file, storage, old_name))  # and its page previews
    return document
