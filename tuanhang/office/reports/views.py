"""Report pages: the fair's charts with their data as CSV, the closing report's files (made by
events.generated: its file page shows the progress, templates/includes/progress.html and
static/js/progress.js), and the participants' sales form.

Who may (events/policy.py): the charts and their CSV need "report.view" at the fair (another
organiser's fair answers 404); asking for the closing report needs "print.build" and its files
"export", as on the printing page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.generated.selectors import recent_files
from events.permissions import staff_required
from events.policy import capabilities_at, fair_or_404
from tuanhang.kernel.spreadsheets import table_response
from vendors.models import Application
from vendors.permissions import owned_or_404, vendor_required
from vendors.selectors.figures import fair_figures

from . import selectors, services
from .charts import chart_for
from .documents import REPORT_BUILDERS
from .exports import chart_table
from .forms import SalesForm
from .models import SalesEntry


@staff_required
def report_page(request, slug):
    """Charts of one fair, each with its data as CSV, the closing report's documents (asked for
    through the printing page's view, so a file still showing today's figures is handed out
    again) and their latest files."""
    event = fair_or_404(request.user, slug, "report.view")
    caps = capabilities_at(request.user, event)
    figures = fair_figures(event)
    charts = [chart_for(data) for data in selectors.report_charts(event, figures)]
    context = {
        "event": event,
        "figures": figures,
        "charts": charts,
        "documents": REPORT_BUILDERS,
        "may_build": "print.build" in caps,
        "may_export": "export" in caps,
        "files": recent_files(event, kinds=[builder.kind for builder in REPORT_BUILDERS]) if "export" in caps else [],
    }
    return render(request, "reports/page.html", context)


@staff_required
def chart_csv(request, slug, key):
    event = fair_or_404(request.user, slug, "report.view")
    build = selectors.CHARTS.get(key)
    if build is None:
        raise Http404(_("No such chart."))
    return table_response(chart_table(build(event)), "csv", f"{event.slug}-{key}")


@vendor_required
@require_http_methods(["GET", "POST"])
def sales_form(request, pk):
    """A participant's daily sales and visitors for its own approved application (404 otherwise)."""
    application = owned_or_404(
        Application.objects.select_related("event"), request.vendor, pk=pk, status=Application.Status.APPROVED
    )
    event, today = application.event, timezone.localdate()
    entries = {e.day: e for e in SalesEntry.objects.filter(application=application)}
    window_open = services.sales_window_open(event, today)
    form = SalesForm(request.POST or None, days=selectors.fair_days(event), today=today, entries=entries)
    if request.method == "POST" and window_open and form.is_valid():
        try:
            services.sales_save(application=application, figures=form.figures(), by=request.user, today=today)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Your sales figures are saved. Thank you!"))
            return redirect("reports:sales", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "application": application,
        "event": event,
        "form": form,
        "window_open": window_open,
        "grace_days": services.SALES_GRACE_DAYS,
        "total": sum(e.sales for e in entries.values()),
    }
    return render(request, "reports/sales.html", context, status=status)
