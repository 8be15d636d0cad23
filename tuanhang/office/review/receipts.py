"""Staff pages of issue 20 item 4: a payment's receipt and a refund's voucher (PDF), recording a
refund and the e-invoice staff bring back from the provider, and the e-invoice export (xlsx) of a
fair's payments over a date range, and voiding a payment recorded by hand. Another organiser's
payment, refund or fair answers 404;
reading needs application.view, writing payment.record, the export export."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.permissions import staff_required
from events.policy import can, fair_or_404, scoped_or_404
from events.templatetags.vn import vnd
from tuanhang.kernel.spreadsheets import table_response
from tuanhang.office.review.forms import DATE_INPUT_FORMATS, AmountField
from vendors import receipts
from vendors.models import Application, Payment
from vendors.selectors.invoices import einvoice_table
from vendors.services.payments import payment_void, payment_void_blocker
from vendors.services.receipts import invoice_record, refund_record

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
DATE_ERRORS = {"invalid": gettext_lazy("Enter the date as dd/mm/yyyy, for example 05/03/2025.")}


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, input_formats=DATE_INPUT_FORMATS, widget=DATE_WIDGET, error_messages=DATE_ERRORS, **kwargs
    )


class RefundForm(forms.Form):
    amount = AmountField(label=gettext_lazy("Amount (VND)"))
    refunded_on = _date_field(gettext_lazy("Refunded on"))
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=gettext_lazy("Reference"), required=False, max_length=120)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("refunded_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "refund-form"
        self.helper.layout = Layout(
            Row(*(Column(name, css_class="col-sm-6") for name in ["amount", "refunded_on", "method", "reference"])),
            "reason",
            Submit("", _("Record the refund"), css_class="btn-outline-danger"),
        )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this payment voided?"),
        max_length=255,
        help_text=gettext_lazy("For example: amount typed wrong, 2.500.000 instead of 250.000."),
        error_messages={"required": gettext_lazy("Say why the payment is voided.")},
    )


class InvoiceForm(forms.Form):
    series = forms.CharField(label=gettext_lazy("Invoice series"), max_length=20)
    number = forms.CharField(label=gettext_lazy("Invoice number"), max_length=20)
    issued_on = _date_field(gettext_lazy("Invoice date"))


class ExportForm(forms.Form):
    start = _date_field(gettext_lazy("From"), required=False)
    end = _date_field(gettext_lazy("To"), required=False)


@staff_required
@require_GET
def receipt_download(request, pk):
    """A payment's receipt (PDF); a household's tax code masked (every staff print masks it)."""
    payment = scoped_or_404(
        receipts.payments_with_receipts(), request.user, "application.view", "application__event", pk=pk
    )
    return receipts.pdf_response(receipts.receipt_pdf(payment, personal=False), f"{payment.receipt.number}.pdf")


@staff_required
@require_GET
def refund_voucher_download(request, pk):
    refund = scoped_or_404(
        receipts.refunds_for_vouchers(), request.user, "application.view", "application__event", pk=pk
    )
    return receipts.pdf_response(receipts.refund_pdf(refund, personal=False), f"{refund.number}.pdf")


def _back(application_id):
    return redirect(reverse("vendors:review_detail", args=[application_id]) + "#payments")


@staff_required
@require_POST
def refund_create(request, pk):
    """Record a refund for an application; errors go back to its page as messages."""
    application = scoped_or_404(Application.objects.all(), request.user, "payment.record", pk=pk)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            refund = refund_record(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Refund %(number)s of %(amount)s recorded.")
                % {"number": refund.number, "amount": vnd(refund.amount)},
            )
            return _back(application.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return _back(application.pk)


@staff_required
@require_POST
def invoice_create(request, pk):
    """Record (or correct) the e-invoice issued for a payment."""
    payment = scoped_or_404(Payment.objects.all(), request.user, "payment.record", "application__event", pk=pk)
    form = InvoiceForm(request.POST)
    if form.is_valid():
        try:
            invoice_record(payment=payment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("E-invoice recorded."))
            return _back(payment.application_id)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return _back(payment.application_id)


@staff_required
@require_http_methods(["GET", "POST"])
def payment_void_confirm(request, pk):
    """The confirmation page of voiding a payment recorded by hand (GET) and the voiding (POST):
    what is voided, the receipt that is marked void, and the reason asked. A statement-matched
    payment or one with an e-invoice is shown with why it cannot be voided here."""
    queryset = Payment.objects.select_related(
        "application__vendor", "application__event__organiser", "receipt", "invoice", "recorded_by"
    )
    payment = scoped_or_404(queryset, request.user, "payment.record", "application__event", pk=pk)
    form = VoidForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                voided = payment_void(payment=payment, reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                text = _("The payment of %(amount)s was voided.") % {"amount": vnd(voided.amount)}
                if voided.receipt:
                    text += " " + _("Receipt %(number)s is marked void.") % {"number": voided.receipt.number}
                messages.success(request, text)
                return _back(voided.application_id)
        status = 400
    line = getattr(payment, "statement_line", None)
    context = {
        "payment": payment,
        "application": payment.application,
        "event": payment.application.event,
        "form": form,
        "blocker": payment_void_blocker(payment)[1],
        "line": line,
    }
    return render(request, "vendors/review/payment_void.html", context, status=status)


@staff_required
@require_GET
def einvoice_export(request, slug):
    """The fair's payments (optionally from/to a date paid) as what the e-invoice provider needs."""
    event = fair_or_404(request.user, slug, "export")
    form = ExportForm(request.GET)
    dates = form.cleaned_data if form.is_valid() else {}
    table = einvoice_table(
        event=event,
        start=dates.get("start"),
        end=dates.get("end"),
        personal=can(request.user, "personal.view", event),
    )
    return table_response(table, "xlsx", f"hoa-don-{event.slug}")


urlpatterns = [
    path("review/payments/<int:pk>/receipt.pdf", receipt_download, name="receipt_download"),
    path("review/e-invoices/payment-<int:pk>/", invoice_create, name="invoice_create"),
    path("review/payments/<int:pk>/void/", payment_void_confirm, name="payment_void"),
    path("review/refunds/<int:pk>/voucher.pdf", refund_voucher_download, name="refund_voucher_download"),
    path("review/applications/<int:pk>/refunds/", refund_create, name="refund_create"),
    path("review/fairs/<slug:slug>/einvoices.xlsx", einvoice_export, name="einvoice_export"),
]
