"""The floor-plan pages (staff whose role may change the fair: fair.manage): a fair's zones, booth
types and booths with a plan preview, the booth generator, blocking, unblocking and merging chosen
booths, and importing a booth list with a preview before anything is written. Booth codes, zones and
booth types sent in a form are looked up within the fair only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.permissions import staff_required
from events.policy import fair_or_404
from tuanhang.kernel.tabular import pending as pending_import

from ..forms.floorplan import BlockForm, BoothActionsForm, GenerateForm, ImportUploadForm
from ..importing import COLUMNS, column_label, validate_table
from ..selectors.floorplan import floorplan_overview
from ..services.floorplan import booths_block, booths_import, booths_merge, booths_unblock, floorplan_generate


def _page(request, event, *, generate_form=None, actions_form=None):
    plan = floorplan_overview(event=event)
    generate_form = generate_form or GenerateForm(event=event)
    generate_form.show_loaded(zones=plan.zones, booth_types=plan.booth_types)
    actions_form = actions_form or BoothActionsForm(event=event)
    actions_form.show_loaded(booth_types=plan.booth_types)
    context = {"event": event, "plan": plan, "generate_form": generate_form, "actions_form": actions_form}
    return render(request, "booths/floorplan/page.html", context)


def _fair(request, slug):
    """The fair whose hall plan this user may change: another organiser's fair is 404, a role
    that may not change the hall plan is 403 (events/policy.py)."""
    return fair_or_404(request.user, slug, "fair.manage")


def _back(event):
    return redirect("booths:floorplan", event.slug)


@staff_required
@require_GET
def floorplan(request, slug):
    """A fair's zones, booth types and booths at a glance, with the generator and the booth actions."""
    return _page(request, _fair(request, slug))


@staff_required
@require_POST
def generate(request, slug):
    """Lay out rows × columns of booths in a zone."""
    event = _fair(request, slug)
    form = GenerateForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booths = floorplan_generate(
                event=event,
                zone=data["zone"],
                booth_type=data["booth_type"],
                rows=data["rows"],
                columns=data["columns"],
                origin=(data["origin_x"], data["origin_y"]),
                aisle=data["aisle"],
                start=data["start"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Laid out %(count)s booth in zone %(zone)s: %(first)s.",
                    "Laid out %(count)s booths in zone %(zone)s: %(first)s to %(last)s.",
                    len(booths),
                )
                % {"count": len(booths), "zone": data["zone"].code, "first": booths[0].code, "last": booths[-1].code},
            )
            return _back(event)
    return _page(request, event, generate_form=form)


def _booth_action(request, slug, form_class, action):
    event = _fair(request, slug)
    form = form_class(request.POST, event=event)
    if form.is_valid():
        try:
            text = action(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, text)
            return _back(event)
    return _page(request, event, actions_form=form)


@staff_required
@require_POST
def block(request, slug):
    """Block the chosen booths (stage, entrance, pillar…), saying why."""

    def action(form):
        count = booths_block(booths=form.booths, reason=form.cleaned_data["reason"], by=request.user)
        return ngettext("Blocked %(count)s booth: %(codes)s.", "Blocked %(count)s booths: %(codes)s.", count) % {
            "count": count,
            "codes": ", ".join(form.cleaned_data["codes"]),
        }

    return _booth_action(request, slug, BlockForm, action)


@staff_required
@require_POST
def unblock(request, slug):
    """Make the chosen booths available again."""

    def action(form):
        count = booths_unblock(booths=form.booths, by=request.user)
        if not count:
            return _("None of these booths was blocked; nothing changed.")
        return ngettext("Unblocked %(count)s booth.", "Unblocked %(count)s booths.", count) % {"count": count}

    return _booth_action(request, slug, BoothActionsForm, action)


@staff_required
@require_POST
def merge(request, slug):
    """Merge the chosen booths, side by side in one row, into one larger stand."""

    def action(form):
        stand = booths_merge(booths=form.booths, booth_type=form.cleaned_data["booth_type"], by=request.user)
        return _("Merged %(codes)s into stand %(code)s (%(type)s).") % {
            "codes": ", ".join(form.cleaned_data["codes"]),
            "code": stand.code,
            "type": stand.booth_type.name,
        }

    return _booth_action(request, slug, BoothActionsForm, action)


# --- import ------------------------------------------------------------------------------------------


def _session_key(event) -> str:
    return f"booths_import:{event.pk}"


@staff_required
@require_http_methods(["GET", "POST"])
def import_booths(request, slug):
    """Upload a booth list, see every row checked, then confirm (or cancel). Nothing is written
    before the confirmation, and then only if every row is valid."""
    event = _fair(request, slug)
    key = _session_key(event)
    waiting = pending_import.pending(request, key)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            pending_import.forget(request, key)
            return redirect(request.path)
        if action == "confirm":
            return _confirm(request, event, key, waiting)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _import_page(request, event, upload_form=form)
        pending_import.remember(request, key, table=form.table, filename=form.cleaned_data["file"].name, event=event.pk)
        # Redirect so that reloading the preview does not upload the file again.
        return redirect(request.path)
    if waiting is None:
        return _import_page(request, event, upload_form=ImportUploadForm())
    plan = validate_table(pending_import.load_table(waiting), event=event)
    return _import_page(request, event, plan=plan, waiting=waiting)


def _confirm(request, event, key, waiting):
    if waiting is None or request.POST.get("token") != waiting["token"]:
        messages.error(request, _("This preview is no longer current; upload the file again."))
        return redirect(request.path)
    outcome = booths_import(event=event, table=pending_import.load_table(waiting), by=request.user)
    if outcome.failed:
        messages.error(request, outcome.refusal())
        return _import_page(request, event, plan=outcome.plan, waiting=waiting)
    pending_import.forget(request, key)
    messages.success(
        request,
        _("Imported the booth list: %(created)s booths created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged},
    )
    return redirect(reverse("booths:floorplan", args=[event.slug]))


def _import_page(request, event, *, upload_form=None, plan=None, waiting=None):
    context = {
        "event": event,
        "upload_form": upload_form,
        "plan": plan,
        "waiting": waiting,
        "columns": [(key, column_label(key), headers) for key, headers in COLUMNS],
    }
    return render(request, "booths/floorplan/import.html", context)


urlpatterns = [
    path("floorplan/fairs/<slug:slug>/", floorplan, name="floorplan"),
    path("floorplan/fairs/<slug:slug>/generate/", generate, name="generate"),
    path("floorplan/fairs/<slug:slug>/block/", block, name="block"),
    path("floorplan/fairs/<slug:slug>/unblock/", unblock, name="unblock"),
    path("floorplan/fairs/<slug:slug>/merge/", merge, name="merge"),
    path("floorplan/fairs/<slug:slug>/import/", import_booths, name="import"),
]
