"""Template tags of the public site: {% load public %}.

{% language_url "en" %} → this page's address in another language (a plain link, so public
pages carry no form and no CSRF token and can be cached); {% absolute_url %} → this page's
full address without its query string (canonical link, sitemaps, sharing)."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, code):
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), code)


@register.simple_tag(takes_context=True)
def absolute_url(context):
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request is not None else ""
