"""Staff pages of the reminders: a fair's rules and its delivery log (filter by status or rule,
resend a failed or unconfirmed one)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.lookups import event_or_404
from events.permissions import staff_required

from . import selectors, services
from .forms import DeliveryFilterForm
from .models import ReminderDelivery

PER_PAGE = 50


@staff_required
def delivery_log(request, slug):
    """The fair's rules with their counts, and its deliveries newest first, filtered."""
    event = event_or_404(slug)
    form = DeliveryFilterForm(request.GET or None, event=event)
    status, rule_id = "", None
    if form.is_valid():
        status = form.cleaned_data["status"]
        rule_id = form.cleaned_data["rule"].pk if form.cleaned_data["rule"] else None
    page = Paginator(selectors.delivery_log(event, status=status, rule_id=rule_id), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "event": event,
        "rules": selectors.rules_of(event),
        "counts": selectors.delivery_counts(event),
        "filter_form": form,
        "filters_active": bool(status or rule_id),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "deliveries": page.object_list,
    }
    return render(request, "reminders/log.html", context)


@staff_required
@require_POST
def delivery_resend(request, slug, pk):
    event = event_or_404(slug)
    delivery = get_object_or_404(ReminderDelivery, pk=pk, event=event)
    try:
        services.delivery_resend(delivery=delivery, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The reminder is queued to be sent again."))
    return redirect("reminders:log", slug=event.slug)


@staff_required
@require_POST
def rules_create_defaults(request, slug):
    event = event_or_404(slug)
    created = services.reminder_rules_create_defaults(event=event)
    if created:
        messages.success(request, _("The default reminders were added to this fair."))
    else:
        messages.info(request, _("This fair already has reminders: nothing was added."))
    return redirect("reminders:log", slug=event.slug)
