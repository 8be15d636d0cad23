"""Writes for participants and their applications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tuanhang.kernel.transitions import check_transition, copy_fields

from ..models import Application, ApplicationStatusChange, Vendor, VendorMember
from ..signals import application_status_changed
from ..tasks import send_decision_email
from .amounts import recompute_amount_due
from .identity import vendor_identity_hold

A = Application.Status

APPLICATION_TRANSITIONS = {
    A.DRAFT: {A.SUBMITTED, A.WITHDRAWN},
    A.SUBMITTED: {A.APPROVED, A.WAITLISTED, A.REJECTED, A.WITHDRAWN},
    A.WAITLISTED: {A.APPROVED, A.REJECTED, A.WITHDRAWN},
    A.APPROVED: {A.WAITLISTED, A.CANCELLED, A.WITHDRAWN},
    A.REJECTED: {A.APPROVED, A.WAITLISTED},
    A.WITHDRAWN: set(),
    A.CANCELLED: set(),
}
DECISIONS = {A.APPROVED, A.WAITLISTED, A.REJECTED, A.CANCELLED}


def vendor_save(*, form, by=None, asked_by=None) -> Vendor:
    """Create or update a participant from a valid VendorForm. An account that acts for no
    business yet becomes its owner (one business per account).

    A change of the legal identity of a business that has applied is held for approval
    (vendors.services.identity; `asked_by`, or else `by`, is recorded as who asked): the other
    fields are saved, `vendor.identity_change_held` is the pending request (or None)."""
    with transaction.atomic():
        held = vendor_identity_hold(vendor=form.instance, by=asked_by or by)
        vendor = form.save()
        vendor.identity_change_held = held
        if by is not None and by.is_authenticated and not VendorMember.objects.filter(user=by).exists():
            VendorMember.objects.create(vendor=vendor, user=by, role=VendorMember.Role.OWNER)
    return vendor


def application_create(*, vendor: Vendor, event, booths_requested=1, status=A.DRAFT, by=None, **fields) -> Application:
    """Open an application of a participant to a fair (one per pair; the database enforces it)."""
    if booths_requested < 1 or booths_requested > event.max_booths_per_participant:
        raise ValidationError(
            {"booths_requested": _("Ask for between 1 and %(max)s booths.") % {"max": event.max_booths_per_participant}}
        )
    with transaction.atomic():
        application = Application.objects.create(
            vendor=vendor, event=event, booths_requested=booths_requested, **fields
        )
        if status != A.DRAFT:
            application_transition(application=application, to_status=status, by=by)
    return application


def application_transition(*, application: Application, to_status: str, by=None, reason="", notify=True) -> Application:
    """Move an application to another status, recording who, when, from where and why.

    Sends vendors.signals.application_status_changed inside the transaction (booths releases the
    booths of a rejected, withdrawn, cancelled or waitlisted application there), then recomputes
    what the application owes (vendors.services.amounts).
    A decision (DECISIONS) queues the e-mail telling the business, once the transaction commits,
    unless notify is False (imports of lists the organisers already decided, the demo seed).
    Raises ValidationError when the step is not allowed from the current status.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        check_transition(
            APPLICATION_TRANSITIONS,
            A,
            locked.status,
            to_status,
            _("An application cannot go from “%(from)s” to “%(to)s”."),
        )
        now = timezone.now()
        change = ApplicationStatusChange.objects.create(
            application=locked, from_status=locked.status, to_status=to_status, reason=reason, changed_by=by
        )
        changed = ["status", "updated_at"]
        locked.status = to_status
        if to_status == A.SUBMITTED:
            locked.submitted_at = now
            changed.append("submitted_at")
        if to_status in DECISIONS:
            locked.decided_at, locked.decided_by, locked.decision_reason = now, by, reason
            changed += ["decided_at", "decided_by", "decision_reason"]
        if to_status == A.APPROVED:
            # What was approved: prints and exports keep showing it after a later identity change.
            vendor = Vendor.objects.only("name", "kind", "tax_code").get(pk=locked.vendor_id)
            locked.approved_name, locked.approved_kind, locked.approved_tax_code = (
                vendor.name,
                vendor.kind,
                vendor.tax_code,
            )
            changed += ["approved_name", "approved_kind", "approved_tax_code"]
        locked.save(update_fields=changed)
        application_status_changed.send(
            sender=Application, application=locked, from_status=change.from_status, to_status=to_status, by=by
        )
        # After the receivers: booths released by a rejection or withdrawal are no longer charged.
        recompute_amount_due(locked)
        if to_status in DECISIONS and notify:
            # robust: the decision is committed by then; a broker hiccup is logged, not shown as an error.
            transaction.on_commit(lambda: send_decision_email.delay(change.pk), robust=True)
    copy_fields(
        locked,
        application,
        (
            "status",
            "submitted_at",
            "decided_at",
            "decided_by",
            "decision_reason",
            "approved_name",
            "approved_kind",
            "approved_tax_code",
        ),
    )
    return application


