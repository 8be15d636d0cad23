"""The public site's pages of the events app: the home page (fairs now and to come), one fair's
page, the sitemap and robots.txt. No login; anonymous visitors get cached pages (see
tuanhang.kernel.page_cache)."""

from pathlib import PurePosixPath

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from events.models import Event
from events.registration import registration_refusal
from tuanhang.kernel import page_cache
from tuanhang.kernel.page_cache import public_page
from tuanhang.kernel.uploads import stored_file_response
from tuanhang.public import selectors
from tuanhang.public.sitemaps import SITEMAPS
from vendors import registration_form
from vendors.permissions import vendor_of


@require_safe
@public_page(params=())
def home(request):
    """Fairs open to visitors now and the ones to come, each with its page and, while its
    registration is open, the call to apply."""
    fairs = selectors.home_fairs()
    page_cache.valid_until(request, selectors.next_change(fairs.all))
    return render(request, "events/public/home.html", {"fairs": fairs, "public_page": True})


@require_safe
@public_page(params=())
def fair(request, slug):
    """One fair: dates, opening hours, venue, programme, the booth plan, the exhibitors, and
    the call to apply while its registration is open (a business sees its own application)."""
    event = selectors.fair_for_page(slug=slug, vendor=vendor_of(request.user))
    page_cache.fair_version(request, event.pk)
    page_cache.valid_until(request, selectors.next_change([event]))
    context = {
        "event": event,
        "page": selectors.fair_page(event),
        "refusal": registration_refusal(event),
        "public_page": True,
    }
    return render(request, "events/public/fair.html", context)


@require_safe
def document_template(request, slug, document_type_id):
    """The blank form of a document a public fair asks for, as a download (never shown inline).
    A draft fair, a document the fair does not ask for or one without a template answers 404."""
    document_type = selectors.document_template_or_404(slug=slug, document_type_id=document_type_id)
    name = PurePosixPath(document_type.template.name).suffix
    return stored_file_response(
        document_type.template,
        content_type=document_type.template_content_type or "application/octet-stream",
        cache_control="public, max-age=3600",
        as_attachment=True,
        filename=f"mau-{document_type.slug}{name}",
    )


@require_safe
def registration_form_blank(request, slug, document_type_id):
    """The fair's registration form, blank (no business data), for a public fair that asks for a
    document type printed by the site; 404 otherwise."""
    event = selectors.fair_for_registration_form(slug=slug)
    registration_form.generated_form_type_or_404(event, document_type_id)
    return registration_form.registration_form_response(registration_form.blank_form(event))


@require_safe
@public_page(params=("section", "p"))
def sitemap(request, **kwargs):
    """sitemap.xml: the home page, every public fair's page and directory, every exhibitor's page."""
    for pk in Event.objects.filter(status__in=selectors.DIRECTORY_STATUSES).values_list("pk", flat=True):
        page_cache.fair_version(request, pk)
    return sitemap_view(request, sitemaps=SITEMAPS, **kwargs)


@require_safe
def robots_txt(request):
    """Crawlers may read the public site, not the staff area, the admin or the accounts."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Disallow: /review/",
        "Disallow: /account/",
        "Disallow: /en/admin/",
        "Disallow: /en/staff/",
        "Disallow: /en/review/",
        "Disallow: /en/account/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers (and the admin, whose pages carry no <link rel=icon>) ask for /favicon.ico: send
    them to the static icon. A temporary redirect, cached for a day, because the static name
    carries a content hash in production and changes with the icon."""
    response = HttpResponseRedirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
