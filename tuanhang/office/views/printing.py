"""Staff pages of the prints and exports ("In ấn"): a fair's printing page (every registered
document with its options, the spreadsheet exports, the latest files), asking for a document,
a file's page with its progress bar (templates/includes/progress.html, which static/js/progress.js
keeps up to date from the JSON progress endpoint) and the download.

Who may (events/policy.py): reading the page, the exports and the files needs "export" at the
fair; building a print needs "print.build". A household's personal ID number shows in full in an
export only for a role with "personal.view", and never in a print (a file is shared by the fair's
staff and ends on paper). Every export and file download is written to the access log. Another
organiser's fair or file answers 404, the same as one that does not exist."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.access_log import access_logged
from events.generated import selectors, services
from events.generated.header import fairs_for_print
from events.generated.registry import builders, exports, get_builder, get_export, plain_options
from events.models import AccessLog, GeneratedFile
from events.permissions import staff_required
from events.policy import can, fair_or_404, scoped_or_404
from tuanhang.kernel.spreadsheets import FORMATS, table_response

G = GeneratedFile.Status


def _builder_or_404(kind):
    try:
        return get_builder(kind)
    except LookupError:
        raise Http404(_("There is no such document.")) from None


def _file_or_404(user, pk) -> GeneratedFile:
    """The file, if its fair is one the user may see (404 otherwise) and its role may export there (403)."""
    return scoped_or_404(selectors.generated_files(), user, "export", pk=pk)


def _fair(user, slug, capability):
    return fair_or_404(user, slug, capability, queryset=fairs_for_print())


def _printing_page(request, event, *, forms=None, status=200):
    forms = forms or {}
    documents = [
        (builder, forms.get(builder.kind) or builder.make_form(event=event, prefix=builder.kind))
        for builder in builders()
    ]
    context = {
        "event": event,
        "documents": documents,
        "exports": [
            (export, [(fmt, reverse("events:export", args=[event.slug, export.key, fmt])) for fmt in FORMATS])
            for export in exports()
        ],
        "recent": selectors.recent_files(event),
        "may_build": can(request.user, "print.build", event),
    }
    return render(request, "events/printing.html", context, status=status)


@staff_required
@require_GET
def printing(request, slug):
    """The fair's printing page: documents with their options, exports, the latest files."""
    return _printing_page(request, _fair(request.user, slug, "export"))


@staff_required
@require_POST
def printing_build(request, slug, kind):
    """Ask for a document: a file that still shows the current data is downloaded at once; a
    quick one is built now; anything longer goes to the worker and its page shows the progress."""
    event = _fair(request.user, slug, "print.build")
    builder = _builder_or_404(kind)
    form = builder.make_form(request.POST, event=event, prefix=builder.kind)
    if not form.is_valid():
        messages.error(request, _("Check the options of “%(document)s”.") % {"document": builder.label})
        return _printing_page(request, event, forms={builder.kind: form}, status=400)
    try:
        generated = services.generated_file_request(
            event=event, kind=builder.kind, options=plain_options(form), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("events:printing", slug=event.slug)
    if generated.status == G.DONE:
        return redirect("events:generated_file_download", pk=generated.pk)
    return redirect("events:generated_file", pk=generated.pk)


@staff_required
@require_GET
def generated_file(request, pk):
    """One file: its progress while it is built, then its download (or what went wrong)."""
    generated = _file_or_404(request.user, pk)
    context = {
        "event": generated.event,
        "file": generated,
        "document": selectors.document_label(generated),
        "options": selectors.options_text(generated),
    }
    context["back_url"], context["back_label"] = selectors.listed_on(generated)
    return render(request, "events/generated_file.html", context)


@staff_required
@require_GET
def generated_file_progress(request, pk):
    """The file's status and progress as JSON, for the progress bar."""
    generated = _file_or_404(request.user, pk)
    done = generated.status == G.DONE
    return JsonResponse(
        {
            "status": generated.status,
            "status_label": str(G(generated.status).label),
            "progress": generated.progress,
            "message": generated.message,
            "working": generated.working,
            "download_url": reverse("events:generated_file_download", args=[generated.pk]) if done else None,
        }
    )


@staff_required
@require_GET
def generated_file_download(request, pk):
    generated = _file_or_404(request.user, pk)
    if generated.status != G.DONE or not generated.file:
        raise Http404(_("This file is not ready."))
    try:
        handle = generated.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer kept; ask for it again.")) from None
    access_logged(
        request, kind=AccessLog.Kind.GENERATED, event=generated.event, object_id=generated.pk, label=generated.filename
    )
    return FileResponse(
        handle, as_attachment=True, filename=generated.filename, content_type=generated.content_type or None
    )


@staff_required
@require_GET
def export(request, slug, key, fmt):
    """A spreadsheet of the fair (.xlsx or .csv), built at once."""
    event = _fair(request.user, slug, "export")
    try:
        spreadsheet = get_export(key)
    except LookupError:
        raise Http404(_("There is no such export.")) from None
    if fmt not in FORMATS:
        raise Http404(_("There is no such export."))
    personal = spreadsheet.personal_data and can(request.user, "personal.view", event)
    table = spreadsheet.table_for(event, personal=personal)
    filename = spreadsheet.filename(event)
    access_logged(
        request,
        kind=AccessLog.Kind.EXPORT,
        event=event,
        object_id=spreadsheet.key,
        label=f"{filename}.{fmt}",
        personal=personal,
    )
    return table_response(table, fmt, filename)


urlpatterns = [
    path("fairs/<slug:slug>/printing/", printing, name="printing"),
    path("fairs/<slug:slug>/printing/<slug:kind>/", printing_build, name="printing_build"),
    path("fairs/<slug:slug>/exports/<slug:key>.<str:fmt>", export, name="export"),
    path("files/<int:pk>/", generated_file, name="generated_file"),
    path("files/<int:pk>/progress/", generated_file_progress, name="generated_file_progress"),
    path("files/<int:pk>/download/", generated_file_download, name="generated_file_download"),
]
