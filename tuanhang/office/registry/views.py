"""The shared business registry's staff pages (/staff/registry/): legal identity changes waiting
for approval (list, detail, approve or reject) and the merge of two records of the same business.

A business is shared by every organiser of the installation. The merge belongs to the installation's
administrators (superusers). Identity changes are also decided by an organiser's administrators
(capability team.manage) for the businesses that have applied to one of its fairs: they checked its
papers; another organiser's request answers 404. Other staff get 403, businesses too
(staff_required first)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.permissions import staff_required
from events.policy import can_anywhere, fairs_filter
from vendors.selectors import registry as selectors
from vendors.selectors.registry import sent_applications
from vendors.services import registry as services

from .forms import IdentityDecisionForm, MergeForm

PER_PAGE = 25


def superuser_required(view):
    """Staff first (businesses and anonymous visitors as on every staff page), then superusers only."""

    @staff_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied(_("Only the installation's administrators can change the shared business registry."))
        return view(request, *args, **kwargs)

    return wrapped


# Who decides identity changes besides superusers: the organiser's administrators (docs/DECISIONS.md).
DECIDE_CAPABILITY = "team.manage"
DECIDE_REFUSAL = gettext_lazy("Only the organiser's administrators can approve changes of a business's identity.")


def identity_decider_required(view):
    """Staff first, then superusers or the administrators of an organiser."""

    @staff_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or can_anywhere(request.user, DECIDE_CAPABILITY)):
            raise PermissionDenied(str(DECIDE_REFUSAL))
        return view(request, *args, **kwargs)

    return wrapped


def _scoped(queryset, user):
    """The requests of businesses that sent an application to a fair where the user decides them."""
    if user.is_superuser:
        return queryset
    if not can_anywhere(user, DECIDE_CAPABILITY):
        return queryset.none()
    sent = (
        sent_applications().filter(vendor=OuterRef("vendor")).filter(fairs_filter(user, DECIDE_CAPABILITY, "event__"))
    )
    return queryset.filter(Exists(sent))


@staff_required
@require_GET
def request_list(request):
    """Legal identity changes waiting for approval, oldest first: every one for a superuser, those of
    the businesses that applied to its fairs for an organiser's administrator, none for other staff."""
    page = Paginator(_scoped(selectors.identity_changes_pending(), request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "changes": page.object_list,
    }
    return render(request, "office/registry/request_list.html", context)


def _request_or_404(request, pk):
    change = selectors.identity_change(pk)
    if change is None or not _scoped(type(change).objects.filter(pk=pk), request.user).exists():
        raise Http404(_("There is no such request."))
    return change


def _detail(request, change, sent=None, status=200):
    """The request with both forms; `sent` (a bound form) takes the place of the one it came from."""
    forms = {
        decision: sent if sent is not None and sent.data.get("decision") == decision else None
        for decision in (IdentityDecisionForm.APPROVE, IdentityDecisionForm.REJECT)
    }
    context = {
        "change": change,
        "side": selectors.merge_side(change.vendor),
        **{
            f"{decision}_form": form or IdentityDecisionForm(initial={"decision": decision})
            for decision, form in forms.items()
        },
    }
    return render(request, "office/registry/request_detail.html", context, status=status)


@identity_decider_required
@require_GET
def request_detail(request, pk):
    return _detail(request, _request_or_404(request, pk))


@identity_decider_required
@require_POST
def request_decide(request, pk):
    """Approve or reject one pending change; the service re-checks the tax code under lock."""
    change = _request_or_404(request, pk)
    form = IdentityDecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, change, form, status=400)
    try:
        if form.cleaned_data["decision"] == form.APPROVE:
            services.identity_change_approve(request_pk=change.pk, by=request.user)
            messages.success(
                request,
                _("The change is approved: %(name)s now has the tax code %(code)s.")
                % {"name": change.new_name, "code": change.new_tax_code},
            )
        else:
            services.identity_change_reject(request_pk=change.pk, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The change is rejected; the business sees the reason on its profile."))
    except ValidationError as exc:
        form.add_error(None, exc)
        return _detail(request, selectors.identity_change(pk), form, status=409)
    return redirect("registry:requests")


@superuser_required
@require_http_methods(["GET", "POST"])
def merge(request):
    """Pick the two records by tax code, see what each holds, confirm: one transaction merges them."""
    data = request.POST if request.method == "POST" else (request.GET if "keep" in request.GET else None)
    form = MergeForm(data)
    preview, status = None, 200
    if form.is_bound and form.is_valid():
        keep, duplicate = form.cleaned_data["keep"], form.cleaned_data["duplicate"]
        if request.method == "POST" and form.cleaned_data["confirm"]:
            try:
                log = services.vendors_merge(keep=keep, duplicate=duplicate, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 409
            else:
                messages.success(
                    request,
                    _("%(old)s is merged into %(code)s (%(name)s).")
                    % {"old": log.merged_tax_code, "code": log.kept_tax_code, "name": keep.name},
                )
                return redirect("registry:merge")
        elif request.method == "POST":
            form.add_error("confirm", _("Tick the box to confirm the merge."))
            status = 400
        preview = {
            "keep": selectors.merge_side(keep),
            "duplicate": selectors.merge_side(duplicate),
            "shared": selectors.shared_fairs(keep, duplicate),
        }
    elif request.method == "POST":
        status = 400
    return render(request, "office/registry/merge.html", {"form": form, "preview": preview}, status=status)


app_name = "registry"

urlpatterns = [
    path("", request_list, name="requests"),
    path("<int:pk>/", request_detail, name="request"),
    path("<int:pk>/decide/", request_decide, name="request_decide"),
    path("merge/", merge, name="merge"),
]
