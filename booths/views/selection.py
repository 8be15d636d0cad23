"""Booth self-selection for businesses: the page to pick or change booths (a plain form that
works without JavaScript; static/js/selection.js turns it into one-click choices) and the JSON
endpoint that script uses. A lost race is a clear "just taken" answer with the choices
refreshed, never an error page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_http_methods

from tuanhang.kernel.params import BadParameter, json_body, parse_ids
from vendors.models import Application
from vendors.permissions import vendor_required

from ..selectors import map as map_selectors
from ..selectors import selection as selectors
from ..services.core import BoothTaken
from ..services.selection import booths_choose, booths_choose_for_account
from ..svg import COLOUR_ZONE

CHOOSE_AGAIN = gettext_noop("Choose again from the booths still free below.")


@vendor_required
@require_http_methods(["GET", "POST"])
def select(request, slug):
    """Show the booths the business may pick and its own; on POST make the choice (all or nothing)."""
    application = selectors.application_for_selection(vendor=request.vendor, slug=slug)
    error, selected = None, None
    if request.method == "POST":
        selected, error = _ids(request.POST.getlist("booths"))
        if error is None:
            try:
                assignments = booths_choose(application=application, booths=selected, by=request.user)
            except BoothTaken as exc:
                messages.error(request, f"{exc.messages[0]} {_(CHOOSE_AGAIN)}")
                return redirect("booths:select", slug=slug)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(request, _chosen_message(assignments))
                return redirect("booths:select", slug=slug)
    page = selectors.selection_page(application=application)
    booth_map = _pick_map(request, page) if page.can_choose else None
    if booth_map is not None:
        names = booth_map.names
        for booth in (booth for group in page.zones for row in group.rows for booth in row.booths):
            booth.name = names.get(booth.pk, "")
    context = {
        "page": page,
        "map": booth_map,
        "event": application.event,
        "application": application,
        "error": error,
        "selected": set(selected) if selected is not None else page.mine_ids,
    }
    return render(request, "booths/selection/select.html", context)


def _pick_map(request, page):
    """The fair's map (from the map part) in pick mode: the booths the business may pick carry the
    class booth-pickable; selection.js ticks the matching box when one is tapped. The others are
    drawn faded (as selection.js keeps them), their codes in ink that reads on the faded fill."""
    pickable = {booth.pk: "booth-pickable" for group in page.zones for row in group.rows for booth in row.booths}
    return map_selectors.booth_map_for_page(
        event=page.event,
        audience=map_selectors.VENDOR,
        colour=request.GET.get("colour", COLOUR_ZONE),
        own_application_ids=[page.application.pk],
        booth_classes=pickable,
        pickable=pickable,
    )


@login_required
@require_http_methods(["GET", "POST"])
def select_api(request, slug):
    """GET: the booths the business may pick and its own. POST {"booth_ids": [...]}: choose them.
    Answers {"ok": true, "booths": [...]} or {"ok": false, "error", "code"}: 409 "taken", 400 "invalid".

    The page's script calls this for every step of a selection rush, so it looks the application
    up by the account (one business per account) instead of loading the business first, and a
    choice finds the application by locking it: 404 when the account's business has no
    application to this fair, or the account has no business."""
    if request.method == "GET":
        application = selectors.application_for_selection(user=request.user, slug=slug)
        return JsonResponse(selectors.selection_json(application=application))
    try:
        body = json_body(request)
    except BadParameter as exc:
        selected, error = None, str(exc)
    else:
        selected, error = _ids(body.get("booth_ids") if isinstance(body, dict) else None)
    if error:
        if selectors.application_with_fair(user=request.user, slug=slug) is None:
            raise Http404
        return _refused(error, "invalid", status=400)
    try:
        assignments = booths_choose_for_account(user=request.user, slug=slug, booths=selected)
    except Application.DoesNotExist:
        raise Http404 from None
    except BoothTaken as exc:
        return _refused(exc.messages[0], "taken", status=409)
    except ValidationError as exc:
        return _refused(exc.messages[0], "invalid", status=400, reason=exc.code)
    return JsonResponse(
        {
            "ok": True,
            "booths": [selectors.booth_json(a.booth) for a in assignments],
            "message": _chosen_message(assignments),
        }
    )


def _ids(values):
    """Booth ids from the form or the JSON body: (ids, None) or (None, a message)."""
    if not isinstance(values, list):
        return None, _("Send the chosen booths as a list of booth ids.")
    try:
        ids = parse_ids(values)
    except BadParameter:
        return None, _("One of the booths you chose is not on this fair's plan; reload the page and choose again.")
    if not ids:
        return [], _("Choose a booth first.")
    return ids, None


def _refused(message, code, *, status, reason=None):
    body = {"ok": False, "error": message, "code": code}
    if reason and reason != code:
        body["reason"] = reason
    return JsonResponse(body, status=status)


def _chosen_message(assignments) -> str:
    codes = ", ".join(a.booth.code for a in assignments)
    return ngettext("Your booth is now %(codes)s.", "Your booths are now %(codes)s.", len(assignments)) % {
        "codes": codes
    }


urlpatterns = [
    path("fairs/<slug:slug>/booths/choose/", select, name="select"),
    path("fairs/<slug:slug>/booths/choose/api/", select_api, name="select_api"),
]
