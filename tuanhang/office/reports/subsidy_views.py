"""The settlement packs of the khuyến công programmes (tuanhang.office.reports.settlement): a page
listing the programmes of the organisers where the user reads reports, with their budget figures
and download links (every fair, or one fair), and the PDF and xlsx downloads.

Who may: the page needs "report.view" at the programme's organiser, a download "export" (as the
reports' files); another organiser's programme, or a fair not of the programme, answers 404. The
rows are those of the fairs where the user may export (settlement())."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from events.models import SubsidyProgramme
from events.permissions import staff_required
from events.policy import REFUSALS, fairs_for, organiser_ids_for, organisers_for
from tuanhang.kernel.spreadsheets import CONTENT_TYPES
from tuanhang.kernel.vn import fold
from vendors.selectors.subsidies import programme_budgets

from .settlement import settlement, settlement_pdf, settlement_xlsx


def _programmes(user, capability):
    return SubsidyProgramme.objects.filter(organiser__in=organisers_for(user, capability)).select_related("organiser")


@staff_required
def subsidy_programmes(request):
    """The programmes with budget, granted, left, businesses and fairs, and their packs' links."""
    programmes = list(_programmes(request.user, "report.view").order_by("-starts_on", "name"))
    fairs = defaultdict(list)
    for event in fairs_for(request.user, "export").filter(subsidy_programme__in=programmes).order_by("opens_at"):
        fairs[event.subsidy_programme_id].append(event)
    budgets = programme_budgets(programmes)
    may_export = organiser_ids_for(request.user, "export")  # no query (a superuser holds no membership)
    rows = [
        (p, budgets[p.pk], fairs[p.pk], request.user.is_superuser or p.organiser_id in may_export) for p in programmes
    ]
    return render(request, "reports/subsidies.html", {"rows": rows})


@staff_required
def subsidy_settlement(request, pk, fmt):
    """The settlement pack of one programme as PDF or xlsx; ?fair=<slug> limits it to one fair."""
    programme = _programmes(request.user, "report.view").filter(pk=pk).first()
    if programme is None or fmt not in ("pdf", "xlsx"):
        raise Http404(_("No such programme."))
    if not _programmes(request.user, "export").filter(pk=pk).exists():
        raise PermissionDenied(str(REFUSALS["export"]))
    event = None
    if request.GET.get("fair"):
        event = fairs_for(request.user, "export").filter(subsidy_programme=programme, slug=request.GET["fair"]).first()
        if event is None:
            raise Http404(_("No fair with this address."))
    pack = settlement(programme, request.user, event)
    if fmt == "pdf":
        content, content_type = settlement_pdf(pack), "application/pdf"
    else:
        content, content_type = settlement_xlsx(pack), CONTENT_TYPES["xlsx"]
    words = "-".join("".join(c if c.isalnum() else " " for c in fold(programme.name)).split())
    name = "-".join(part for part in ("quyet-toan", words[:60], event.slug if event else "") if part)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response
