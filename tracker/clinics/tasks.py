"""Background work for clinics (run by `manage.py worker`): the invitation and e-mail-change e-mails."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from tracker.models import User
from tracker.models.notifications import new_message_id

from .models import Invitation
from .tokens import email_change_token, invitation_token


@task()
def send_invitation(invitation_id: int, sent_at: int, base_url: str) -> bool:
    """E-mail the invitation's link, if it is still open and this is its latest sending. True if sent."""
    invitation = Invitation.objects.open().select_related("clinic", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or int(invitation.sent_at.timestamp()) != sent_at:
        return False
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[invitation_token(invitation)])
    context = {"invitation": invitation, "link": link, "clinic": invitation.clinic}
    subject = f"{invitation.clinic.name} invites you to the recovery tracker"
    body = render_to_string("clinics/invitation_email.txt", context)
    EmailMessage(subject, body, to=[invitation.email], headers={"Message-ID": new_message_id()}).send()
    return True


@task()
def send_email_change(user_id: int, new_email: str, base_url: str) -> bool:
    """E-mail the new address a link that confirms it; the old address stays until then. True if sent."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    link = base_url.rstrip("/") + reverse(
        "account_email_confirm", args=[email_change_token(user=user, new_email=new_email)]
    )
    body = render_to_string("clinics/email_change_email.txt", {"user": user, "link": link})
    EmailMessage(
        "Confirm your new e-mail address", body, to=[new_email], headers={"Message-ID": new_message_id()}
    ).send()
    return True
