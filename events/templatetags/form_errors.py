"""The error summary and the title prefix of a page whose form was refused.

base.html loads this library once: {% form_error_title %} before the page's title ("Lỗi: " when a
form on the page has errors) and {% form_error_summary %} at the top of <main> (a list of what to
fix, each linked to its field; static/js/form_errors.js moves focus to it). The errors are found in
the template context by tuanhang.kernel.form_errors, so every page that shows a form gets both.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext

from tuanhang.kernel.form_errors import errors_in, files_to_choose_again

register = template.Library()

_CACHE_KEY = "tuanhang.form_errors"


def _errors(context):
    # Both tags sit in base.html, so they share its render context: the forms are read once.
    cache = context.render_context
    if _CACHE_KEY not in cache:
        cache[_CACHE_KEY] = errors_in(context.flatten().values())
    return cache[_CACHE_KEY]


@register.simple_tag(takes_context=True)
def form_error_title(context):
    """ "Lỗi: " (translated) when a form on the page has errors, else nothing."""
    return gettext("Error:") + " " if _errors(context) else ""


@register.simple_tag(takes_context=True)
def form_error_summary(context):
    """The error summary (templates/includes/form_errors.html), or nothing without errors."""
    errors = _errors(context)
    if not errors:
        return ""
    files = files_to_choose_again(context.flatten().values())
    return render_to_string("includes/form_errors.html", {"errors": errors, "count": len(errors), "files": files})
