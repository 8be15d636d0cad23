"""The business's payments: what it paid and was paid back for each application, with the
receipt and refund-voucher PDFs and the e-invoice numbers the organisers recorded (issue 20 item
4). Only its own: another business's payment or refund answers 404. Its own download carries its
tax code in full."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from vendors import receipts
from vendors.models import Payment, Refund
from vendors.permissions import vendor_required


@vendor_required
@require_GET
def my_payments(request):
    """Every payment and refund of the business's applications, newest first (two queries)."""
    payments = (
        Payment.objects.filter(application__vendor=request.vendor)
        .select_related("application__event", "receipt", "invoice")
        .order_by("-paid_on", "-pk")
    )
    refunds = (
        Refund.objects.filter(application__vendor=request.vendor)
        .select_related("application__event")
        .order_by("-refunded_on", "-pk")
    )
    context = {"vendor": request.vendor, "payments": payments, "refunds": refunds}
    return render(request, "vendors/receipts/my_payments.html", context)


@vendor_required
@require_GET
def my_receipt(request, pk):
    payment = receipts.payments_with_receipts().filter(application__vendor=request.vendor, pk=pk).first()
    if payment is None:
        raise Http404
    return receipts.pdf_response(receipts.receipt_pdf(payment, personal=True), f"{payment.receipt.number}.pdf")


@vendor_required
@require_GET
def my_refund_voucher(request, pk):
    refund = receipts.refunds_for_vouchers().filter(application__vendor=request.vendor, pk=pk).first()
    if refund is None:
        raise Http404
    return receipts.pdf_response(receipts.refund_pdf(refund, personal=True), f"{refund.number}.pdf")


urlpatterns = [
    path("payments/", my_payments, name="my_payments"),
    path("payments/<int:pk>/receipt.pdf", my_receipt, name="my_receipt"),
    path("refunds/<int:pk>/voucher.pdf", my_refund_voucher, name="my_refund_voucher"),
]
