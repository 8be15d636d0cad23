"""The organiser's access log page: who exported or downloaded the businesses' data, when, what,
from which address (events.models.AccessLog). For the organiser's administrators (team.manage,
organiser-wide) and superusers; another organiser's log answers 404, like its team page."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from events import teams
from events.access_log import access_log_for
from events.models import AccessLog, Event
from events.permissions import staff_required

PER_PAGE = 50


class AccessLogFilterForm(forms.Form):
    fair = forms.ModelChoiceField(label=_("Fair"), queryset=Event.objects.none(), required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *AccessLog.Kind.choices], required=False)

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fair"].queryset = Event.objects.filter(organiser=organiser).order_by("-opens_at")
        people = AccessLog.objects.filter(organiser=organiser).values("changed_by")
        self.fields["person"].queryset = get_user_model().objects.filter(pk__in=people).order_by("username")

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        chosen = {"event": data.get("fair"), "changed_by": data.get("person"), "kind": data.get("kind")}
        return {key: value for key, value in chosen.items() if value}


@staff_required
@require_GET
def access_log(request, pk):
    """The organiser's access log, newest first, 50 a page, filtered by fair, person and kind."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    form = AccessLogFilterForm(request.GET or None, organiser=organiser)
    entries = access_log_for(request.user).filter(organiser=organiser, **form.filters())
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organiser": organiser,
        "filter_form": form,
        "entries": page.object_list,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
    }
    return render(request, "office/team/access_log.html", context)
