"""What a reminder says: the variables organisers may write in a rule's message, and the e-mail
(HTML + plain text) and Zalo request made from a rule for one business.

Variables are written {business_name}; only the names in VARIABLES are replaced (a plain
look-up, no attribute access or formatting language), and the rule form refuses any other
name. The organiser's text is plain text: the HTML part escapes it in the template."""

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.templatetags.vn import vnd
from tuanhang.kernel.sites import site_url
from vendors.models import Application
from vendors.payment_codes import code_for
from vendors.selectors.instalments import Instalment, next_instalment
from vendors.selectors.money import amount_due, owed_for
from vendors.selectors.vietqr import qr_image_url
from vendors.services.documents import one_of_label

VARIABLE = re.compile(r"\{([a-z_]+)\}")

VARIABLES = {
    "business_name": _("the business's name"),
    "fair_name": _("the fair's name"),
    "venue": _("the venue"),
    "booth_codes": _("the booths given to the business, e.g. A01, A02"),
    "registration_closes_at": _("when registration closes"),
    "setup_at": _("booth handover"),
    "opens_at": _("opening"),
    "closes_at": _("closing"),
    "fee_due": _("the fee due, e.g. 5.000.000 ₫"),
    "status": _("the application's status"),
    "missing_documents": _("the documents still missing"),
    "link": _("the link to the business's dashboard"),
    "qr_link": _("the link to the VietQR image of what is still to pay (works without logging in)"),
    "amount_outstanding": _("what is still owed in all, e.g. 2.500.000 ₫"),
    "amount_by_deadline": _("what is to be paid by the next payment deadline"),
    "payment_deadline": _("the next payment deadline (deposit, then balance)"),
    "payment_code": _("the payment code to write in the transfer memo"),
    "receiving_account": _("the bank account that receives the fee"),
}


def unknown_variables(text: str) -> list[str]:
    return sorted({name for name in VARIABLE.findall(text or "") if name not in VARIABLES})


def fill(text: str, values: dict) -> str:
    return VARIABLE.sub(lambda m: str(values.get(m.group(1), m.group(0))), text or "")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


@dataclass
class ReminderContext:
    """Everything a reminder to one business needs, fetched by tuanhang.office.reminders.selectors."""

    application: Application
    recipients: list[str]
    phone: str
    booth_codes: list[str]
    # One entry per missing requirement: its document names (several: any one of them will do).
    missing_documents: list[tuple[str, ...]]
    # Paid so far and still owed (amount due − paid, as vendors.selectors.money.with_money).
    paid: int = 0
    outstanding: int = 0
    # "deposit" or "balance" for a rule timed by that deadline: the message is about it.
    deadline: str = ""

    @property
    def instalment(self) -> Instalment | None:
        return next_instalment(owed_for(self.application), self.paid, self.outstanding, self.deadline)


@functools.lru_cache(maxsize=8)
def _words(language: str) -> tuple[str, str, str, dict]:
    """What does not change between messages in one language (looked up once per process)."""
    with translation.override(language):
        statuses = {value: str(label) for value, label in Application.Status.choices}
        return str(_("not yet given")), str(_("none")), site_url(reverse("vendors:dashboard")), statuses


@functools.lru_cache(maxsize=64)
def _fair_values(tz, name, venue, address, registration_closes_at, setup_at, opens_at, closes_at) -> dict:
    """What every reminder of one fair says about it, formatted once per fair and time zone (not
    once per message)."""
    return {
        "fair_name": name,
        "venue": ", ".join(part for part in (venue, address) if part),
        "registration_closes_at": _when(registration_closes_at),
        "setup_at": _when(setup_at),
        "opens_at": _when(opens_at),
        "closes_at": _when(closes_at),
    }


def values_for(ctx: ReminderContext, language: str) -> dict:
    application = ctx.application
    event = application.event
    none, nothing, link, statuses = _words(language)
    values = _fair_values(
        timezone.get_current_timezone_name(),
        event.name,
        event.venue,
        event.address,
        event.registration_closes_at,
        event.setup_at,
        event.opens_at,
        event.closes_at,
    )
    return {
        **values,
        "business_name": application.vendor.name,
        "booth_codes": ", ".join(ctx.booth_codes) or none,
        "fee_due": vnd(amount_due(application)),
        "status": statuses[application.status],
        "missing_documents": _missing_text(ctx.missing_documents, language) or nothing,
        "link": link,
        # Only for an approved application with something due; the image itself says what is left.
        "qr_link": qr_image_url(application.pk)
        if application.status == Application.Status.APPROVED and amount_due(application)
        else nothing,
        **_money_values(ctx, none),
    }


def _money_values(ctx: ReminderContext, none: str) -> dict:
    instalment = ctx.instalment
    account = ctx.application.event.bank_account
    return {
        "amount_outstanding": vnd(max(ctx.outstanding, 0)),
        "amount_by_deadline": vnd(instalment.amount if instalment else 0),
        "payment_deadline": instalment.due_on.strftime("%d/%m/%Y") if instalment and instalment.due_on else none,
        "payment_code": code_for(ctx.application.pk),
        "receiving_account": str(account) if account else none,
    }


def _missing_text(missing: list[tuple[str, ...]], language: str) -> str:
    """ "A, B hoặc C, D": the requirements separated by commas, a one-of group named "X hoặc Y"."""
    with translation.override(language):
        return ", ".join(one_of_label(names) for names in missing)


def message_id(kind: str, pk: int) -> str:
    """The same for every attempt at one row, so each message can be counted (and traced) by it."""
    return f"<tuanhang.{kind}.{pk}@{DNS_NAME.get_fqdn()}>"


def reminder_email(rule, ctx: ReminderContext, *, delivery_pk: int) -> EmailMultiAlternatives:
    """The reminder in Vietnamese, followed by the English text when the rule has one."""
    vi_values = values_for(ctx, "vi")
    en_values = values_for(ctx, "en") if (rule.body_en.strip() or rule.subject_en.strip()) else {}
    parts = [{"lang": "vi", "body": fill(rule.body_vi, vi_values)}]
    if rule.body_en.strip():
        parts.append({"lang": "en", "body": fill(rule.body_en, en_values)})
    event = ctx.application.event
    with translation.override(settings.LANGUAGE_CODE):
        context = {"parts": parts, "event": event, "organiser": event.organiser}
        text = render_to_string("emails/reminders/reminder.txt", context)
        html = render_to_string("emails/reminders/reminder.html", context)
    subject = fill(rule.subject_vi, vi_values)
    if rule.subject_en.strip():
        subject = f"{subject} / {fill(rule.subject_en, en_values)}"
    organiser_email = event.organiser.email
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        to=ctx.recipients,
        reply_to=[organiser_email] if organiser_email else None,
        headers={"Message-ID": message_id("reminder", delivery_pk), "X-Tuanhang-Reminder": rule.kind},
    )
    message.attach_alternative(html, "text/html")
    return message


def zns_phone(e164: str) -> str:
    """+84912345678 → 84912345678, the form ZNS wants."""
    return e164.lstrip("+") if e164 and e164.startswith("+84") else ""


def zns_data(ctx: ReminderContext) -> dict:
    values = values_for(ctx, "vi")
    return {
        "business_name": values["business_name"][:100],
        "fair_name": values["fair_name"][:100],
        "booth_codes": values["booth_codes"][:100],
        "opens_at": values["opens_at"],
        "fee_due": values["fee_due"],
        "qr_link": values["qr_link"],
    }
