"""Celery tasks of the vendor journey. Tasks take ids, load what they need and own their retries."""

import logging
import smtplib
from email.mime.image import MIMEImage

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from tuanhang.kernel.sites import site_url

from .models import Application, ApplicationStatusChange
from .selectors.decisions import status_change_for_email
from .selectors.money import payment_terms
from .selectors.vietqr import PaymentQR
from .services.otp import otp_purge
from .services.privacy import personal_documents_expire

logger = logging.getLogger(__name__)

A = Application.Status


def _subject(to_status: str, fair: str) -> str:
    # English msgids, rendered in the language active in the caller (Vietnamese).
    subjects = {
        A.APPROVED: gettext("Your application to %(fair)s is approved"),
        A.WAITLISTED: gettext("Your application to %(fair)s is on the waiting list"),
        A.REJECTED: gettext("Your application to %(fair)s is not accepted"),
        A.CANCELLED: gettext("Your participation in %(fair)s is cancelled"),
    }
    return subjects.get(to_status, gettext("News about your application to %(fair)s")) % {"fair": fair}


def decision_recipients(vendor) -> list[str]:
    """Where a business's e-mails go: its active accounts' addresses, else the profile's e-mail.
    `vendor.mailable_members` must be prefetched (selectors.decisions.status_change_for_email)."""
    addresses = []
    for member in vendor.mailable_members:
        if member.user.email not in addresses:
            addresses.append(member.user.email)
    if not addresses and vendor.email:
        addresses.append(vendor.email)
    return addresses


def _dashboard_path() -> str:
    try:
        return reverse("vendors:dashboard")
    except NoReverseMatch:  # the applying part's dashboard is not there yet: the site's home
        return reverse("home")


def decision_message(change: ApplicationStatusChange, recipients: list[str]) -> EmailMultiAlternatives:
    """The e-mail telling the business about one decision, in the site's language (Vietnamese)."""
    application = change.application
    event = application.event
    terms = payment_terms(application, event)
    qr = terms.qr if terms is not None and isinstance(terms.qr, PaymentQR) else None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "vendor": application.vendor,
            "event": event,
            "application": application,
            "decision": change.to_status,
            "decision_label": A(change.to_status).label,
            "reason": change.reason,
            "terms": terms,
            "qr": qr if change.to_status == A.APPROVED else None,
            "qr_cid": QR_CID,
            "dashboard_url": site_url(_dashboard_path()),
        }
        subject = _subject(change.to_status, event.name)
        text = render_to_string("emails/review/decision.txt", context)
        html = render_to_string("emails/review/decision.html", context)
    organiser_email = event.organiser.email
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=recipients,
        reply_to=[organiser_email] if organiser_email else None,
    )
    message.attach_alternative(html, "text/html")
    if context["qr"] is not None:
        _attach_inline_qr(message, context["qr"])
    return message


QR_CID = "vietqr"


def _attach_inline_qr(message: EmailMultiAlternatives, qr: PaymentQR) -> None:
    """The QR as an inline image the HTML part shows by cid:vietqr (a multipart/related message),
    named so that it can also be saved and opened in a banking app."""
    image = MIMEImage(qr.png(), "png")
    image.add_header("Content-ID", f"<{QR_CID}>")
    image.add_header("Content-Disposition", "inline", filename=f"vietqr-{qr.memo}.png")
    message.mixed_subtype = "related"
    message.attach(image)


@shared_task(
    name="vendors.send_decision_email",
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_decision_email(status_change_id: int) -> int:
    """Tell the business about a decision on its application (approved, waitlisted, rejected,
    cancelled): the fair, the decision, the reason, the fee due and a link to its dashboard.
    Changes nothing in the database. Returns the number of recipients (0: nobody to write to)."""
    try:
        change = status_change_for_email(status_change_id)
    except ApplicationStatusChange.DoesNotExist:
        logger.warning("decision e-mail: status change %s no longer exists", status_change_id)
        return 0
    vendor = change.application.vendor
    recipients = decision_recipients(vendor)
    if not recipients:
        logger.warning("decision e-mail: participant %s (%s) has no e-mail address", vendor.pk, vendor)
        return 0
    decision_message(change, recipients).send()
    logger.info("decision e-mail for status change %s sent to %d address(es)", status_change_id, len(recipients))
    return len(recipients)


@shared_task(name="vendors.expire_personal_documents")
def expire_personal_documents() -> int:
    """Periodic (daily): remove ID documents kept past their organiser's retention period after the
    fair (vendors.services.privacy.personal_documents_expire; safe to run twice)."""
    return personal_documents_expire()


@shared_task(name="vendors.otp_purge")
def purge_one_time_codes() -> int:
    """Periodic (hourly): delete expired one-time codes and the counter windows the phone limits
    no longer read (vendors.services.otp.otp_purge; safe to run twice). Returns the rows deleted."""
    codes, counters = otp_purge()
    logger.info("one-time codes purged: %d codes, %d counter rows", codes, counters)
    return codes + counters
