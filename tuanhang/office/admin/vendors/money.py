"""Receipts, refunds, e-invoice numbers and voided payments in the admin (issue 20): read-only
lists for the accountant to find a number again, searched by its number ("PT-2026-000123") or
the business's tax code, filtered by organiser and year. They are written only by the services
(vendors/services/receipts.py, payments.py) from the application's review page; an organiser's
staff see their own organiser's rows, another organiser's answer 404."""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.admin_scoping import FairScopedAdmin, OrganiserRelatedFieldListFilter, OrganiserScopedAdmin
from events.policy import organiser_ids_for
from events.templatetags.vn import vnd
from tuanhang.kernel.admin_search import ReadOnlyAdminMixin
from vendors.models import PaymentInvoice, PaymentVoid, Receipt, Refund

# "PT-2026-000123", "pt 2026 123", "2026-123": a voucher's year and sequence.
NUMBER = re.compile(r"^(?:P[TC])?[\s-]*(\d{4})[\s/-]+0*(\d{1,9})$")


class VoucherNumberSearchMixin:
    """The search also finds a row by its voucher number (the number is year + sequence, not a column)."""

    number_path = ""  # the path to the row holding year and sequence ("" for the row itself)

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = NUMBER.match(search_term.strip().upper())
        if match:
            prefix = f"{self.number_path}__" if self.number_path else ""
            year, sequence = int(match[1]), int(match[2])
            found = found | queryset.filter(**{f"{prefix}year": year, f"{prefix}sequence": sequence})
        return found, may_have_duplicates


class FairScopedMoneyAdmin(ReadOnlyAdminMixin, VoucherNumberSearchMixin, FairScopedAdmin, admin.ModelAdmin):
    view_capability = "application.view"
    change_capability = "payment.record"
    organiser_filter = ""

    def organiser_ids(self, request, capability) -> set[int]:
        return organiser_ids_for(request.user, capability)

    def get_list_filter(self, request):
        # Only the user's own organisers are offered (OrganiserRelatedFieldListFilter asks organiser_ids).
        return [
            (item, OrganiserRelatedFieldListFilter) if item == self.organiser_filter else item
            for item in super().get_list_filter(request)
        ]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, VoucherNumberSearchMixin, OrganiserScopedAdmin, admin.ModelAdmin):
    view_capability = "application.view"
    change_capability = "payment.record"
    list_display = ("number", "issued_on", "amount", "business", "organiser", "voided_at")
    list_filter = ("organiser", "year", ("voided_at", admin.EmptyFieldListFilter))
    list_select_related = ("organiser", "payment__application__vendor", "void_log__application__vendor")
    search_fields = ("payment__application__vendor__tax_code", "void_log__application__vendor__tax_code")
    search_help_text = _("Receipt number (PT-2026-000123) or the business's tax code.")
    fields = ("number", "organiser", "issued_on", "payment", "voided_at", "void_reason")
    readonly_fields = fields
    ordering = ("-year", "-sequence")

    @admin.display(description=_("amount (VND)"))
    def amount(self, obj):
        row = obj.payment or getattr(obj, "void_log", None)
        return vnd(row.amount) if row else "—"

    @admin.display(description=_("business"))
    def business(self, obj):
        row = obj.payment or getattr(obj, "void_log", None)
        return row.application.vendor.name if row else "—"


@admin.register(Refund)
class RefundAdmin(FairScopedMoneyAdmin):
    fair_path = "application__event"
    organiser_filter = "organiser"
    list_display = ("number", "refunded_on", "amount", "application", "method", "reason", "recorded_by")
    list_filter = ("organiser", "year", "method")
    list_select_related = ("application__vendor", "application__event", "recorded_by")
    search_fields = ("application__vendor__tax_code", "reference", "reason")
    search_help_text = _("Voucher number (PC-2026-000004), the business's tax code, reference or reason.")
    readonly_fields = ("number", "application", "amount", "refunded_on", "method", "reference", "reason")
    readonly_fields += ("recorded_at", "recorded_by", "organiser")
    fields = readonly_fields
    ordering = ("-year", "-sequence")


@admin.register(PaymentInvoice)
class PaymentInvoiceAdmin(FairScopedMoneyAdmin):
    fair_path = "payment__application__event"
    organiser_filter = "payment__application__event__organiser"
    number_path = "payment__receipt"
    list_display = ("series", "number", "issued_on", "payment", "receipt_number", "recorded_by")
    list_filter = ("payment__application__event__organiser", "payment__application__event")
    list_select_related = ("payment__application__vendor", "payment__application__event", "payment__receipt")
    search_fields = ("number", "series", "payment__application__vendor__tax_code")
    search_help_text = _("Invoice number or series, receipt number, or the business's tax code.")
    date_hierarchy = "issued_on"
    fields = ("series", "number", "issued_on", "payment", "recorded_at", "recorded_by")
    readonly_fields = fields

    @admin.display(description=_("receipt"))
    def receipt_number(self, obj):
        receipt = getattr(obj.payment, "receipt", None)
        return receipt.number if receipt else "—"


@admin.register(PaymentVoid)
class PaymentVoidAdmin(FairScopedMoneyAdmin):
    fair_path = "application__event"
    organiser_filter = "application__event__organiser"
    number_path = "receipt"
    list_display = ("application", "amount", "paid_on", "receipt", "reason", "voided_at", "voided_by")
    list_filter = ("application__event__organiser", "application__event")
    list_select_related = ("application__vendor", "application__event", "receipt", "voided_by")
    search_fields = ("application__vendor__tax_code", "reason", "reference")
    search_help_text = _("Receipt number, the business's tax code, reference or reason.")
    date_hierarchy = "voided_at"
    fields = ("application", "amount", "paid_on", "method", "reference", "receipt", "reason", "voided_at", "voided_by")
    readonly_fields = fields
