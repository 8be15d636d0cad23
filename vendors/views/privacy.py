"""The business's own data: download everything stored about it, and ask for its erasure.

Only the business's accounts reach these pages (vendor_required: the business is the one the
account acts for, never named in the URL, so another business's data cannot even be asked for)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from events.access_log import access_logged_for_organisers
from events.models import AccessLog

from ..models import ErasureRequest
from ..permissions import vendor_required
from ..selectors.mydata import business_export_zip, organiser_ids_of_vendor
from ..services.erasure import erasure_request_create


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@vendor_required
@require_GET
def my_data(request):
    vendor = request.vendor
    requests = vendor.erasure_requests.all()
    context = {
        "vendor": vendor,
        "waiting": requests.filter(status=ErasureRequest.Status.WAITING).first(),
        "refused": requests.filter(status=ErasureRequest.Status.REFUSED).first(),
    }
    return render(request, "vendors/profile/my_data.html", context)


@vendor_required
@require_GET
def my_data_download(request):
    """The zip of everything stored about the business; written to the access log of every
    organiser the business applied to (so their administrators see it was handed out)."""
    vendor = request.vendor
    archive = business_export_zip(vendor)
    access_logged_for_organisers(
        request,
        organiser_ids=organiser_ids_of_vendor(vendor),
        kind=AccessLog.Kind.SELF_EXPORT,
        object_id=vendor.pk,
        label=vendor.name,
    )
    filename = f"du-lieu-{vendor.pk}-{timezone.localdate():%Y%m%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@vendor_required
@require_http_methods(["GET", "POST"])
def erasure_request(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure_request_create(vendor=request.vendor, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Your request is recorded. The organisers will carry it out or tell you why not.")
            )
        return redirect("vendors:my_data")
    return render(request, "vendors/profile/erasure_request.html", {"form": form})


urlpatterns = [
    path("profile/data/", my_data, name="my_data"),
    path("profile/data/download/", my_data_download, name="my_data_download"),
    path("profile/data/erasure/", erasure_request, name="erasure_request"),
]
