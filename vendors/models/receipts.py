"""Receipts (phiếu thu) for payments, refunds with their vouchers (phiếu chi), and the e-invoice
numbers staff bring back from the organiser's invoice provider (issue 20 item 4).

Receipts and refund vouchers are numbered per organiser, series and calendar year without gaps
("PT-2026-000123", "PC-2026-000004"): vendors.services.receipts takes the next number from the
VoucherCounter row under a row lock in the transaction that records the money, so a number is
used exactly when the money is recorded, and a number once given is never given again."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference

from .applications import Application, Payment


class Series(models.TextChoices):
    RECEIPT = "PT", _("Receipt")
    REFUND = "PC", _("Refund voucher")


def voucher_number(series: str, year: int, sequence: int) -> str:
    """ "PT-2026-000123": the series, the calendar year and the sequence, six digits."""
    return f"{series}-{year}-{sequence:06d}"


class VoucherCounter(models.Model):
    """The last number given in one series of one organiser in one calendar year."""

    organiser = models.ForeignKey("events.Organiser", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=2, choices=Series.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organiser", "series", "year"], name="voucher_counter_unique"),
        ]

    def __str__(self):
        return voucher_number(self.series, self.year, self.last)


class Receipt(models.Model):
    """The numbered receipt of one payment, issued when the payment is recorded. A voided
    receipt keeps its number (marked void); the number is never reused. A payment taken back
    (a bank line's match reversed: vendors.services.statements.statement_line_reverse) voids its
    receipt first; the receipt row stays, without its payment, so the series keeps no gap."""

    payment = models.OneToOneField(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="receipt")
    organiser = models.ForeignKey("events.Organiser", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    issued_on = models.DateField(_("issued on"))
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "year", "sequence"], name="receipt_number_unique"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return voucher_number(Series.RECEIPT, self.year, self.sequence)


class Refund(models.Model):
    """Money paid back to a participant (a cancelled or withdrawn application, or an
    overpayment), with its numbered voucher. What the application has paid is its payments less
    its refunds (vendors.selectors.money.paid_total)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("application")
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"), validators=[MinValueValidator(1)])
    refunded_on = models.DateField(_("refunded on"))
    method = models.CharField(_("method"), max_length=10, choices=Payment.Method.choices)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = user_reference(_("recorded by"), blank=False)
    organiser = models.ForeignKey("events.Organiser", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()

    class Meta:
        ordering = ["application", "refunded_on", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(fields=["organiser", "year", "sequence"], name="refund_number_unique"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return voucher_number(Series.REFUND, self.year, self.sequence)


class PaymentInvoice(models.Model):
    """The e-invoice (hóa đơn điện tử) the organiser's provider issued for a payment, as staff
    record it: its series (ký hiệu), number and date."""

    payment = models.OneToOneField(Payment, on_delete=models.CASCADE, related_name="invoice")
    series = models.CharField(_("invoice series"), max_length=20)
    number = models.CharField(_("invoice number"), max_length=20)
    issued_on = models.DateField(_("invoice date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    recorded_by = user_reference(_("recorded by"), blank=False)

    class Meta:
        verbose_name = _("e-invoice")
        verbose_name_plural = _("e-invoices")

    def __str__(self):
        return f"{self.series} {self.number}"


class PaymentVoid(models.Model):
    """The log of a payment recorded by hand and then voided (a typo in the amount): what it was,
    its receipt (voided, its number kept), who voided it, when and why. The payment itself is gone,
    so the figures (paid, outstanding) no longer count it (vendors.services.payments.payment_void)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="payment_voids", verbose_name=_("application")
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=10, choices=Payment.Method.choices)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    receipt = models.OneToOneField(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="void_log", verbose_name=_("receipt")
    )
    reason = models.CharField(_("reason"), max_length=255)
    voided_at = models.DateTimeField(_("voided at"), auto_now_add=True)
    voided_by = user_reference(_("voided by"), blank=False)

    class Meta:
        ordering = ["application", "voided_at", "id"]
        verbose_name = _("voided payment")
        verbose_name_plural = _("voided payments")

    def __str__(self):
        amount = f"{self.amount:,}".replace(",", ".")
        return f"{amount} ₫ ({self.paid_on:%d/%m/%Y})"