def applications_decide(*, applications, to_status: str, by=None, reason="") -> tuple[int, list[str]]:
    """Apply one decision to many applications (admin and staff bulk actions).

    Each application moves in its own transaction; returns (done, error messages)."""
    done, errors = 0, []
    for application in applications:
        try:
            application_transition(application=application, to_status=to_status, by=by, reason=reason)
            done += 1
        except ValidationError as exc:
            errors.append(f"{application.vendor}: {' '.join(exc.messages)}")
    return done, errors


def decided_message(to_status: str, count: int) -> str:
    """What the organiser is told after applications_decide: how many applications got the decision."""
    by_status = {
        A.APPROVED: ngettext("%(count)d application approved.", "%(count)d applications approved.", count),
        A.WAITLISTED: ngettext(
            "%(count)d application put on the waiting list.", "%(count)d applications put on the waiting list.", count
        ),
        A.REJECTED: ngettext("%(count)d application rejected.", "%(count)d applications rejected.", count),
        A.CANCELLED: ngettext("%(count)d application cancelled.", "%(count)d applications cancelled.", count),
    }
    return by_status[to_status] % {"count": count}


def undecided_message(errors: list[str]) -> str:
    """What the organiser is told about the applications applications_decide could not change, and why."""
    return ngettext(
        "%(count)d application was not changed: %(errors)s",
        "%(count)d applications were not changed: %(errors)s",
        len(errors),
    ) % {"count": len(errors), "errors": " ".join(errors)}


def vendors_import(*, rows, event=None, by=None) -> list[Vendor]:
    """Write the valid rows of a participant-list import in one transaction (all or nothing).

    Each row carries a valid VendorForm bound to the existing participant with its tax code (or to
    none), and, with a fair, the booths asked for and what to do with the application: "create" makes
    an application and approves it, "update" changes booths_requested of the existing one, "keep"
    leaves it alone. The organiser running the import is recorded on the decisions but does not
    become an owner of the participants.
    """
    vendors = []
    with transaction.atomic():
        for row in rows:
            vendor = vendor_save(form=row.form, asked_by=by)
            vendors.append(vendor)
            if event is None or row.application_action == "keep":
                continue
            if row.application_action == "update":
                application = Application.objects.select_for_update().get(pk=row.application.pk)
                if application.status in {A.DRAFT, A.SUBMITTED, A.WAITLISTED, A.APPROVED}:
                    application.booths_requested = row.booths
                    application.save(update_fields=["booths_requested", "updated_at"])
                    recompute_amount_due(application)
                continue
            application = application_create(
                vendor=vendor, event=event, booths_requested=row.booths, status=A.SUBMITTED, by=by
            )
            application_transition(
                application=application,
                to_status=A.APPROVED,
                by=by,
                reason=_("Imported from a participant list."),
                notify=False,
            )
    return vendors
