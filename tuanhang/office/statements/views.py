"""The statement pages of the staff office (issue 20 part B2): upload a bank statement, preview what
each line would become (the import run and rolled back), confirm; an import's result; the
organiser's queue of unmatched lines, where staff assign a line to an application or reverse one;
the log of those changes; the mapping screen for a bank whose layout tuanhang does not know.

Every page belongs to one organiser (by its id) and needs payment.record: an organiser the user
does not work for answers 404, like one that does not exist; a role without the capability 403.
Imports, lines and applications are looked up inside the organiser, so another organiser's ids
answer 404 and change nothing."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.permissions import staff_required
from events.policy import REFUSALS, fairs_for, organisers_for
from tuanhang.kernel.bank_statements import header_cells
from tuanhang.kernel.params import is_id
from tuanhang.kernel.tabular.reading import ImportFileError
from vendors.models import Application, StatementImport, StatementLine
from vendors.payment_codes import code_for
from vendors.selectors import statements as selectors
from vendors.selectors.money import with_money
from vendors.services.statement_profiles import statement_profile_save
from vendors.services.statements import ImportRaced, statement_import, statement_line_assign, statement_line_reverse

from . import pending
from .forms import MAP, ApplicationSearchForm, MappingForm, ReverseForm, StatementUploadForm

LINES_PER_PAGE = 50
CHANGES_PER_PAGE = 50
RECENT_IMPORTS = 10
EXPORT_FAIRS = 12
S = StatementLine.State


def organiser_or_404(user, pk):
    """The organiser whose payments `user` records: 404 for one it does not work for, 403 with the
    Vietnamese refusal for a role that may not record payments."""
    organiser = organisers_for(user).filter(pk=pk).first()
    if organiser is None:
        raise Http404
    if not organisers_for(user, "payment.record").filter(pk=pk).exists():
        raise PermissionDenied(str(REFUSALS["payment.record"]))
    return organiser


def _line_or_404(organiser, line_pk) -> StatementLine:
    return get_object_or_404(
        StatementLine.objects.select_related("account", "statement_import", "application__vendor"),
        statement_import__organiser=organiser,
        pk=line_pk,
    )


def _page(queryset, request, per_page):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return {"page_obj": page, "page_range": page.paginator.get_elided_page_range(page.number)}


# --- the queue ----------------------------------------------------------------------------------------


@staff_required
@require_GET
def queue(request, pk):
    """The organiser's unmatched lines (date, amount, memo; newest first, 50 a page) and its last
    imports."""
    organiser = organiser_or_404(request.user, pk)
    paging = _page(selectors.unmatched_lines(organiser.pk), request, LINES_PER_PAGE)
    context = {
        "organiser": organiser,
        "lines": paging["page_obj"].object_list,
        "imports": selectors.imports_of(organiser.pk)[:RECENT_IMPORTS],
        # Where the accountant, having matched the transfers, takes what the e-invoice provider needs.
        "export_fairs": fairs_for(request.user, "export")
        .filter(organiser=organiser)
        .order_by("-opens_at", "pk")[:EXPORT_FAIRS],
        **paging,
    }
    return render(request, "office/statements/queue.html", context)


@staff_required
@require_GET
def changes(request, pk):
    """Every match, assignment and reversal of the organiser's lines: who, when, from and to which
    application, and why (a reversal)."""
    organiser = organiser_or_404(request.user, pk)
    paging = _page(selectors.line_changes(organiser.pk), request, CHANGES_PER_PAGE)
    context = {"organiser": organiser, "changes": paging["page_obj"].object_list, **paging}
    return render(request, "office/statements/changes.html", context)


# --- one line: assign, reverse --------------------------------------------------------------------------


def _line_page(request, organiser, line, *, reverse_form=None, status=200):
    search = ApplicationSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    chosen = None
    if line.state == S.UNMATCHED and is_id(request.GET.get("application")):
        chosen = (
            with_money(Application.objects.filter(event__organiser=organiser, pk=request.GET["application"]))
            .select_related("vendor", "event")
            .first()
        )
    context = {
        "organiser": organiser,
        "line": line,
        "search_form": search,
        "query": query,
        "results": selectors.owing_applications(organiser.pk, query) if line.state == S.UNMATCHED else [],
        "chosen": chosen,
        "chosen_code": code_for(chosen.pk) if chosen else "",
        "reverse_form": reverse_form or ReverseForm(),
        "line_changes": line.changes.select_related("by", "from_application__vendor", "to_application__vendor"),
        "paid_states": (S.MATCHED, S.PARTIAL, S.OVERPAID),
    }
    return render(request, "office/statements/line.html", context, status=status)


@staff_required
@require_GET
def line_detail(request, pk, line_pk):
    """A line with its history; unmatched, a search among the organiser's applications with
    something owed and, once one is chosen, the confirmation to assign it; paid, the reversal."""
    organiser = organiser_or_404(request.user, pk)
    return _line_page(request, organiser, _line_or_404(organiser, line_pk))


@staff_required
@require_POST
def line_assign(request, pk, line_pk):
    organiser = organiser_or_404(request.user, pk)
    line = _line_or_404(organiser, line_pk)
    application = get_object_or_404(
        Application.objects.select_related("event", "vendor"),
        event__organiser=organiser,
        pk=request.POST.get("application") if is_id(request.POST.get("application")) else None,
    )
    try:
        line = statement_line_assign(line=line, application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The line was assigned to %(business)s: %(state)s.")
            % {"business": application.vendor.name, "state": line.get_state_display()},
        )
    return redirect(reverse("reconcile:line", args=[organiser.pk, line.pk]))


@staff_required
@require_POST
def line_reverse(request, pk, line_pk):
    organiser = organiser_or_404(request.user, pk)
    line = _line_or_404(organiser, line_pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        return _line_page(request, organiser, line, reverse_form=form, status=400)
    try:
        statement_line_reverse(line=line, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The line was reversed: it waits in the queue again."))
    return redirect(reverse("reconcile:line", args=[organiser.pk, line.pk]))


# --- upload, preview, confirm ------------------------------------------------------------------------------


def _profiles(organiser):
    return selectors.profiles_for(organiser.pk)


def _account(organiser, waiting):
    return organiser.bank_accounts.filter(pk=waiting.get("account")).first()


def _read(organiser, waiting):
    """The waiting file read with its layout (or the first that fits); ImportFileError otherwise."""
    layout = waiting.get("layout") or ""
    profile = selectors.profile_named(organiser.pk, layout) if layout else None
    if layout and profile is None:
        raise ImportFileError(_("This layout no longer exists; choose another."))
    with pending.open_file(waiting) as source:
        return selectors.read_for(organiser.pk, source, waiting["filename"], profile)


def _upload_page(request, organiser, *, form=None, preview=None, waiting=None, problem=None, status=200):
    context = {
        "organiser": organiser,
        "form": form,
        "preview": preview,
        "waiting": waiting,
        "problem": problem,
        "has_accounts": organiser.bank_accounts.exists(),
    }
    return render(request, "office/statements/upload.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    """Upload a statement and see each line's would-be state (the import run in a transaction that
    is rolled back: nothing is written); "Xác nhận nhập" imports it for real, in one transaction."""
    organiser = organiser_or_404(request.user, pk)
    waiting = pending.pending(request, organiser)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            pending.forget(request, organiser)
            return redirect(request.path)
        if action == "confirm":
            return _confirm(request, organiser, waiting)
        form = StatementUploadForm(request.POST, request.FILES, organiser=organiser, profiles=_profiles(organiser))
        if not form.is_valid():
            return _upload_page(request, organiser, form=form, status=400)
        data = form.cleaned_data
        layout = "" if data["layout"] == MAP else data["layout"]
        pending.remember(request, organiser, upload=data["file"], account_id=data["account"].pk, layout=layout)
        if data["layout"] == MAP:
            return redirect(reverse("reconcile:mapping", args=[organiser.pk]))
        return redirect(request.path)  # reloading the preview does not upload the file again
    if waiting is None:
        return _upload_page(request, organiser, form=_new_form(organiser))
    return _preview(request, organiser, waiting)


def _new_form(organiser):
    return StatementUploadForm(organiser=organiser, profiles=_profiles(organiser))


def _preview(request, organiser, waiting, status=200):
    account = _account(organiser, waiting)
    if account is None:
        pending.forget(request, organiser)
        raise Http404
    try:
        statement = _read(organiser, waiting)
    except ImportFileError as exc:
        return _upload_page(request, organiser, waiting=waiting, problem=str(exc), status=status)
    result = statement_import(
        account=account, statement=statement, file_name=waiting["filename"], by=request.user, dry_run=True
    )
    preview = {
        "account": account,
        "layout": statement.profile.name,
        "counts": _counts(result.counts),
        "lines": _with_applications(result.lines),
        "errors": statement.errors,
    }
    return _upload_page(request, organiser, preview=preview, waiting=waiting, status=status)


def _confirm(request, organiser, waiting):
    if waiting is None or request.POST.get("token") != waiting["token"]:
        messages.error(request, _("This preview is no longer current; upload the file again."))
        return redirect(reverse("reconcile:upload", args=[organiser.pk]))
    account = _account(organiser, waiting)
    if account is None:
        raise Http404
    try:
        statement = _read(organiser, waiting)
        result = statement_import(account=account, statement=statement, file_name=waiting["filename"], by=request.user)
    except ImportFileError as exc:
        return _upload_page(request, organiser, waiting=waiting, problem=str(exc), status=400)
    except ImportRaced as exc:
        messages.error(request, str(exc))
        return redirect(reverse("reconcile:upload", args=[organiser.pk]))
    pending.forget(request, organiser)
    messages.success(request, _("The statement was imported."))
    return redirect(reverse("reconcile:import", args=[organiser.pk, result.statement_import]))


def _counts(counts: dict) -> list:
    """(state, label, number) in the order of the states, the empty ones left out."""
    return [(state, label, counts.get(state, 0)) for state, label in S.choices if counts.get(state)]


def _with_applications(outcomes) -> list:
    """The preview's outcomes as the lines table's rows, with their application (and business)
    read in one query."""
    ids = {o.application for o in outcomes if o.application}
    found = Application.objects.filter(pk__in=ids).select_related("vendor").in_bulk() if ids else {}
    labels = dict(S.choices)
    return [
        {
            "row": o.row,
            "booked_on": date.fromisoformat(o.booked_on),
            "amount": o.amount,
            "memo": o.memo,
            "state": o.state,
            "state_label": labels.get(o.state, o.state),
            "application": found.get(o.application),
            "line": None,
        }
        for o in outcomes
    ]


def _rows(lines) -> list:
    return [
        {
            "row": line.row,
            "booked_on": line.booked_on,
            "amount": line.amount,
            "memo": line.memo,
            "state": line.state,
            "state_label": line.get_state_display(),
            "application": line.application,
            "line": line.pk,
        }
        for line in lines
    ]


# --- the mapping screen --------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def mapping(request, pk):
    """For a bank whose layout is unknown: the waiting file's header cells; staff pick the date,
    money received, memo, reference and balance columns, the mapping is saved as the organiser's
    layout and the file previewed with it."""
    organiser = organiser_or_404(request.user, pk)
    waiting = pending.pending(request, organiser)
    if waiting is None:
        messages.info(request, _("Upload the statement first."))
        return redirect(reverse("reconcile:upload", args=[organiser.pk]))
    try:
        with pending.open_file(waiting) as source:
            headers = header_cells(source, waiting["filename"])
    except ImportFileError as exc:
        pending.forget(request, organiser)
        messages.error(request, str(exc))
        return redirect(reverse("reconcile:upload", args=[organiser.pk]))
    form = MappingForm(request.POST or None, headers=headers)
    if request.method == "POST" and form.is_valid():
        try:
            profile = statement_profile_save(
                organiser=organiser,
                name=form.cleaned_data["name"],
                columns=form.mapping(),
                date_format=form.cleaned_data["date_format"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            pending.set_layout(request, organiser, f"org:{profile.pk}")
            return redirect(reverse("reconcile:upload", args=[organiser.pk]))
    context = {"organiser": organiser, "form": form, "headers": headers, "waiting": waiting}
    return render(request, "office/statements/mapping.html", context, status=400 if form.errors else 200)


# --- an import's result --------------------------------------------------------------------------------------


@staff_required
@require_GET
def import_result(request, pk, import_pk):
    """An import: its lines by state, each line with its state and the application it went to."""
    organiser = organiser_or_404(request.user, pk)
    record = get_object_or_404(StatementImport.objects.select_related("account"), organiser=organiser, pk=import_pk)
    context = {
        "organiser": organiser,
        "record": record,
        "counts": _counts(record.counts),
        "rows": _rows(selectors.import_lines(record.pk)),
    }
    return render(request, "office/statements/import.html", context)


urlpatterns = [
    path("staff/organisers/<int:pk>/statements/", queue, name="queue"),
    path("staff/organisers/<int:pk>/statements/upload/", upload, name="upload"),
    path("staff/organisers/<int:pk>/statements/mapping/", mapping, name="mapping"),
    path("staff/organisers/<int:pk>/statements/changes/", changes, name="changes"),
    path("staff/organisers/<int:pk>/statements/imports/<int:import_pk>/", import_result, name="import"),
    path("staff/organisers/<int:pk>/statements/lines/<int:line_pk>/", line_detail, name="line"),
    path("staff/organisers/<int:pk>/statements/lines/<int:line_pk>/assign/", line_assign, name="assign"),
    path("staff/organisers/<int:pk>/statements/lines/<int:line_pk>/reverse/", line_reverse, name="reverse"),
]
