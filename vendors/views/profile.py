"""The business's own pages: its profile, its products, and its uploaded files.

Files are never served from MEDIA_URL: `file` hands a logo, product image, thumbnail or
application document to the accounts of the business it belongs to and to staff, and answers
404 to anyone else (without saying whether the file exists); `file_preview` shows them a PDF's
pages as pictures rendered on the server."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from events.access_log import access_logged
from events.models import AccessLog, Event, Province
from events.policy import require
from tuanhang.kernel.params import is_digits
from tuanhang.kernel.uploads import stored_file_response
from tuanhang.kernel.uploads.pdfs import cached_pdf_preview
from tuanhang.kernel.vn import format_phone

from ..forms.profile_ui import ProductForm, VendorProfileForm
from ..models import Product
from ..permissions import owned_or_404, profile_create_url, vendor_of, vendor_required
from ..selectors import accounts as account_selectors
from ..selectors import profile as selectors
from ..selectors import registry as registry_selectors
from ..services import profile as services
from ..services import registry as registry_services

PRODUCTS_PER_PAGE = 20
FILE_KINDS = ("logo", "logo_thumb", "product", "product_thumb", "document")


def _next_url(request, default):
    """The posted or asked-for ?next= if it is a path on this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- profile ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request):
    """A signed-in account with no business yet creates one and becomes its owner."""
    next_url = _next_url(request, "")
    if vendor_of(request.user) is not None:
        return redirect(next_url or "vendors:profile_edit")
    # What the account already told us is filled in: its e-mail, the phone it proved with a code.
    initial = {"email": request.user.email, "phone": format_phone(account_selectors.verified_phone(request.user))}
    form = VendorProfileForm(request.POST or None, request.FILES or None, initial=initial)
    form.helper.form_action = profile_create_url(next_url)  # the form posts where to go next
    if request.method == "POST" and form.is_valid():
        try:
            services.vendor_profile_create(form=form, user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if next_url:  # e.g. the application form of the fair the business set out to apply to
                messages.success(request, _("Your business profile is saved. Now fill in your application."))
                return redirect(next_url)
            messages.success(request, _("Your business profile is saved. Now add the products you will show."))
            return redirect("vendors:product_list")
    context = {"form": form, "creating": True, "next": next_url}
    return render(request, "vendors/profile/profile_form.html", context)


@vendor_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """Owner and colleagues edit the business's profile and logo. Once the business has applied to a
    fair, a change of its tax code, legal name or kind waits for the installation's approval."""
    form = VendorProfileForm(request.POST or None, request.FILES or None, instance=request.vendor)
    if request.method == "POST" and form.is_valid():
        try:
            held = registry_services.vendor_profile_save(form=form, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if held is None:
                messages.success(request, _("Your business profile is saved."))
            else:
                messages.info(
                    request,
                    _(
                        "Your profile is saved, except the tax code, legal name and kind: organisers rely on them, "
                        "so the change waits for the approval of the installation's administrators."
                    ),
                )
            return redirect("vendors:profile_edit")
    context = {
        "form": form,
        "creating": False,
        "identity_change": registry_selectors.identity_change_shown(request.vendor),
    }
    return render(request, "vendors/profile/profile_form.html", context)


@login_required
@require_GET
def communes(request):
    """The communes of one province as JSON, for the profile page's commune select."""
    code = request.GET.get("province", "").strip()
    if not (is_digits(code, max_length=2) and Province.objects.filter(pk=code.zfill(2)).exists()):
        return JsonResponse({"error": _("Unknown province or city."), "communes": []}, status=404)
    response = JsonResponse({"province": code.zfill(2), "communes": selectors.province_communes(code.zfill(2))})
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- products ---------------------------------------------------------------------------------


@vendor_required
@require_GET
def product_list(request):
    page = Paginator(selectors.vendor_products(request.vendor), PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "products": page.object_list,
        "today": timezone.localdate(),
    }
    return render(request, "vendors/profile/product_list.html", context)


@vendor_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    form = ProductForm(
        request.POST or None, request.FILES or None, initial={"origin_province": request.vendor.province_id}
    )
    if request.method == "POST" and form.is_valid():
        product = services.product_save(form=form, vendor=request.vendor)
        messages.success(request, _("“%(product)s” is added.") % {"product": product.name})
        return redirect("vendors:product_list")
    return render(request, "vendors/profile/product_form.html", {"form": form})


@vendor_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = owned_or_404(Product.objects.all(), request.vendor, pk=pk)
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    if request.method == "POST" and form.is_valid():
        product = services.product_save(form=form, vendor=request.vendor)
        messages.success(request, _("“%(product)s” is saved.") % {"product": product.name})
        return redirect("vendors:product_list")
    return render(request, "vendors/profile/product_form.html", {"form": form, "product": product})


@vendor_required
@require_http_methods(["GET", "POST"])
def product_delete(request, pk):
    """Asks first; refuses while an application under review or approved shows the product."""
    product = owned_or_404(Product.objects.all(), request.vendor, pk=pk)
    if request.method == "POST":
        try:
            services.product_delete(product=product)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(product)s” is deleted.") % {"product": product.name})
        return redirect("vendors:product_list")
    blocking = selectors.product_blocking_applications(product)
    return render(request, "vendors/profile/product_confirm_delete.html", {"product": product, "blocking": blocking})


# --- files ------------------------------------------------------------------------------------


def _stored_file_or_404(request, kind, pk):
    """The file if the user may have it: the accounts of the business it belongs to, and staff who
    read its applications (application.view): a document at the fair of the application it was sent
    with (403 for a role of that fair that does not read applications; for a document with personal
    identity data, an ID card, 403 unless the role has personal.view), a logo or product image at
    any fair the business applied to. Http404 otherwise, as for a file that does not exist.
    Returns the file and, for staff reading a document, its fair (for the access log)."""
    found = selectors.stored_file(kind, pk)
    if found is None:
        raise Http404
    event = None
    if not request.user.is_staff:
        vendor = vendor_of(request.user)
        if vendor is None or vendor.pk != found.owner_id:
            raise Http404
    elif found.event_id is not None:
        event = Event.objects.for_user(request.user).filter(pk=found.event_id).first()
        if event is None:
            raise Http404
        require(request.user, "application.view", event)
        if found.personal:
            require(request.user, "personal.view", event)
    elif not selectors.vendor_seen_by(request.user, found.owner_id, "application.view"):
        raise Http404
    return found, event


def _log_staff_read(request, pk, found, event, kind):
    """A member of staff read a business's document: one row in the access log."""
    if event is not None and found.is_document:
        access_logged(request, kind=kind, event=event, object_id=pk, label=found.filename, personal=found.personal)


@login_required
@require_GET
def stored_file(request, kind, pk):
    """One uploaded file, to those _stored_file_or_404 lets have it. Documents download as
    attachments, never shown by the browser from the site's own origin; logos and product pictures
    (re-encoded on upload) show inline. Nothing is sniffed into another type."""
    found, event = _stored_file_or_404(request, kind, pk)
    _log_staff_read(request, pk, found, event, AccessLog.Kind.DOCUMENT)
    response = stored_file_response(
        found.file,
        content_type=found.content_type,
        cache_control="private, max-age=600",
        as_attachment=not found.inline,
        filename=found.filename,
    )
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def document_preview(request, pk, page):
    """Page `page` of a PDF document as a PNG rendered on the server, to whoever may have the
    document (the staff review shows these instead of the PDF). 404 for another document type, a
    page the document does not have (or past the preview limit), or one that cannot be rendered."""
    found, event = _stored_file_or_404(request, "document", pk)
    png = cached_pdf_preview(found.file, int(page)) if found.content_type == "application/pdf" else None
    if png is None:
        raise Http404
    _log_staff_read(request, pk, found, event, AccessLog.Kind.PREVIEW)
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


urlpatterns = [
    path("profile/new/", profile_create, name="profile_create"),
    path("profile/", profile_edit, name="profile_edit"),
    path("profile/communes/", communes, name="communes"),
    path("products/", product_list, name="product_list"),
    path("products/new/", product_create, name="product_create"),
    path("products/<int:pk>/edit/", product_edit, name="product_edit"),
    path("products/<int:pk>/delete/", product_delete, name="product_delete"),
    # Only these kinds and a numeric id: the URL cannot name a path on disk.
    re_path(r"^files/(?P<kind>" + "|".join(FILE_KINDS) + r")/(?P<pk>[0-9]{1,18})/$", stored_file, name="file"),
    re_path(
        r"^files/document/(?P<pk>[0-9]{1,18})/pages/(?P<page>[0-9]{1,2})\.png$", document_preview, name="file_preview"
    ),
]
