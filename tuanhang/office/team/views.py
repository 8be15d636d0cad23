"""The organiser's team page and its forms, and the page where an invited person chooses a password.

Every page of an organiser's team looks the organiser up among those the user works for (404
otherwise, as for an organiser that does not exist) and needs team.manage for all its fairs (403
with the Vietnamese refusal otherwise); a member is looked up inside that organiser, so another
organiser's membership id answers 404 and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import teams
from events.models import Membership
from events.permissions import staff_required
from vendors.forms.accounts import NewPasswordForm

from . import access, erasure, mail
from .forms import InviteForm, MemberForm

CHANGES_PER_PAGE = 25


def _member_or_404(organiser, member_pk) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "organiser"), organiser=organiser, pk=member_pk)


def _members(organiser):
    members = list(teams.team_members(organiser))
    for membership in members:
        membership.phone = teams.phone_of(membership.user)
        membership.pending = not membership.user.has_usable_password()
    return members


def _team_page(request, organiser, invite_form=None, status=200):
    page = Paginator(teams.team_changes(organiser), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organiser": organiser,
        "members": _members(organiser),
        "invite_form": invite_form or InviteForm(organiser=organiser),
        "changes": page.object_list,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "valid_days": mail.link_valid_days(),
    }
    return render(request, "office/team/page.html", context, status=status)


@staff_required
@require_GET
def team_page(request, pk):
    """The members with their roles and fairs, the invitation form and the change log."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    return _team_page(request, organiser)


@staff_required
@require_POST
def team_invite(request, pk):
    """Invite by e-mail (the set-password link is e-mailed) or phone (the page shows the link to
    pass on: no SMS is sent); an existing account is added as it is."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    form = InviteForm(request.POST, organiser=organiser)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                invitation = teams.team_invite(
                    organiser=organiser,
                    contact=data["contact"],
                    role=data["role"],
                    fairs=data["fairs"],
                    name=data["name"],
                    by=request.user,
                )
                outcome = _send_link(request, invitation.membership) if invitation.needs_password else {}
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _invited(request, organiser, invitation.membership, outcome)
    return _team_page(request, organiser, invite_form=form, status=400)


def _send_link(request, membership) -> dict:
    """The set-password link of an account without a password: e-mailed to its address (never shown
    to the inviter), or, for a phone-only account, shown to pass on; but not when the account also
    works for another organiser, whose team would be opened by whoever chose the password."""
    user = membership.user
    if user.email:
        mail.queue_invitation_mail(membership=membership, link=mail.set_password_link(request, user), by=request.user)
        return {"emailed": True}
    if not teams.may_pass_on_link(user, membership.organiser, by=request.user):
        return {"withheld": True}
    return {"link": mail.set_password_link(request, user)}


def _invited(request, organiser, membership, outcome):
    context = {"organiser": organiser, "membership": membership, "valid_days": mail.link_valid_days(), **outcome}
    return render(request, "office/team/invited.html", context)


@staff_required
@require_POST
def member_link(request, pk, member_pk):
    """A new set-password link for a member who has not chosen a password yet (e-mailed again when
    the account has an address, see _send_link); the earlier links keep working until they expire
    or one is used."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    membership = _member_or_404(organiser, member_pk)
    if membership.user.has_usable_password():
        messages.info(
            request, _("%(name)s has already chosen a password.") % {"name": teams.member_name(membership.user)}
        )
        return redirect("team:page", pk=organiser.pk)
    with transaction.atomic():
        outcome = _send_link(request, membership)
    return _invited(request, organiser, membership, outcome)


@staff_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk, member_pk):
    """Change a member's role or the fairs it is limited to."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    membership = _member_or_404(organiser, member_pk)
    initial = {"role": membership.role, "fairs": list(membership.events.all())}
    form = MemberForm(request.POST or None, organiser=organiser, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            teams.team_member_change(
                membership=membership, role=form.cleaned_data["role"], fairs=form.cleaned_data["fairs"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s: changes saved.") % {"name": teams.member_name(membership.user)})
            return redirect("team:page", pk=organiser.pk)
    context = {"organiser": organiser, "membership": membership, "form": form}
    return render(request, "office/team/member.html", context, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk, member_pk):
    """Ask, then take the member off the team (its account stays)."""
    organiser = teams.team_organiser_or_404(request.user, pk)
    membership = _member_or_404(organiser, member_pk)
    error = None
    if request.method == "POST":
        try:
            teams.team_member_remove(membership=membership, by=request.user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(
                request, _("%(name)s is no longer in the team.") % {"name": teams.member_name(membership.user)}
            )
            return redirect("team:page", pk=organiser.pk)
    context = {"organiser": organiser, "membership": membership, "error": error}
    return render(request, "office/team/remove.html", context, status=400 if error else 200)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the invited person chooses a password (then logs in); the teams it
    belongs to log that the invitation was accepted."""

    form_class = NewPasswordForm
    template_name = "office/team/accept.html"
    token_generator = teams.invitation_token
    success_url = reverse_lazy("vendors:login")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            teams.team_invitation_accepted(user=form.user)
        messages.success(
            self.request,
            _("Your password is saved. Log in with %(username)s and your new password.")
            % {"username": form.user.get_username()},
        )
        return response


urlpatterns = [
    path("staff/organisers/<int:pk>/team/", team_page, name="page"),
    path("staff/organisers/<int:pk>/access-log/", access.access_log, name="access_log"),
    path("staff/organisers/<int:pk>/erasure-requests/", erasure.erasure_list, name="erasure_list"),
    path("staff/organisers/<int:pk>/erasure-requests/<int:request_pk>/", erasure.erasure_decide, name="erasure_decide"),
    path("staff/organisers/<int:pk>/team/invite/", team_invite, name="invite"),
    path("staff/organisers/<int:pk>/team/members/<int:member_pk>/", member_edit, name="member"),
    path("staff/organisers/<int:pk>/team/members/<int:member_pk>/remove/", member_remove, name="remove"),
    path("staff/organisers/<int:pk>/team/members/<int:member_pk>/link/", member_link, name="link"),
    path("staff/invitation/<uidb64>/<token>/", InvitationAcceptView.as_view(), name="accept"),
]
