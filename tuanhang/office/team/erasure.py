"""The businesses' erasure requests, for the organiser's administrators (team.manage) and
superusers: the requests of businesses that applied to one of the organiser's fairs. A request of
a business that never applied there answers 404, as does another organiser's page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from events import teams
from events.access_log import access_logged_for_organisers
from events.models import AccessLog
from events.permissions import staff_required
from vendors.models import Application, ErasureRequest
from vendors.services.erasure import erasure_carry_out, erasure_refuse, tax_record_required


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the refusal (shown to the business)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why the request is refused: the business is shown it.")},
    )


def _requests_of(organiser):
    vendors = Application.objects.filter(event__organiser=organiser).values("vendor_id")
    return ErasureRequest.objects.filter(vendor__in=vendors).select_related("vendor")


@staff_required
@require_GET
def erasure_list(request, pk):
    """Waiting requests first, then the ones decided."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    found = _requests_of(organiser)
    context = {
        "organiser": organiser,
        "waiting": found.filter(status=ErasureRequest.Status.WAITING).order_by("requested_at", "id"),
        "decided": found.exclude(status=ErasureRequest.Status.WAITING).order_by("-decided_at", "-id")[:50],
    }
    return render(request, "office/team/erasure_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def erasure_decide(request, pk, request_pk):
    """Asks first; then carries the request out or refuses it with a reason."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    erasure = _requests_of(organiser).filter(pk=request_pk).first()
    if erasure is None:
        raise Http404
    carry_out = request.POST.get("action") == "carry_out"
    refusal = RefusalForm(request.POST if request.method == "POST" and not carry_out else None)
    status = 200
    if request.method == "POST":
        try:
            if carry_out:
                erasure_carry_out(erasure=erasure, by=request.user)
                access_logged_for_organisers(
                    request,
                    organiser_ids=[organiser.pk],
                    kind=AccessLog.Kind.ERASURE,
                    object_id=erasure.vendor_id,
                    label=_("Erasure request #%(id)s carried out") % {"id": erasure.pk},
                )
                messages.success(request, _("The business's personal data is erased."))
                return redirect("team:erasure_list", organiser.pk)
            if refusal.is_valid():
                erasure_refuse(erasure=erasure, by=request.user, reason=refusal.cleaned_data["reason"])
                messages.success(request, _("The request is refused; the business sees your reason."))
                return redirect("team:erasure_list", organiser.pk)
            status = 400
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("team:erasure_list", organiser.pk)
    context = {
        "organiser": organiser,
        "erasure": erasure,
        "refusal": refusal,
        "keeps_tax_code": tax_record_required(erasure.vendor),
    }
    return render(request, "office/team/erasure_decide.html", context, status=status)
