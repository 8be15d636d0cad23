"""The invitation's set-password link and its e-mail (sent once the invitation is committed)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from events.teams import invitation_token

TEMPLATES = "office/team/emails/invitation"


def link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600))


def set_password_link(request, user) -> str:
    """The absolute link with which the invited person chooses a password (works once)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("team:accept", kwargs={"uidb64": uidb64, "token": invitation_token.make_token(user)})
    return request.build_absolute_uri(path)


def queue_invitation_mail(*, membership, link: str, by) -> None:
    """Render the invitation e-mail now (in the active language) and send it after commit. A mail
    server failure is logged, not raised: the page offers the link to pass on as well."""
    context = {
        "organiser": membership.organiser,
        "role": membership.get_role_display(),
        "invited_by": by,
        "username": membership.user.get_username(),
        "link": link,
        "valid_days": link_valid_days(),
    }
    subject = "".join(render_to_string(f"{TEMPLATES}_subject.txt", context).splitlines()).strip()
    message = EmailMultiAlternatives(subject, render_to_string(f"{TEMPLATES}.txt", context), to=[membership.user.email])
    message.attach_alternative(render_to_string(f"{TEMPLATES}.html", context), "text/html")
    transaction.on_commit(message.send, robust=True)
