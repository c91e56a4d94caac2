"""Background work for signing in (run by `manage.py worker`)."""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from tracker.models.notifications import new_message_id


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> int:
    """E-mail a reset link to each active account with this address and a password; returns how many were sent."""
    sent = 0
    for user in PasswordResetForm().get_users(email):
        context = {
            "email": email,
            "domain": domain,
            "site_name": "Recovery tracker",
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": "https" if use_https else "http",
        }
        subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
        body = render_to_string("registration/password_reset_email.html", context)
        EmailMessage(
            subject, body, to=[getattr(user, user.get_email_field_name())], headers={"Message-ID": new_message_id()}
        ).send()
        sent += 1
    return sent
