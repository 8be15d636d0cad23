"""The public exhibitor directory of a fair, each business's page (the booth signs' QR codes lead
there) and the pictures those pages show. No login; anonymous visitors get cached pages (see
tuanhang.kernel.page_cache). Staff opening a business's page also see its setup-day check-in."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from events import policy
from tuanhang.kernel import page_cache
from tuanhang.kernel.page_cache import public_page
from tuanhang.kernel.uploads import stored_file_response
from tuanhang.public.directory import selectors
from vendors.selectors import checkin as checkin_selectors
from vendors.selectors.profile import stored_file

DIRECTORY_PARAMS = ("q", "province", "category", "ocop", "page")
IMAGE_KINDS = {"logo": "logo_thumb", "product": "product_thumb"}


@require_safe
@public_page(params=DIRECTORY_PARAMS)
def exhibitor_list(request, slug):
    """The fair's exhibitors: search by business or product name (accents, case and đ ignored),
    filter by province, category and OCOP stars, in Vietnamese order, a page at a time."""
    event = selectors.public_event(slug=slug)
    page_cache.fair_version(request, event.pk)
    filters = selectors.Filters.from_query(request.GET)
    # The filter choices are the same for every search of the fair: kept under its versions.
    choices = page_cache.fair_memo("directory-choices", event.pk, lambda: selectors.directory_choices(event))
    directory = selectors.directory(event=event, filters=filters, page_number=request.GET.get("page"), choices=choices)
    page = directory.page
    context = {
        "event": event,
        "directory": directory,
        "filters": filters,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "ocop_choices": selectors.OCOP_CHOICES,
        "public_page": True,
    }
    return render(request, "vendors/directory/list.html", context)


@require_safe
@public_page(params=())
def exhibitor_detail(request, event_slug, vendor_id):
    """One business at one fair: logo, description, products with OCOP stars, province, its
    booths and where they are on the plan. 404 unless it has an approved application there."""
    event = selectors.public_event(slug=event_slug)
    page_cache.fair_version(request, event.pk)
    found = selectors.exhibitor(event=event, vendor_id=vendor_id)
    context = {"event": event, "exhibitor": found.exhibitor, "vendor": found.vendor, "public_page": True}
    context["may_check_in"] = request.user.is_staff and policy.can(request.user, "checkin.record", event)
    if context["may_check_in"]:
        context["checkin"] = checkin_selectors.checkin_state(application_id=found.exhibitor.application_id)
    return render(request, "vendors/directory/exhibitor.html", context)


@require_safe
def exhibitor_image(request, event_slug, vendor_id, kind, pk):
    """The logo or a product picture (thumbnail) of a business listed at a public fair."""
    event = selectors.public_event(slug=event_slug)
    if kind not in IMAGE_KINDS or not selectors.is_listed(event=event, vendor_id=vendor_id):
        raise Http404
    if kind == "logo" and pk != vendor_id:
        raise Http404
    found = stored_file(IMAGE_KINDS[kind], pk)
    if found is None or found.owner_id != vendor_id:
        raise Http404
    # The address carries the stored file's name (?v=…): a new picture gets a new address.
    return stored_file_response(found.file, content_type=found.content_type, cache_control="public, max-age=86400")


urlpatterns = [
    path("fairs/<slug:slug>/exhibitors/", exhibitor_list, name="exhibitors"),
    path("fairs/<slug:event_slug>/exhibitors/<int:vendor_id>/", exhibitor_detail, name="exhibitor"),
    path(
        "fairs/<slug:event_slug>/exhibitors/<int:vendor_id>/images/<str:kind>/<int:pk>/",
        exhibitor_image,
        name="exhibitor_image",
    ),
]
