"""Staff pages of the reminders: a fair's rules and its delivery log (filter by status or rule,
resend a failed or unconfirmed one, or every delivery left unconfirmed after the grace period).

Who may (events/policy.py): the log shows which businesses were reminded of what, so reading it
needs "application.view"; resending and adding the default rules need "reminder.manage". Another
organiser's fair, or another fair's delivery, answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.permissions import staff_required
from events.policy import capabilities_at, fair_or_404

from . import selectors, services
from .forms import DeliveryFilterForm
from .models import ReminderDelivery

PER_PAGE = 50


@staff_required
def delivery_log(request, slug):
    """The fair's rules with their counts, and its deliveries newest first, filtered (by a rule of
    this fair only: another fair's rule id is ignored)."""
    event = fair_or_404(request.user, slug, "application.view")
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
        "may_manage": "reminder.manage" in capabilities_at(request.user, event),
    }
    return render(request, "reminders/log.html", context)


@staff_required
@require_POST
def delivery_resend(request, slug, pk):
    event = fair_or_404(request.user, slug, "reminder.manage")
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
def deliveries_resend_flagged(request, slug):
    """Send again, in one click, every delivery of the fair left unconfirmed after the grace period."""
    event = fair_or_404(request.user, slug, "reminder.manage")
    count = services.deliveries_resend_flagged(event=event, by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s unconfirmed reminder is queued to be sent again.",
                "%(count)s unconfirmed reminders are queued to be sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No unconfirmed reminder is left to send again."))
    return redirect("reminders:log", slug=event.slug)


@staff_required
@require_POST
def rules_create_defaults(request, slug):
    event = fair_or_404(request.user, slug, "reminder.manage")
    created = services.reminder_rules_create_defaults(event=event)
    if created:
        messages.success(request, _("The default reminders were added to this fair."))
    else:
        messages.info(request, _("This fair already has reminders: nothing was added."))
    return redirect("reminders:log", slug=event.slug)
