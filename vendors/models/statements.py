"""Bank statements imported to find the transfers that pay applications (issue 20 item 3): each
import of a file, each line of it with what it became, the column mappings an organiser saved,
and the log of every assignment and reversal of a line."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference

from .applications import Application, Payment


class StatementProfile(models.Model):
    """An organiser's own column mapping for a bank export the built-in profiles do not read:
    field → the header text staff picked on the mapping screen (tuanhang.kernel.bank_statements)."""

    organiser = models.ForeignKey(
        "events.Organiser", on_delete=models.CASCADE, related_name="statement_profiles", verbose_name=_("organiser")
    )
    name = models.CharField(_("name"), max_length=80)
    columns = models.JSONField(_("columns"), default=dict)
    date_format = models.CharField(_("date format"), max_length=40, blank=True)

    class Meta:
        ordering = ["organiser", "name"]
        verbose_name = _("statement layout")
        verbose_name_plural = _("statement layouts")
        constraints = [models.UniqueConstraint(fields=["organiser", "name"], name="statement_profile_name_once")]

    def __str__(self):
        return self.name


class StatementImport(models.Model):
    """One statement file (or one webhook delivery) brought in for an organiser's receiving account."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        COMMAND = "command", _("Command")
        WEBHOOK = "webhook", _("Bank feed")

    organiser = models.ForeignKey(
        "events.Organiser", on_delete=models.CASCADE, related_name="statement_imports", verbose_name=_("organiser")
    )
    account = models.ForeignKey(
        "events.OrganiserBankAccount",
        on_delete=models.PROTECT,
        related_name="statement_imports",
        verbose_name=_("receiving account"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    profile = models.CharField(_("layout"), max_length=80)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.UPLOAD)
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # {state: number of lines}, as the import left them.
    counts = models.JSONField(_("lines by state"), default=dict)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")

    def __str__(self):
        return self.file_name


class StatementLine(models.Model):
    """A line of a statement and what it became. A line is known again, in a later or overlapping
    statement or a bank-feed delivery, by `key`: the bank's transaction reference, or where the
    export has none the date, running balance and amount; and across a feed and a statement, when
    one side lacks the reference, by `balance_key`. Never by date, amount and memo alone (two
    identical transfers on one day are two payments). The key is unique per receiving account among lines that are not
    duplicates: the database refuses to count one transfer twice."""

    class State(models.TextChoices):
        MATCHED = "matched", _("Matched")
        PARTIAL = "partial", _("Partly paid")
        OVERPAID = "overpaid", _("Paid too much")
        DUPLICATE = "duplicate", _("Already imported")
        UNMATCHED = "unmatched", _("Not matched")
        IGNORED = "ignored", _("Money out (ignored)")

    statement_import = models.ForeignKey(
        StatementImport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement import")
    )
    account = models.ForeignKey(
        "events.OrganiserBankAccount", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving account")
    )
    row = models.PositiveIntegerField(_("row"))
    key = models.CharField(_("line key"), max_length=200)
    # date|running balance|amount: how a bank-feed line and a statement line of one transfer find
    # each other when one of them lacks the bank's reference ("" without a balance).
    balance_key = models.CharField(_("balance key"), max_length=80, blank=True, default="")
    reference = models.CharField(_("bank reference"), max_length=120, blank=True)
    booked_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"))
    balance = models.BigIntegerField(_("balance (VND)"), null=True, blank=True)
    memo = models.TextField(_("memo"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("application"),
    )
    payment = models.OneToOneField(
        Payment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statement_line",
        verbose_name=_("payment"),
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("same as")
    )

    class Meta:
        ordering = ["statement_import", "row"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "key"], condition=~Q(state="duplicate"), name="statement_line_once_per_account"
            ),
            models.CheckConstraint(
                condition=Q(payment__isnull=True) | Q(state__in=["matched", "partial", "overpaid"]),
                name="statement_line_payment_only_when_paid",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "state"], name="statement_line_state_idx"),
            models.Index(fields=["account", "balance_key"], name="statement_line_balance_idx"),
        ]

    def __str__(self):
        return f"{self.booked_on:%d/%m/%Y} {self.amount:,} ₫".replace(",", ".")


class StatementLineChange(models.Model):
    """Who did what to a line, when: matched on import, assigned by hand, reversed."""

    class Action(models.TextChoices):
        MATCHED = "matched", _("Matched on import")
        ASSIGNED = "assigned", _("Assigned by hand")
        REVERSED = "reversed", _("Reversed")

    line = models.ForeignKey(StatementLine, on_delete=models.CASCADE, related_name="changes", verbose_name=_("line"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("from")
    )
    to_application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("to")
    )
    by = user_reference(_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # Why staff reversed a line (the reversal form asks for it); empty for the other actions.
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["line", "at", "id"]
        verbose_name = _("statement line change")
        verbose_name_plural = _("statement line changes")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"
