"""Accounts: sign-up with email verification, login / logout, password reset (Django's auth
views with our templates), and a business's colleagues (members and invitations).

Pages about an email address answer the same whether or not the address has an account."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ..forms.accounts import (
    InvitationForm,
    LoginForm,
    NewPasswordForm,
    ResendVerificationForm,
    ResetPasswordForm,
    SignupForm,
)
from ..models import VendorInvitation, VendorMember
from ..permissions import owned_or_404
from ..selectors import accounts as selectors
from ..services import accounts as services

INVITATIONS_PER_PAGE = 50
# verify_email logs the new account in without a password: name the backend (there are two; axes only watches).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _base_url(request) -> str:
    """Scheme and host of this request, for links in emails."""
    return f"{request.scheme}://{request.get_host()}"


def _safe_next(request) -> str:
    """The ?next= of the request if it is a path on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def member_required(view):
    """Login required, and an account that acts for a business (else: create the profile).
    The view gets request.membership and request.vendor (one query)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = selectors.membership_of(request.user)
        if membership is None:
            return redirect("vendors:profile_create")
        request.membership, request.vendor = membership, membership.vendor
        return view(request, *args, **kwargs)

    return wrapper


def owner_required(view):
    """member_required, and the account must be the business's owner (403 otherwise)."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership.role != VendorMember.Role.OWNER:
            raise PermissionDenied(_("Only the owner of the business account can invite or remove colleagues."))
        return view(request, *args, **kwargs)

    return wrapper


# Sign-up and verification --------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = _safe_next(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            base_url=_base_url(request),
            next_url=next_url,
        )
        return redirect("vendors:verification_sent")
    return render(request, "vendors/accounts/signup.html", {"form": form, "next": next_url})


def verification_sent(request):
    return render(request, "vendors/accounts/verification_sent.html")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_verification_resend(email=form.cleaned_data["email"], base_url=_base_url(request))
        return redirect("vendors:verification_sent")
    return render(request, "vendors/accounts/resend_verification.html", {"form": form})


@require_http_methods(["GET"])
def verify_email(request, uidb64, token):
    """The link of the sign-up email: activate, log in, go on to the business profile (or to
    where the sign-up started, e.g. an invitation)."""
    try:
        user = services.account_verify(uidb64=uidb64, token=token)
    except ValidationError as error:
        if error.code == "already_verified":
            messages.info(request, error.messages[0])
            return redirect("vendors:login")
        context = {"error": error.messages[0], "form": ResendVerificationForm()}
        return render(request, "vendors/accounts/verify_failed.html", context)
    login(request, user, backend=MODEL_BACKEND)
    next_url = _safe_next(request)
    if next_url:
        messages.success(request, _("Your email address is confirmed and you are logged in."))
        return redirect(next_url)
    if selectors.membership_of(user) is not None:
        messages.success(request, _("Your email address is confirmed and you are logged in."))
        return redirect("vendors:dashboard")
    messages.success(
        request,
        _("Your email address is confirmed and you are logged in. Now tell us about your business."),
    )
    return redirect("vendors:profile_create")


# Login, logout, password reset (Django's views, our forms and templates) ----------------------


class LoginView(auth_views.LoginView):
    template_name = "vendors/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Organisers and staff have no business profile: their home is the staff area.
        if self.request.user.is_staff:
            return resolve_url("events:staff_home")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405): a link cannot log anyone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "vendors/accounts/password_reset_form.html"
    subject_template_name = "emails/accounts/password_reset_subject.txt"
    email_template_name = "emails/accounts/password_reset.txt"
    html_email_template_name = "emails/accounts/password_reset.html"
    success_url = reverse_lazy("vendors:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "vendors/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("vendors:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever opened the emailed link controls the mailbox: lift a lockout on the account.
        services.account_lockout_clear(user=form.user)
        return response


# Colleagues: members and invitations ---------------------------------------------------------


@member_required
def members(request):
    """Who acts for the business, and the invitations not accepted yet (owners may invite and
    withdraw; colleagues only see)."""
    is_owner = request.membership.role == VendorMember.Role.OWNER
    page = Paginator(selectors.pending_invitations(request.vendor), INVITATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "vendor": request.vendor,
        "members": list(selectors.members_of(request.vendor)),
        "invitations": page.object_list,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "is_owner": is_owner,
        "form": InvitationForm() if is_owner else None,
        "now": timezone.now(),
        "valid_days": services.INVITATION_VALID_DAYS,
    }
    return render(request, "vendors/accounts/members.html", context)


@owner_required
@require_http_methods(["GET", "POST"])
def invite(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                vendor=request.vendor, email=form.cleaned_data["email"], by=request.user, base_url=_base_url(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link is valid for %(days)s days.")
                % {"email": invitation.email, "days": services.INVITATION_VALID_DAYS},
            )
            return redirect("vendors:members")
    return render(request, "vendors/accounts/invite.html", {"form": form, "vendor": request.vendor})


@owner_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, pk):
    invitation = owned_or_404(
        VendorInvitation.objects.select_related("vendor"), request.vendor, pk=pk, accepted_at__isnull=True
    )
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation, by=request.user)
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn: its link no longer works.") % {"email": invitation.email},
        )
        return redirect("vendors:members")
    return render(request, "vendors/accounts/invitation_revoke.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link of an invitation email. Anonymous visitors are asked to log in or sign up (and
    come back here); a logged-in account confirms with a button."""
    invitation = selectors.invitation_for_token(token)
    membership = selectors.membership_of(request.user)
    error = None
    try:
        services.invitation_check(invitation, membership=membership)
    except ValidationError as problem:
        error = problem.messages[0]
    if request.method == "POST" and error is None:
        if not request.user.is_authenticated:
            return auth_views.redirect_to_login(request.path)
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, _("You now act for %(business)s.") % {"business": invitation.vendor})
            return redirect("vendors:dashboard")
    context = {"invitation": invitation, "error": error, "next": request.path}
    return render(request, "vendors/accounts/invitation.html", context)


urlpatterns = [
    path("account/signup/", signup, name="signup"),
    path("account/signup/sent/", verification_sent, name="verification_sent"),
    path("account/verify/resend/", resend_verification, name="resend_verification"),
    path("account/verify/<uidb64>/<token>/", verify_email, name="verify_email"),
    path("account/login/", LoginView.as_view(), name="login"),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("account/password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="vendors/accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("account/password-reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="vendors/accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("account/members/", members, name="members"),
    path("account/members/invite/", invite, name="invite"),
    path("account/members/invitations/<int:pk>/withdraw/", invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", invitation_accept, name="invitation_accept"),
]
